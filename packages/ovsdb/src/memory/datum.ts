import { defaultAtom, type Atom } from '../notation/value.js';
import type { AtomicType, ColumnType } from '../schema/types.js';

/**
 * A column value in the layout ovsdb-server holds it (`lib/ovsdb-data.c`): the atoms of the
 * client's value model (notation/value.ts), kept sorted and unique by key, with a parallel array
 * of values for a map. Keeping the server's order means sets and maps come out in the same order
 * it sends them, and equality, union, subtraction and update2 diffs are merges of sorted arrays.
 * Which kind a column is (scalar, optional, set, map) is `columnKind` of schema/types.ts.
 */
export type { Atom };

export interface Datum {
  readonly keys: readonly Atom[];
  /** Present exactly for map columns. */
  readonly values?: readonly Atom[];
}

export const EMPTY_DATUM: Datum = Object.freeze({ keys: Object.freeze([]) as readonly Atom[] });

// ---------------------------------------------------------------- order

/**
 * strcmp order on UTF-8 bytes equals code point order; JS compares UTF-16 code units, which
 * differs only between surrogates and U+E000..U+FFFF — fixed up at the first difference.
 */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x !== y) {
      if (x >= 0xd800 && y >= 0xd800) {
        x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
        y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
      }
      return x - y;
    }
  }
  return a.length - b.length;
}

export function compareAtoms(type: AtomicType, a: Atom, b: Atom): number {
  switch (type) {
    case 'integer':
    case 'real':
      return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
    case 'boolean':
      return (a ? 1 : 0) - (b ? 1 : 0);
    case 'string':
      return compareStrings(a as string, b as string);
    case 'uuid':
      // Fixed-width lowercase hex: text order is uuid_compare_3way's word order.
      return a === b ? 0 : (a as string) < (b as string) ? -1 : 1;
  }
}

/** `ovsdb_datum_compare_3way`: by size, then keys, then values (select's `sort`). */
export function compareDatums(type: ColumnType, a: Datum, b: Datum): number {
  if (a.keys.length !== b.keys.length) return a.keys.length - b.keys.length;
  for (let i = 0; i < a.keys.length; i++) {
    const c = compareAtoms(type.key.type, a.keys[i] as Atom, b.keys[i] as Atom);
    if (c !== 0) return c;
  }
  if (type.value && a.values && b.values) {
    for (let i = 0; i < a.values.length; i++) {
      const c = compareAtoms(type.value.type, a.values[i] as Atom, b.values[i] as Atom);
      if (c !== 0) return c;
    }
  }
  return 0;
}

/** Index of `key` in the sorted keys, or -(insertion point) - 1. */
export function findKey(type: AtomicType, keys: readonly Atom[], key: Atom): number {
  let lo = 0;
  let hi = keys.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const c = compareAtoms(type, keys[mid] as Atom, key);
    if (c < 0) lo = mid + 1;
    else if (c > 0) hi = mid - 1;
    else return mid;
  }
  return -lo - 1;
}

// ---------------------------------------------------------------- defaults

/** RFC 7047: min 0 → empty; min 1 → one default atom (and value). */
export function defaultDatum(type: ColumnType): Datum {
  if (type.min === 0) return type.value ? { keys: [], values: [] } : EMPTY_DATUM;
  return type.value
    ? { keys: [defaultAtom(type.key)], values: [defaultAtom(type.value)] }
    : { keys: [defaultAtom(type.key)] };
}

export function isDefaultDatum(type: ColumnType, datum: Datum): boolean {
  if (datum.keys.length !== type.min) return false;
  if (type.min === 0) return true;
  if (datum.keys[0] !== defaultAtom(type.key)) return false;
  return type.value === undefined || datum.values?.[0] === defaultAtom(type.value);
}

// ---------------------------------------------------------------- equality and set algebra

export function datumEquals(a: Datum, b: Datum): boolean {
  if (a === b) return true;
  const n = a.keys.length;
  if (n !== b.keys.length) return false;
  for (let i = 0; i < n; i++) if (a.keys[i] !== b.keys[i]) return false;
  if (a.values) {
    for (let i = 0; i < n; i++) if (a.values[i] !== (b.values as readonly Atom[])[i]) return false;
  }
  return true;
}

/** Collects chosen entries (key, and value for a map) of other datums into a new one. */
class DatumBuilder {
  private readonly keys: Atom[] = [];
  private readonly values: Atom[] | undefined;

  constructor(type: ColumnType) {
    this.values = type.value ? [] : undefined;
  }

  get size(): number {
    return this.keys.length;
  }

  /** Appends entry `i` of `from`; entries must come in key order. */
  push(from: Datum, i: number): void {
    this.keys.push(from.keys[i] as Atom);
    this.values?.push((from.values as readonly Atom[])[i] as Atom);
  }

  build(): Datum {
    return this.values ? { keys: this.keys, values: this.values } : { keys: this.keys };
  }
}

/**
 * Walks the keys of two sorted datums in key order, calling `visit(i, j)` once per distinct key
 * with its index in `a` and in `b`, -1 on the side that lacks it.
 */
function mergeKeys(type: ColumnType, a: Datum, b: Datum, visit: (i: number, j: number) => void): void {
  const kt = type.key.type;
  let i = 0;
  let j = 0;
  while (i < a.keys.length || j < b.keys.length) {
    const c = i >= a.keys.length ? 1 : j >= b.keys.length ? -1 : compareAtoms(kt, a.keys[i] as Atom, b.keys[j] as Atom);
    visit(c <= 0 ? i++ : -1, c >= 0 ? j++ : -1);
  }
}

/** `ovsdb_datum_union`: adds keys of `arg` not in `dst` (a map key already present keeps its value). */
export function datumUnion(type: ColumnType, dst: Datum, arg: Datum): Datum {
  if (arg.keys.length === 0) return dst;
  const out = new DatumBuilder(type);
  mergeKeys(type, dst, arg, (i, j) => (i >= 0 ? out.push(dst, i) : out.push(arg, j)));
  return out.build();
}

/**
 * `ovsdb_datum_subtract`: removes from `dst` the keys of `arg`; when both are maps, only pairs
 * whose key and value both match (ovsdb-server(7): map delete by pairs or by a set of keys).
 */
export function datumSubtract(type: ColumnType, dst: Datum, arg: Datum): Datum {
  if (arg.keys.length === 0 || dst.keys.length === 0) return dst;
  const byPairs = type.value !== undefined && arg.values !== undefined;
  const out = new DatumBuilder(type);
  mergeKeys(type, dst, arg, (i, j) => {
    if (i < 0) return;
    const match = j >= 0 && (!byPairs || (arg.values as readonly Atom[])[j] === (dst.values as readonly Atom[])[i]);
    if (!match) out.push(dst, i);
  });
  return out.size === dst.keys.length ? dst : out.build();
}

/** Every key (pair, for maps) of `arg` is in `field`. */
export function datumIncludes(field: Datum, arg: Datum, type: ColumnType): boolean {
  for (let j = 0; j < arg.keys.length; j++) {
    const i = findKey(type.key.type, field.keys, arg.keys[j] as Atom);
    if (i < 0) return false;
    if (arg.values && field.values && field.values[i] !== arg.values[j]) return false;
  }
  return true;
}

/** No key (pair, for maps) of `arg` is in `field`. */
export function datumExcludes(field: Datum, arg: Datum, type: ColumnType): boolean {
  for (let j = 0; j < arg.keys.length; j++) {
    const i = findKey(type.key.type, field.keys, arg.keys[j] as Atom);
    if (i >= 0 && (!arg.values || !field.values || field.values[i] === arg.values[j])) return false;
  }
  return true;
}

/**
 * The update2 `modify` value of a column (`ovsdb_datum_diff`): the new value for a column of at
 * most one element, the symmetric difference for a set, and for a map the pairs whose key is on
 * one side only plus `[key, newValue]` for changed values.
 */
export function datumDiff(type: ColumnType, old: Datum, now: Datum): Datum {
  if (type.max === 1 && !type.value) return now;
  const out = new DatumBuilder(type);
  mergeKeys(type, old, now, (i, j) => {
    if (j < 0) out.push(old, i);
    else if (i < 0 || (type.value && (old.values as readonly Atom[])[i] !== (now.values as readonly Atom[])[j])) out.push(now, j);
  });
  return out.build();
}
