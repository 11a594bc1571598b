import { formatSource, InputError, type InputIssue, type SourceRef } from '../errors.js';
import type { KindHandler } from './handler.js';
import { deepFreeze } from '../model/deepFreeze.js';
import { emptyModelBuilder, type IgnoredObject, type Model } from '../model/model.js';
import { readObjects, type ManifestSource } from './documents.js';
import { kindHandlers, type ModelKind } from './kinds.js';
import { unreadApiVersion } from './apiVersions.js';
import { JsonListItems } from './jsonList.js';
import { keyCount } from './jsonText.js';

// How loadModel (load.ts, the public entry) reads: apart from it so that the size it reads lists
// item by item from can be given by tests without becoming public API.

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

/** loadModel, with the size from which a list is read item by item (tests read small lists so). */
export function loadModelReading(sources: readonly ManifestSource[], options: LoadOptions, itemByItemFrom: number): LoadedModel {
  const defaultNamespace = options.defaultNamespace ?? 'default';
  const only = sources.length === 1 ? sources[0]! : undefined;
  const listed = only !== undefined && only.text.length >= itemByItemFrom ? loadListItems(only, defaultNamespace) : null;
  if (listed !== null) return listed;
  const objects = readObjects(sources);
  const loading = new ModelLoading(defaultNamespace);
  // Indexed: a for-of over 60,000 objects made iterator results until the loop was optimized.
  for (let i = 0; i < objects.length; i++) loading.take(objects[i]!.object, objects[i]!.source);
  return loading.finished(objects.length);
}

/**
 * One `kind: List` JSON file (`kubectl get -o json`, the commonest large input) read item by item
 * (jsonList.ts): each item parsed and taken into the model before the next, so that what the
 * model does not keep of it dies young. The objects, their sources and the model are those
 * readObjects and the loop above give; null when the text is not such a list, or when it is not
 * JSON or repeats a key (found only once every item was parsed): the caller then reads it as before,
 * and readObjects reports what is wrong.
 */
function loadListItems(source: ManifestSource, defaultNamespace: string): LoadedModel | null {
  const items = JsonListItems.of(source.text);
  if (items === null) return null;
  const loading = new ModelLoading(defaultNamespace);
  let parsedKeys = 0;
  let count = 0;
  while (items.next()) {
    let item: Record<string, unknown>;
    try {
      item = JSON.parse(source.text.slice(items.start, items.end)) as Record<string, unknown>;
    } catch {
      return null;
    }
    parsedKeys += keyCount(item);
    loading.take(item, { file: source.name, doc: 0, itemPath: `items[${count++}]` });
  }
  const envelope = items.envelope();
  if (envelope === null || parsedKeys + keyCount(envelope) !== items.writtenKeys) return null;
  return loading.finished(count);
}

/** The model built from objects taken one at a time, in the order of the sources. */
class ModelLoading {
  private readonly into = emptyModelBuilder();
  private readonly ignored: IgnoredObject[] = [];
  private readonly issues: InputIssue[] = [];
  private readonly seen = new Map<string, Map<string, Map<string, SourceRef>>>();

  constructor(private readonly defaultNamespace: string) {}

  take(object: Record<string, unknown>, source: SourceRef): void {
    const kind = typeof object.kind === 'string' ? object.kind : '';
    const apiVersion = typeof object.apiVersion === 'string' ? object.apiVersion : '';
    const handler = Object.hasOwn(kindHandlers, kind) ? kindHandlers[kind as ModelKind] : undefined;
    if (!handler || !handler.apiVersions.includes(apiVersion) || (handler.claims && !handler.claims(object))) {
      // An object of a kind we read that is not the one object of that kind we want (a ConfigMap
      // other than Kube-OVN's gateway configuration) is not ours, whatever its apiVersion.
      const unread = handler?.claims && !handler.claims(object) ? null : unreadApiVersion(kind, apiVersion);
      if (unread) {
        this.issues.push({ source, ...unread });
        return;
      }
      const meta = object.metadata as { name?: unknown } | undefined;
      this.ignored.push({ source, apiVersion, kind, name: typeof meta?.name === 'string' ? meta.name : '' });
      return;
    }
    const placed = handler.scope === 'Namespaced' ? withNamespace(object, this.defaultNamespace) : object;
    const duplicate = firstDefinition(this.seen, kind, handler, placed, source);
    if (duplicate) {
      this.issues.push(duplicate);
      return;
    }
    // Most objects have no issue: no spread of an empty (frozen) list per object.
    const found = handler.add(placed, source, this.into);
    if (found.length > 0) this.issues.push(...found);
  }

  /** The frozen model; InputError when an object taken had an issue. */
  finished(objectCount: number): LoadedModel {
    if (this.issues.length > 0) throw new InputError(this.issues);
    return { model: deepFreeze(this.into) as Model, ignored: this.ignored, objectCount };
  }
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
