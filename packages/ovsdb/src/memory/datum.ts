import type { AtomicType, BaseType, ColumnType } from '../schema/types';
import { DbError, syntaxError, dbError } from './dbError';

/**
 * Column values as ovsdb-server holds them (`lib/ovsdb-data.c`): a datum is a set of atoms kept
 * sorted and unique by key, with a parallel array of values for a map. Keeping the server's order
 * means sets and maps come out in the same order it sends them, and equality, union, subtraction
 * and update2 diffs are merges of sorted arrays.
 *
 * Atoms are plain JS values: integer and real → number, boolean, string, uuid → lowercase text.
 */
export type Atom = number | boolean | string;

export interface Datum {
  readonly keys: readonly Atom[];
  /** Present exactly for map columns. */
  readonly values?: readonly Atom[];
}

export const EMPTY_DATUM: Datum = Object.freeze({ keys: Object.freeze([]) as readonly Atom[] });

export function isMapType(type: ColumnType): boolean {
  return type.value !== undefined;
}

/** Exactly one atom (min 1, max 1, not a map). */
export function isScalarType(type: ColumnType): boolean {
  return type.value === undefined && type.min === 1 && type.max === 1;
}

/** `ovsdb_type_is_set`: not a map and not a scalar — optional (0..1) columns are sets. */
export function isSetType(type: ColumnType): boolean {
  return type.value === undefined && !(type.min === 1 && type.max === 1);
}

export function isOptionalScalarType(type: ColumnType): boolean {
  return type.value === undefined && type.min === 0 && type.max === 1;
}

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

export function defaultAtom(type: AtomicType): Atom {
  switch (type) {
    case 'integer':
    case 'real':
      return 0;
    case 'boolean':
      return false;
    case 'string':
      return '';
    case 'uuid':
      return '00000000-0000-0000-0000-000000000000';
  }
}

/** RFC 7047: min 0 → empty; min 1 → one default atom (and value). */
export function defaultDatum(type: ColumnType): Datum {
  if (type.min === 0) return type.value ? { keys: [], values: [] } : EMPTY_DATUM;
  return type.value
    ? { keys: [defaultAtom(type.key.type)], values: [defaultAtom(type.value.type)] }
    : { keys: [defaultAtom(type.key.type)] };
}

export function isDefaultDatum(type: ColumnType, datum: Datum): boolean {
  if (datum.keys.length !== type.min) return false;
  if (type.min === 0) return true;
  if (datum.keys[0] !== defaultAtom(type.key.type)) return false;
  return type.value === undefined || datum.values?.[0] === defaultAtom(type.value.type);
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

/** `ovsdb_datum_union`: adds keys of `arg` not in `dst` (a map key already present keeps its value). */
export function datumUnion(type: ColumnType, dst: Datum, arg: Datum): Datum {
  if (arg.keys.length === 0) return dst;
  const kt = type.key.type;
  const keys: Atom[] = [];
  const values: Atom[] | undefined = type.value ? [] : undefined;
  let i = 0;
  let j = 0;
  const a = dst.keys;
  const b = arg.keys;
  while (i < a.length || j < b.length) {
    const c = i >= a.length ? 1 : j >= b.length ? -1 : compareAtoms(kt, a[i] as Atom, b[j] as Atom);
    if (c <= 0) {
      keys.push(a[i] as Atom);
      values?.push((dst.values as readonly Atom[])[i] as Atom);
      i++;
      if (c === 0) j++;
    } else {
      keys.push(b[j] as Atom);
      values?.push((arg.values as readonly Atom[])[j] as Atom);
      j++;
    }
  }
  return values ? { keys, values } : { keys };
}

/**
 * `ovsdb_datum_subtract`: removes from `dst` the keys of `arg`; when both are maps, only pairs
 * whose key and value both match (ovsdb-server(7): map delete by pairs or by a set of keys).
 */
export function datumSubtract(type: ColumnType, dst: Datum, arg: Datum): Datum {
  if (arg.keys.length === 0 || dst.keys.length === 0) return dst;
  const kt = type.key.type;
  const byPairs = type.value !== undefined && arg.values !== undefined;
  const keys: Atom[] = [];
  const values: Atom[] | undefined = type.value ? [] : undefined;
  let j = 0;
  const b = arg.keys;
  for (let i = 0; i < dst.keys.length; i++) {
    const key = dst.keys[i] as Atom;
    while (j < b.length && compareAtoms(kt, b[j] as Atom, key) < 0) j++;
    const match = j < b.length && b[j] === key && (!byPairs || (arg.values as readonly Atom[])[j] === (dst.values as readonly Atom[])[i]);
    if (!match) {
      keys.push(key);
      values?.push((dst.values as readonly Atom[])[i] as Atom);
    }
  }
  if (keys.length === dst.keys.length) return dst;
  return values ? { keys, values } : { keys };
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
  const kt = type.key.type;
  const keys: Atom[] = [];
  const values: Atom[] | undefined = type.value ? [] : undefined;
  let i = 0;
  let j = 0;
  const a = old.keys;
  const b = now.keys;
  while (i < a.length || j < b.length) {
    const c = i >= a.length ? 1 : j >= b.length ? -1 : compareAtoms(kt, a[i] as Atom, b[j] as Atom);
    if (c < 0) {
      keys.push(a[i] as Atom);
      values?.push((old.values as readonly Atom[])[i] as Atom);
      i++;
    } else if (c > 0) {
      keys.push(b[j] as Atom);
      values?.push((now.values as readonly Atom[])[j] as Atom);
      j++;
    } else {
      if (values && (old.values as readonly Atom[])[i] !== (now.values as readonly Atom[])[j]) {
        keys.push(b[j] as Atom);
        values.push((now.values as readonly Atom[])[j] as Atom);
      }
      i++;
      j++;
    }
  }
  return values ? { keys, values } : { keys };
}

// ---------------------------------------------------------------- JSON

export function atomToJson(type: AtomicType, atom: Atom): unknown {
  return type === 'uuid' ? ['uuid', atom] : atom;
}

/** `ovsdb_datum_to_json`: maps always tagged, a 1-element set bare, otherwise `["set", [...]]`. */
export function datumToJson(type: ColumnType, datum: Datum): unknown {
  const kt = type.key.type;
  if (type.value) {
    const vt = type.value.type;
    const values = datum.values as readonly Atom[];
    return ['map', datum.keys.map((k, i) => [atomToJson(kt, k), atomToJson(vt, values[i] as Atom)])];
  }
  if (datum.keys.length === 1) return atomToJson(kt, datum.keys[0] as Atom);
  return ['set', datum.keys.map((k) => atomToJson(kt, k))];
}

/** Named UUIDs of one transaction (`ovsdb_symbol_table`). */
export interface UuidSymbol {
  readonly uuid: string;
  /** An insert with this `uuid-name` ran. */
  created: boolean;
}

export interface SymbolTable {
  lookupOrCreate(name: string): UuidSymbol;
}

const UUID_TEXT = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const ID_TEXT = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export function isUuidText(s: string): boolean {
  return s.length === 36 && UUID_TEXT.test(s);
}

export function isId(s: string): boolean {
  return ID_TEXT.test(s);
}

function jsonTypeName(json: unknown): string {
  if (json === null) return 'null';
  if (Array.isArray(json)) return 'array';
  if (typeof json === 'object') return 'object';
  if (typeof json === 'boolean') return json ? 'true' : 'false';
  if (typeof json === 'number') return Number.isInteger(json) ? 'integer' : 'real';
  return typeof json;
}

/** `unwrap_json`: `[name, <value of kind>]`. */
function unwrap(json: unknown, name: string, kind: 'array' | 'string'): unknown {
  if (
    Array.isArray(json) &&
    json.length === 2 &&
    json[0] === name &&
    (kind === 'array' ? Array.isArray(json[1]) : typeof json[1] === 'string')
  ) {
    return json[1];
  }
  throw syntaxError(json, null, `expected ["${name}", <${kind}>]`);
}

function parseUuidAtom(json: unknown, symtab: SymbolTable | null): string {
  // Checked by shape rather than by catching unwrap's error: a 50k-row transaction holds
  // 50k named-uuids, and building an error per atom would dominate its cost.
  if (Array.isArray(json) && json.length === 2 && typeof json[1] === 'string') {
    if (json[0] === 'uuid') {
      const text = json[1];
      if (!isUuidText(text)) throw syntaxError(json, null, `"${text}" is not a valid UUID`);
      return text.toLowerCase();
    }
    if (json[0] === 'named-uuid' && symtab) {
      if (!isId(json[1])) throw syntaxError(json, null, 'named-uuid string is not a valid <id>');
      return symtab.lookupOrCreate(json[1]).uuid;
    }
  }
  throw syntaxError(json, null, 'expected ["uuid", <string>]');
}

/** `ovsdb_atom_from_json` including the base type's constraints. */
export function parseAtom(base: BaseType, json: unknown, symtab: SymbolTable | null): Atom {
  let atom: Atom | undefined;
  switch (base.type) {
    case 'integer':
      if (typeof json === 'number' && Number.isInteger(json)) atom = json;
      break;
    case 'real':
      if (typeof json === 'number') atom = json;
      break;
    case 'boolean':
      if (typeof json === 'boolean') atom = json;
      break;
    case 'string':
      if (typeof json === 'string') atom = json;
      break;
    case 'uuid':
      atom = parseUuidAtom(json, symtab);
      break;
  }
  if (atom === undefined) throw syntaxError(json, null, `expected ${base.type}`);
  const violation = atomConstraintError(base, atom);
  if (violation) throw violation;
  return atom;
}

/** `ovsdb_datum_from_json`: sizes, atoms and their constraints, then sort (duplicates are errors). */
export function parseDatum(type: ColumnType, json: unknown, symtab: SymbolTable | null): Datum {
  const isMap = type.value !== undefined;
  if (isMap || (Array.isArray(json) && json.length > 0 && json[0] === 'set')) {
    const kind = isMap ? 'map' : 'set';
    const inner = unwrap(json, kind, 'array') as unknown[];
    const n = inner.length;
    if (n < type.min || n > type.max) {
      if (type.min === 1 && type.max === 1) {
        throw syntaxError(json, null, `${kind} must have exactly one member but ${n} are present`);
      }
      throw syntaxError(json, null, `${kind} must have ${type.min} to ${type.max === Infinity ? 4294967295 : type.max} members but ${n} are present`);
    }
    const keys: Atom[] = new Array<Atom>(n);
    const values: Atom[] | undefined = isMap ? new Array<Atom>(n) : undefined;
    for (let i = 0; i < n; i++) {
      const element = inner[i];
      if (isMap) {
        if (!Array.isArray(element) || element.length !== 2) throw syntaxError(element, null, 'expected 2-element array');
        keys[i] = parseAtom(type.key, element[0], symtab);
        (values as Atom[])[i] = parseAtom(type.value as BaseType, element[1], symtab);
      } else {
        keys[i] = parseAtom(type.key, element, symtab);
      }
    }
    return sortDatum(type, keys, values);
  }
  return { keys: [parseAtom(type.key, json, symtab)] };
}

/** Sorts by key; a repeated key is `ovsdb error` as in `ovsdb_datum_sort`. */
function sortDatum(type: ColumnType, keys: Atom[], values: Atom[] | undefined): Datum {
  const kt = type.key.type;
  const n = keys.length;
  if (n < 2) return values ? { keys, values } : { keys };
  let sorted = true;
  for (let i = 1; i < n && sorted; i++) if (compareAtoms(kt, keys[i - 1] as Atom, keys[i] as Atom) >= 0) sorted = false;
  if (!sorted) {
    const order = keys.map((_, i) => i).sort((x, y) => compareAtoms(kt, keys[x] as Atom, keys[y] as Atom));
    const k2 = order.map((i) => keys[i] as Atom);
    const original = values;
    const v2 = original ? order.map((i) => original[i] as Atom) : undefined;
    keys = k2;
    values = v2;
    for (let i = 1; i < n; i++) {
      if (keys[i - 1] === keys[i]) throw dbError(null, values ? 'map contains duplicate key' : 'set contains duplicate');
    }
  }
  return values ? { keys, values } : { keys };
}

// ---------------------------------------------------------------- constraints

function codePoints(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdbff) n++;
  }
  return n;
}

/** `%.*g` with DBL_DIG (15) significant digits, as the server prints reals in messages. */
export function formatReal(x: number): string {
  if (Number.isInteger(x) && Math.abs(x) < 1e15) return String(x);
  const exp = x === 0 ? 0 : Math.floor(Math.log10(Math.abs(x)));
  if (exp < -4 || exp >= 15) {
    const [mantissa, e] = x.toExponential(14).split('e') as [string, string];
    const m = mantissa.includes('.') ? mantissa.replace(/0+$/, '').replace(/\.$/, '') : mantissa;
    const en = Number(e);
    return `${m}e${en < 0 ? '-' : '+'}${String(Math.abs(en)).padStart(2, '0')}`;
  }
  const fixed = x.toPrecision(15);
  return fixed.includes('.') ? fixed.replace(/0+$/, '').replace(/\.$/, '') : fixed;
}

/** `ovsdb_atom_check_constraints` (UUID references are checked at commit, not here). */
export function atomConstraintError(base: BaseType, atom: Atom): DbError | undefined {
  if (base.enum && !base.enum.includes(atom)) {
    const sortedEnum = [...base.enum].sort((a, b) => compareAtoms(base.type, a, b));
    const list = sortedEnum.map((v) => atomToString(base.type, v)).join(', ');
    // The enum is printed as a set of any size, so always bracketed.
    return dbError('constraint violation', `${atomToString(base.type, atom)} is not one of the allowed values ([${list}])`);
  }
  switch (base.type) {
    case 'integer':
    case 'real': {
      const min = base.type === 'integer' ? base.minInteger : base.minReal;
      const max = base.type === 'integer' ? base.maxInteger : base.maxReal;
      const x = atom as number;
      if ((min === undefined || x >= min) && (max === undefined || x <= max)) return undefined;
      const f = base.type === 'integer' ? String : formatReal;
      if (min !== undefined && max !== undefined) {
        return dbError('constraint violation', `${f(x)} is not in the valid range ${f(min)} to ${f(max)} (inclusive)`);
      }
      if (min !== undefined) return dbError('constraint violation', `${f(x)} is less than minimum allowed value ${f(min)}`);
      return dbError('constraint violation', `${f(x)} is greater than maximum allowed value ${f(max as number)}`);
    }
    case 'string': {
      if (base.minLength === undefined && base.maxLength === undefined) return undefined;
      const s = atom as string;
      const n = codePoints(s);
      if (base.minLength !== undefined && n < base.minLength) {
        return dbError('constraint violation', `"${s}" length ${n} is less than minimum allowed length ${base.minLength}`);
      }
      if (base.maxLength !== undefined && n > base.maxLength) {
        return dbError('constraint violation', `"${s}" length ${n} is greater than maximum allowed length ${base.maxLength}`);
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

export function datumConstraintError(type: ColumnType, datum: Datum): DbError | undefined {
  for (const k of datum.keys) {
    const e = atomConstraintError(type.key, k);
    if (e) return e;
  }
  if (type.value && datum.values) {
    for (const v of datum.values) {
      const e = atomConstraintError(type.value, v);
      if (e) return e;
    }
  }
  return undefined;
}

// ---------------------------------------------------------------- text (error messages)

/** `string_needs_quotes` of lib/ovsdb-data.c. */
function stringNeedsQuotes(s: string): boolean {
  if (!/^[a-zA-Z_][a-zA-Z0-9_.-]*$/.test(s)) return true;
  return s === 'true' || s === 'false' || isUuidText(s);
}

export function atomToString(type: AtomicType, atom: Atom): string {
  switch (type) {
    case 'integer':
      return String(atom);
    case 'real':
      return formatReal(atom as number);
    case 'boolean':
      return atom ? 'true' : 'false';
    case 'string':
      return stringNeedsQuotes(atom as string) ? JSON.stringify(atom) : (atom as string);
    case 'uuid':
      return atom as string;
  }
}

/** `ovsdb_datum_to_string`: `[a, b]`, `{k=v}`, a bare atom for one-element columns. */
export function datumToString(type: ColumnType, datum: Datum): string {
  const isMap = type.value !== undefined;
  const parts = datum.keys.map((k, i) =>
    isMap ? `${atomToString(type.key.type, k)}=${atomToString((type.value as BaseType).type, (datum.values as readonly Atom[])[i] as Atom)}` : atomToString(type.key.type, k),
  );
  const bracket = type.max > 1 || datum.keys.length === 0;
  const body = parts.join(', ');
  return bracket ? (isMap ? `{${body}}` : `[${body}]`) : body;
}

/** `ovsdb_type_to_english`, for type mismatch and element count messages. */
export function typeToEnglish(type: ColumnType): string {
  const key = type.key.type;
  if (isScalarType(type)) return key;
  const max = type.max === Infinity ? undefined : type.max;
  let s = type.value ? 'map' : 'set';
  if (max === undefined) s += type.min ? ` of ${type.min} or more` : ' of';
  else if (type.min) s += ` of ${type.min} to ${max}`;
  else s += ` of up to ${max}`;
  s += type.value ? ` (${key}, ${type.value.type}) pairs` : ` ${key}s`;
  return s;
}
