import type { SourceRef } from '../errors.js';
import { repeatsAKey } from '../manifests/jsonText.js';
import type { SplitValue } from './jsonObjectSplitter.js';

/**
 * What one value of a kubectl watch stream means. `kubectl get ... --watch --output-watch-events
 * -o json` prints `{"type": "ADDED"|"MODIFIED"|"DELETED"|"BOOKMARK"|"ERROR", "object": {...}}`;
 * an initial `kubectl get -o json` prints the objects themselves or a `List` of them, which read
 * as ADDED.
 */
export type WatchEvent =
  | { readonly type: 'upsert'; readonly object: Record<string, unknown>; readonly source: SourceRef }
  | { readonly type: 'delete'; readonly object: Record<string, unknown>; readonly source: SourceRef }
  | { readonly type: 'bookmark' }
  | { readonly type: 'error'; readonly message: string; readonly source: SourceRef };

const WATCH_TYPES = new Set(['ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK', 'ERROR']);

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The events one parsed value stands for. `source` names the stream (`file`), the value's
 * position (`doc`, 0-based) and, for a List, the item (`itemPath`), so an error reads
 * `-#12 items[3].spec.podSelector: ...`.
 */
export function watchEventsOf(value: unknown, source: SourceRef): WatchEvent[] {
  if (!isRecord(value)) return [{ type: 'error', message: 'expected a JSON object', source }];
  if (typeof value.type === 'string' && WATCH_TYPES.has(value.type) && 'object' in value) {
    const object = value.object;
    switch (value.type) {
      case 'BOOKMARK':
        return [{ type: 'bookmark' }];
      case 'ERROR': {
        const message = isRecord(object) && typeof object.message === 'string' ? object.message : JSON.stringify(object);
        return [{ type: 'error', message: `the watch reported an error: ${message}`, source }];
      }
      default:
        if (!isRecord(object)) return [{ type: 'error', message: `${value.type}: "object" is not an object`, source }];
        return [{ type: value.type === 'DELETED' ? 'delete' : 'upsert', object, source }];
    }
  }
  if (typeof value.kind === 'string' && value.kind.endsWith('List') && Array.isArray(value.items)) {
    return value.items.map((item, i): WatchEvent => {
      const itemSource = { ...source, itemPath: `items[${i}]` };
      return isRecord(item) ? { type: 'upsert', object: item, source: itemSource } : { type: 'error', message: 'expected an object', source: itemSource };
    });
  }
  return [{ type: 'upsert', object: value, source }];
}

/**
 * The events of one value of the stream as `JsonObjectSplitter` cut it: its text parsed, then read
 * as `watchEventsOf` does. Text that is not JSON, or that repeats a key within one object (JSON.parse
 * would keep the last of two `podSelector`s, and which one the writer meant is not known), is one
 * error event, so the value is skipped with a report instead of compiled.
 */
export function watchEventsOfText(value: SplitValue, source: SourceRef): WatchEvent[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value.text);
  } catch (error) {
    return [{ type: 'error', message: `line ${value.line}: JSON: ${(error as Error).message}`, source }];
  }
  if (repeatsAKey(value.text, parsed)) {
    return [{ type: 'error', message: `line ${value.line}: JSON: a key is repeated within one object, so which value counts is ambiguous`, source }];
  }
  return watchEventsOf(parsed, source);
}
