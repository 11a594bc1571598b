import { OvsdbError } from '../errors.js';
import { canonicalValue } from '../notation/canonical.js';
import type { Uuid } from '../notation/uuid.js';
import type { Value } from '../notation/value.js';
import type { CachedRow } from './cachedRow.js';

/**
 * How rows of one table are looked up besides `_uuid`:
 * - `columns`: the tuple of these columns' values, e.g. the schema index Port_Group[name];
 * - `externalIdKey`: one key of a string map column (default `external_ids`), e.g. ACLs by
 *   `nbgen/owner`; rows without the key are not in the index.
 * Client indexes need not be unique, so a key maps to a set of rows.
 */
export type IndexSpec =
  | { readonly name: string; readonly columns: readonly string[] }
  | { readonly name: string; readonly externalIdKey: string; readonly mapColumn?: string };

export class RowIndex {
  private readonly byKey = new Map<string, Set<Uuid>>();
  readonly keyOf: (row: CachedRow) => string | undefined;

  constructor(readonly spec: IndexSpec) {
    if ('columns' in spec) {
      const columns = spec.columns;
      this.keyOf =
        columns.length === 1
          ? (row) => indexKey(row[columns[0] as string] as Value)
          : (row) => JSON.stringify(columns.map((c) => canonicalValue(row[c] as Value)));
    } else {
      const column = spec.mapColumn ?? 'external_ids';
      const key = spec.externalIdKey;
      this.keyOf = (row) => {
        const map = row[column] as Readonly<Record<string, unknown>> | undefined;
        const v = map?.[key];
        return typeof v === 'string' ? v : undefined;
      };
    }
  }

  /** The lookup key for the values a caller passes (one value, or one per column). */
  keyFor(values: Value | readonly Value[]): string {
    const spec = this.spec;
    if ('columns' in spec) {
      if (spec.columns.length === 1) return indexKey(values as Value);
      if (!Array.isArray(values) || values.length !== spec.columns.length) {
        throw new OvsdbError('OVSDB_SCHEMA', `index ${spec.name}: give one value per column (${spec.columns.join(', ')})`);
      }
      return JSON.stringify((values as readonly Value[]).map((v) => canonicalValue(v)));
    }
    if (typeof values !== 'string') throw new OvsdbError('OVSDB_SCHEMA', `index ${spec.name}: key must be a string`);
    return values;
  }

  add(uuid: Uuid, row: CachedRow): void {
    const key = this.keyOf(row);
    if (key === undefined) return;
    let set = this.byKey.get(key);
    if (!set) this.byKey.set(key, (set = new Set()));
    set.add(uuid);
  }

  remove(uuid: Uuid, row: CachedRow): void {
    const key = this.keyOf(row);
    if (key === undefined) return;
    const set = this.byKey.get(key);
    if (!set) return;
    set.delete(uuid);
    if (set.size === 0) this.byKey.delete(key);
  }

  /** Moves a row whose content changed; no work when its key did not. */
  replace(uuid: Uuid, oldRow: CachedRow, newRow: CachedRow): void {
    if (this.keyOf(oldRow) === this.keyOf(newRow)) return;
    this.remove(uuid, oldRow);
    this.add(uuid, newRow);
  }

  get(key: string): ReadonlySet<Uuid> | undefined {
    return this.byKey.get(key);
  }

  clear(): void {
    this.byKey.clear();
  }
}

/**
 * Single-column keys: a string is its own key (no copy: a planner looks up every port by name, and
 * a concatenated key is hashed anew on each lookup); numbers and booleans, and anything else in
 * canonical JSON, after a NUL, which no OVSDB string holds (ovsdb-server refuses it).
 */
function indexKey(value: Value): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return `\u0000p:${String(value)}`;
  return `\u0000j:${JSON.stringify(canonicalValue(value))}`;
}
