import { parseAllDocuments } from 'yaml';
import { InputError, type InputIssue, type SourceRef } from '../errors.js';
import { parseJsonUniqueKeys } from './jsonText.js';
import { readBlockYaml } from './yaml/blockReader.js';

/** A manifest file's text, as read by the caller (core does no I/O). `name` is `<stdin>` for standard input. */
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
 * a mapping is an input error. A file is read by the first of three readers that reads all of it:
 * JSON documents, the block-YAML reader (yaml/blockReader.ts), the `yaml` package; the first two
 * are fast paths that give up rather than differ from the `yaml` package.
 */
export function readObjects(sources: readonly ManifestSource[]): RawObject[] {
  const objects: RawObject[] = [];
  const issues: InputIssue[] = [];
  for (const src of sources) {
    const documents = jsonDocuments(src.text) ?? readBlockYaml(src.text) ?? yamlDocuments(src.text);
    documents.forEach((value, index) => {
      const source: SourceRef = { file: src.name, doc: index };
      if (value instanceof YamlSyntaxError) {
        issues.push({ source, path: '', message: `YAML: ${value.message}` });
        return;
      }
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
          const itemSource: SourceRef = { file: src.name, doc: index, itemPath: `items[${i}]` };
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

/** A document the YAML parser could not read (its first error, first line). */
class YamlSyntaxError {
  constructor(readonly message: string) {}
}

function yamlDocuments(text: string): unknown[] {
  const docs = parseAllDocuments(text, { uniqueKeys: true });
  const list = Array.isArray(docs) ? docs : [docs];
  return list.map((doc) =>
    doc.errors.length > 0 ? new YamlSyntaxError(doc.errors[0]!.message.split('\n')[0]!) : doc.toJS({ maxAliasCount: 100 }),
  );
}

/**
 * Fast path for the large inputs people actually feed us (`kubectl get pods -A -o json`, or JSON
 * objects separated by `---`): when every document of the file is JSON without a repeated key
 * (parseJsonUniqueKeys), JSON.parse them — several
 * times faster than building YAML documents, at a fraction of the memory. Returns null as soon as
 * one document is not JSON (or the stream uses directives or `---` with content), so that file
 * takes the YAML path and its document numbering and errors are exactly the YAML parser's.
 * Documents are numbered as the YAML parser numbers them: text before the first `---` counts only
 * if it holds more than blank lines and comments.
 */
function jsonDocuments(text: string): unknown[] | null {
  const whole = wholeTextJson(text);
  if (whole !== undefined) return [whole];
  const chunks = text.split(/^---[ \t]*(?:\r?\n|$)/m);
  const documents: unknown[] = [];
  for (const [i, chunk] of chunks.entries()) {
    const content = chunk.replace(/^[ \t]*#.*$/gm, '').trim();
    if (content === '') {
      if (i > 0) documents.push(null);
      continue;
    }
    if (content[0] !== '{' && content[0] !== '[') return null;
    if (/^(---|\.\.\.|%)/m.test(chunk)) return null;
    const document = parseJsonUniqueKeys(content);
    if (document === undefined) return null;
    documents.push(document);
  }
  return documents;
}

/**
 * The commonest large input, one JSON document (`kubectl get -o json`), parsed without splitting
 * the text into documents and stripping comment lines first (those copies of a 20 MB text cost
 * half as much as parsing it). Gives the document jsonDocuments' split would give: a text that
 * JSON.parse reads whole has no line starting with `---`, `...`, `%` or `#` (none is JSON between
 * tokens, and a JSON string holds no line break) — except after U+2028/U+2029, which a JSON string
 * may hold and a multiline regex takes as a line break, so a text holding either takes the split.
 * undefined when the text is not one JSON object or array.
 */
function wholeTextJson(text: string): unknown {
  let start = 0;
  while (start < text.length && (text[start] === ' ' || text[start] === '\n' || text[start] === '\t' || text[start] === '\r')) start++;
  if (text[start] !== '{' && text[start] !== '[') return undefined;
  if (text.includes('\u2028') || text.includes('\u2029')) return undefined;
  return parseJsonUniqueKeys(text);
}

function isList(object: Record<string, unknown>): boolean {
  return typeof object.kind === 'string' && object.kind.endsWith('List') && 'items' in object;
}
