import { formatSource, InputError, type InputIssue, type SourceRef } from '../errors.js';
import type { KindHandler } from './handler.js';
import { deepFreeze } from '../model/deepFreeze.js';
import { emptyModelBuilder, type IgnoredObject, type Model } from '../model/model.js';
import { readObjects, type ManifestSource } from './documents.js';
import { kindHandlers, type ModelKind } from './kinds.js';
import { unreadApiVersion } from './apiVersions.js';

export interface LoadedModel {
  readonly model: Model;
  readonly ignored: readonly IgnoredObject[];
  /** Objects read from the sources, ignored ones included (0: the input held no object at all). */
  readonly objectCount: number;
}

export interface LoadOptions {
  /**
   * The namespace of namespaced objects written without metadata.namespace (kubectl's -n); `default`
   * unless given, as kubectl.
   */
  readonly defaultNamespace?: string;
}

/**
 * manifests → validated model, frozen all the way down (its lists, every object, their labels,
 * rules and ports): immutable as its type says, so callers may hold parts of it. Throws InputError
 * with every issue found (file, document, field path); nothing partial is returned.
 */
export function loadModel(sources: readonly ManifestSource[], options: LoadOptions = {}): LoadedModel {
  const defaultNamespace = options.defaultNamespace ?? 'default';
  const objects = readObjects(sources);
  const into = emptyModelBuilder();
  const ignored: IgnoredObject[] = [];
  const issues: InputIssue[] = [];
  const seen = new Map<string, Map<string, Map<string, SourceRef>>>();
  // Indexed: a for-of over 60,000 objects made iterator results until the loop was optimized.
  for (let i = 0; i < objects.length; i++) {
    const { source, object } = objects[i]!;
    const kind = typeof object.kind === 'string' ? object.kind : '';
    const apiVersion = typeof object.apiVersion === 'string' ? object.apiVersion : '';
    const handler = Object.hasOwn(kindHandlers, kind) ? kindHandlers[kind as ModelKind] : undefined;
    if (!handler || !handler.apiVersions.includes(apiVersion) || (handler.claims && !handler.claims(object))) {
      // An object of a kind we read that is not the one object of that kind we want (a ConfigMap
      // other than Kube-OVN's gateway configuration) is not ours, whatever its apiVersion.
      const unread = handler?.claims && !handler.claims(object) ? null : unreadApiVersion(kind, apiVersion);
      if (unread) {
        issues.push({ source, ...unread });
        continue;
      }
      const meta = object.metadata as { name?: unknown } | undefined;
      ignored.push({ source, apiVersion, kind, name: typeof meta?.name === 'string' ? meta.name : '' });
      continue;
    }
    const placed = handler.scope === 'Namespaced' ? withNamespace(object, defaultNamespace) : object;
    const duplicate = firstDefinition(seen, kind, handler, placed, source);
    if (duplicate) {
      issues.push(duplicate);
      continue;
    }
    // Most objects have no issue: no spread of an empty (frozen) list per object.
    const found = handler.add(placed, source, into);
    if (found.length > 0) issues.push(...found);
  }
  if (issues.length > 0) throw new InputError(issues);
  return { model: deepFreeze(into) as Model, ignored, objectCount: objects.length };
}

/**
 * A namespaced object without metadata.namespace is in the default namespace, as kubectl places it
 * (`-n`, else `default`). A metadata that is not a mapping is left to the kind's schema to report.
 */
function withNamespace(object: Record<string, unknown>, namespace: string): Record<string, unknown> {
  const meta = object.metadata;
  if (meta === null || typeof meta !== 'object' || Array.isArray(meta)) return object;
  if ((meta as { namespace?: unknown }).namespace !== undefined) return object;
  return { ...object, metadata: { ...meta, namespace } };
}

/**
 * Two objects of one kind, namespace and name would silently shadow each other (the API server
 * would have refused the second): the second is an input error naming where the first was.
 * Objects without a name string are left to the kind's schema, which reports the field.
 * `seen` holds, per kind and namespace (`''` for cluster-scoped kinds), name → where it was first
 * defined: nested maps, so that no `namespace/name` text is built for each of 50,000 pods.
 */
function firstDefinition(
  seen: Map<string, Map<string, Map<string, SourceRef>>>,
  kind: string,
  handler: KindHandler,
  object: Record<string, unknown>,
  source: SourceRef,
): InputIssue | null {
  const meta = object.metadata as { name?: unknown; namespace?: unknown } | undefined;
  if (typeof meta?.name !== 'string') return null;
  const namespace = handler.scope === 'Namespaced' && typeof meta.namespace === 'string' ? meta.namespace : '';
  let ofKind = seen.get(kind);
  if (!ofKind) seen.set(kind, (ofKind = new Map()));
  let inNamespace = ofKind.get(namespace);
  if (!inNamespace) ofKind.set(namespace, (inNamespace = new Map()));
  const first = inNamespace.get(meta.name);
  if (!first) {
    inNamespace.set(meta.name, source);
    return null;
  }
  const id = namespace === '' ? meta.name : `${namespace}/${meta.name}`;
  const where = first.itemPath ? `${formatSource(first)} ${first.itemPath}` : formatSource(first);
  return { source, path: 'metadata.name', message: `duplicate ${kind} ${id} (first defined at ${where})` };
}
