import { parseAllDocuments } from 'yaml';
import { InputError, type InputIssue, type SourceRef } from '../errors';

/** A manifest file's text, as read by the caller (core does no I/O). `name` is `-` for stdin. */
export interface ManifestSource {
  readonly name: string;
  readonly text: string;
}

/** One Kubernetes object with where it came from. */
export interface RawObject {
  readonly source: SourceRef;
  readonly object: Record<string, unknown>;
}

/**
 * Splits sources into objects: multi-document YAML (JSON is YAML), and the items of `kind: List`
 * (`v1/List`, `*List` as kubectl prints them). Empty documents are skipped; a document that is not
 * a mapping is an input error.
 */
export function readObjects(sources: readonly ManifestSource[]): RawObject[] {
  const objects: RawObject[] = [];
  const issues: InputIssue[] = [];
  for (const src of sources) {
    const docs = parseAllDocuments(src.text, { uniqueKeys: true });
    const list = Array.isArray(docs) ? docs : [docs];
    list.forEach((doc, index) => {
      const source: SourceRef = { file: src.name, doc: index };
      if (doc.errors.length > 0) {
        issues.push({ source, path: '', message: `YAML: ${doc.errors[0]!.message.split('\n')[0]}` });
        return;
      }
      const value: unknown = doc.toJS({ maxAliasCount: 100 });
      if (value === null || value === undefined) return;
      if (typeof value !== 'object' || Array.isArray(value)) {
        issues.push({ source, path: '', message: 'expected a Kubernetes object (a mapping)' });
        return;
      }
      const object = value as Record<string, unknown>;
      if (isList(object)) {
        const items = object.items;
        if (!Array.isArray(items)) {
          issues.push({ source, path: 'items', message: 'expected a list of objects' });
          return;
        }
        items.forEach((item, i) => {
          const itemSource: SourceRef = { ...source, itemPath: `items[${i}]` };
          if (item === null || typeof item !== 'object' || Array.isArray(item)) {
            issues.push({ source: itemSource, path: '', message: 'expected a Kubernetes object (a mapping)' });
          } else {
            objects.push({ source: itemSource, object: item as Record<string, unknown> });
          }
        });
        return;
      }
      objects.push({ source, object });
    });
  }
  if (issues.length > 0) throw new InputError(issues);
  return objects;
}

function isList(object: Record<string, unknown>): boolean {
  return typeof object.kind === 'string' && object.kind.endsWith('List') && 'items' in object;
}
