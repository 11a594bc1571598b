import { OBJECT_KIND_KEY, OBJECT_NAME_KEY, OBJECT_NAMESPACE_KEY, type ObjectRef, type OwnedKind } from '../ownership.js';
import type { NbRow } from '../rows/index.js';

/** What one CompileSession event changed in the compiled rows. */
export interface RowDelta {
  readonly added: readonly NbRow[];
  readonly changed: readonly NbRow[];
  readonly removed: readonly NbRow[];
}

export const emptyRowDelta: RowDelta = Object.freeze({ added: [], changed: [], removed: [] });

/**
 * A row's identity across compiles: its table and what the reconciler finds it by (a name, an
 * ACL's or NAT's owner keys in external_ids). Two rows of one compile never share it.
 */
export function rowKey(row: NbRow): string {
  switch (row.table) {
    case 'Port_Group':
    case 'Address_Set':
    case 'Load_Balancer':
      return `${row.table}\u0000${row.name}`;
    case 'ACL':
      return `ACL\u0000${row.portGroup}\u0000${JSON.stringify(row.externalIds)}`;
    case 'NAT':
      return `NAT\u0000${row.router}\u0000${row.type}\u0000${row.externalIp}\u0000${row.logicalIp}`;
  }
}

/**
 * The rows of the session by key, and the first value of every key an event touches, so the
 * delta is computed over the touched keys only.
 */
export class RowStore {
  private readonly rows = new Map<string, NbRow>();
  /** Owner object (`kind namespace/name` of external_ids) → keys of its rows. */
  private readonly byObject = new Map<string, Set<string>>();
  private touched = new Map<string, NbRow | undefined>();

  get size(): number {
    return this.rows.size;
  }

  values(): IterableIterator<NbRow> {
    return this.rows.values();
  }

  remove(rows: Iterable<NbRow>): void {
    for (const row of rows) {
      const key = rowKey(row);
      this.touch(key);
      this.rows.delete(key);
      const owned = this.byObject.get(ownerKey(row));
      owned?.delete(key);
      if (owned?.size === 0) this.byObject.delete(ownerKey(row));
    }
  }

  add(rows: Iterable<NbRow>): void {
    for (const row of rows) {
      const key = rowKey(row);
      this.touch(key);
      this.rows.set(key, row);
      let owned = this.byObject.get(ownerKey(row));
      if (!owned) this.byObject.set(ownerKey(row), (owned = new Set()));
      owned.add(key);
    }
  }

  /** Every row produced from `object`. */
  rowsOf(object: ObjectRef): NbRow[] {
    return [...(this.byObject.get(objectRefKey(object)) ?? [])].map((key) => this.rows.get(key)!);
  }

  /** The delta since the last call. */
  takeDelta(): RowDelta {
    const added: NbRow[] = [];
    const changed: NbRow[] = [];
    const removed: NbRow[] = [];
    for (const [key, before] of this.touched) {
      const after = this.rows.get(key);
      if (before === undefined) {
        if (after !== undefined) added.push(after);
      } else if (after === undefined) removed.push(before);
      else if (!sameValue(before, after)) changed.push(after);
      // A recompiled row equal to the one it replaces: keep the old object, so what remembers rows
      // by identity (the reconciler's plan memo) still knows it and need not compare it again.
      else if (before !== after) this.rows.set(key, before);
    }
    this.touched = new Map();
    return { added, changed, removed };
  }

  private touch(key: string): void {
    if (!this.touched.has(key)) this.touched.set(key, this.rows.get(key));
  }
}

/**
 * Are two rows equal as JSON values (what `JSON.stringify` would print alike, key order aside)?
 * Rows are frozen plain objects of strings, numbers, booleans, null, arrays and objects; a
 * recompiled row often shares its unchanged arrays with the old one, and comparing element by
 * element costs far less than printing two address sets of thousands of entries.
 */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameValue(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const aKeys = Object.keys(a);
  if (aKeys.length !== Object.keys(b).length) return false;
  for (const key of aKeys) {
    if (!Object.hasOwn(b, key) || !sameValue((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key])) return false;
  }
  return true;
}

/** The object a row was produced from (its owner keys in external_ids). */
export function ownerObjectOf(row: NbRow): ObjectRef {
  const ids = row.externalIds;
  return { kind: ids[OBJECT_KIND_KEY] as OwnedKind, namespace: ids[OBJECT_NAMESPACE_KEY] ?? '', name: ids[OBJECT_NAME_KEY] ?? '' };
}

export const objectRefKey = (object: ObjectRef): string => `${object.kind} ${object.namespace}/${object.name}`;

const ownerKey = (row: NbRow): string => objectRefKey(ownerObjectOf(row));

/**
 * The objects whose rows a delta touches, each once: what `Reconciler.reconcileObjects` is given,
 * with `CompileSession.rowsOfObjects` of them.
 */
export function objectsOfDelta(delta: RowDelta): ObjectRef[] {
  const out = new Map<string, ObjectRef>();
  for (const row of [...delta.added, ...delta.changed, ...delta.removed]) {
    const object = ownerObjectOf(row);
    out.set(objectRefKey(object), object);
  }
  return [...out.values()];
}
