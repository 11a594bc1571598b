import { setEntry } from './codec.js';
import type { Atom, Row, Value } from './value.js';

/**
 * One order for values whose wire order carries no meaning: set members and map keys. Two
 * decoded rows with the same content are `toEqual` (and JSON-identical) once canonical — what a
 * cache dump is compared with a fresh select by.
 */
function compareAtoms(a: Atom, b: Atom): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function canonicalValue(value: Value): Value {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return [...(value as readonly Atom[])].sort(compareAtoms);
  const map = value as Readonly<Record<string, Atom>>;
  const sorted: Record<string, Atom> = {};
  for (const key of Object.keys(map).sort()) setEntry(sorted, key, map[key] as Atom);
  return sorted;
}

export function canonicalRow(row: Row): Row {
  const out: Record<string, Value> = {};
  for (const key of Object.keys(row).sort()) out[key] = canonicalValue(row[key] as Value);
  return out;
}

/** Content equality of two decoded values (set order ignored). */
export function valuesEqual(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bs = b as readonly Atom[];
    if (a.length !== bs.length) return false;
    // A planner compares the columns of thousands of rows per plan: no set for a few atoms.
    if (a.length <= 8) return bs.every((x) => (a as readonly Atom[]).includes(x));
    const members = new Set<Atom>(a as readonly Atom[]);
    return bs.every((x) => members.has(x));
  }
  // Maps (external_ids, options): compared key by key without listing the keys.
  const am = a as Readonly<Record<string, Atom>>;
  const bm = b as Readonly<Record<string, Atom>>;
  for (const k in am) if (!Object.prototype.hasOwnProperty.call(bm, k) || am[k] !== bm[k]) return false;
  for (const k in bm) if (!Object.prototype.hasOwnProperty.call(am, k)) return false;
  return true;
}

export function rowsEqual(a: Row, b: Row): boolean {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((k) => k in b && valuesEqual(a[k] as Value, b[k] as Value));
}
