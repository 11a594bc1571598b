import { OvsdbError } from '../errors.js';
import type { BaseType, ColumnType } from '../schema/types.js';
import { columnKind } from '../schema/types.js';
import type { ColumnSchema, TableSchema } from '../schema/schema.js';
import { isNamedUuid, isUuid } from './uuid.js';
import { atomFromJson, atomToJson, mapPairs, setMembers, setToJson } from './wire.js';
import { defaultValue, type Atom, type AtomInput, type Row, type RowInput, type Value, type ValueInput } from './value.js';

/**
 * Schema-driven OVSDB notation (RFC 7047 §5.1). The wire is ambiguous without the column type:
 * a 1-element set travels as a bare atom (the server always sends it bare), an optional scalar
 * is `["set",[]]` when empty, maps are always `["map", pairs]`.
 */

function protocolError(where: string, message: string): OvsdbError {
  return new OvsdbError('OVSDB_PROTOCOL', `${where}: ${message}`);
}

function schemaError(where: string, message: string): OvsdbError {
  return new OvsdbError('OVSDB_SCHEMA', `${where}: ${message}`);
}

// ---------------------------------------------------------------- decode (server → JS)

export function decodeAtom(base: BaseType, json: unknown, where: string): Atom {
  const atom = atomFromJson(base.type, json);
  if (atom === undefined) throw protocolError(where, `expected ${base.type} atom, found ${JSON.stringify(json)}`);
  return atom;
}

/** The elements of a wire set: `["set",[...]]` or a bare atom meaning a 1-element set. */
function wireSetElements(json: unknown): readonly unknown[] {
  return setMembers(json) ?? [json];
}

function wireMapPairs(json: unknown, where: string): readonly unknown[] {
  const pairs = mapPairs(json);
  if (!pairs) throw protocolError(where, `expected ["map", ...], found ${JSON.stringify(json)}`);
  return pairs;
}

/** Sets a map entry; `__proto__` is an ordinary key in OVSDB, so define it instead of assigning. */
export function setEntry(map: Record<string, Atom>, key: string, value: Atom): void {
  if (key === '__proto__') Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
  else map[key] = value;
}

export function mapKeyText(atom: Atom): string {
  return typeof atom === 'string' ? atom : String(atom);
}

export function decodeValue(type: ColumnType, json: unknown, where: string): Value {
  switch (columnKind(type)) {
    case 'scalar':
      return decodeAtom(type.key, json, where);
    case 'optional': {
      const elements = wireSetElements(json);
      if (elements.length > 1) throw protocolError(where, 'more than one atom in a 0..1 column');
      return elements.length === 0 ? null : decodeAtom(type.key, elements[0], where);
    }
    case 'set':
      return wireSetElements(json).map((e) => decodeAtom(type.key, e, where));
    case 'map': {
      const valueType = type.value as BaseType;
      const map: Record<string, Atom> = {};
      for (const pair of wireMapPairs(json, where)) {
        if (!Array.isArray(pair) || pair.length !== 2) throw protocolError(where, 'map pair must be [key, value]');
        setEntry(map, mapKeyText(decodeAtom(type.key, pair[0], where)), decodeAtom(valueType, pair[1], where));
      }
      return map;
    }
  }
}

export interface DecodeRowOptions {
  /** Only these columns are kept and, with `fillDefaults`, completed. Default: every column. */
  readonly columns?: readonly string[];
  /** Give omitted columns their type default (update2 `initial`/`insert` omit them). */
  readonly fillDefaults?: boolean;
}

/** Decodes a wire row; `_uuid`/`_version` are kept when present. Unknown columns are an error. */
export function decodeRow(table: TableSchema, json: unknown, options: DecodeRowOptions = {}): Record<string, Value> {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw protocolError(table.name, `row must be an object, found ${JSON.stringify(json)}`);
  }
  const row: Record<string, Value> = {};
  const source = json as Record<string, unknown>;
  for (const name in source) {
    const wire = source[name];
    if (name === '_uuid' || name === '_version') {
      row[name] = decodeAtom({ type: 'uuid' }, wire, `${table.name}.${name}`);
      continue;
    }
    const column = table.columns.get(name);
    if (!column) throw protocolError(table.name, `server sent unknown column ${name}`);
    row[name] = decodeValue(column.type, wire, column.path);
  }
  if (options.fillDefaults) {
    for (const name of options.columns ?? table.columns.keys()) {
      if (name in row || name === '_uuid' || name === '_version') continue;
      const column = table.columns.get(name);
      if (column) row[name] = defaultValue(column.type);
    }
  }
  return row;
}

// ---------------------------------------------------------------- encode (JS → server)

export function encodeAtom(base: BaseType, atom: AtomInput, where: string): unknown {
  if (base.type !== 'uuid') {
    const plain = atomFromJson(base.type, atom);
    if (plain !== undefined) return plain;
  } else if (isUuid(atom)) {
    return atomToJson('uuid', atom.toLowerCase());
  } else if (isNamedUuid(atom)) {
    return ['named-uuid', atom.namedUuid];
  }
  throw schemaError(where, `expected ${base.type}, found ${JSON.stringify(atom)}`);
}

/** Map keys are held as text (see value.ts); turn them back into the key type's atom. */
function mapKeyAtom(base: BaseType, key: string, where: string): AtomInput {
  switch (base.type) {
    case 'integer':
    case 'real': {
      const n = Number(key);
      if (key.trim() === '' || Number.isNaN(n)) throw schemaError(where, `map key ${JSON.stringify(key)} is not a number`);
      return n;
    }
    case 'boolean':
      if (key === 'true' || key === 'false') return key === 'true';
      throw schemaError(where, `map key ${JSON.stringify(key)} is not a boolean`);
    default:
      return key;
  }
}

function encodeSet(base: BaseType, elements: readonly AtomInput[], where: string): unknown {
  return setToJson(elements, (e) => encodeAtom(base, e, where));
}

function isRecordValue(value: unknown): value is Readonly<Record<string, AtomInput>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !isNamedUuid(value);
}

/**
 * Encodes a value of `type`. Set columns also accept a single atom (a 1-element set), which is
 * what where-clauses such as `["acls","includes",uuid]` usually carry.
 */
export function encodeValue(type: ColumnType, value: ValueInput, where: string): unknown {
  switch (columnKind(type)) {
    case 'scalar':
      if (value === null || Array.isArray(value) || isRecordValue(value)) {
        throw schemaError(where, `expected one ${type.key.type}, found ${JSON.stringify(value)}`);
      }
      return encodeAtom(type.key, value as AtomInput, where);
    case 'optional':
      if (value === null) return ['set', []];
      if (Array.isArray(value)) return encodeSet(type.key, value, where);
      if (isRecordValue(value)) throw schemaError(where, `expected ${type.key.type} or null, found a map`);
      return encodeAtom(type.key, value as AtomInput, where);
    case 'set':
      if (value === null) return ['set', []];
      if (Array.isArray(value)) return encodeSet(type.key, value, where);
      if (isRecordValue(value)) throw schemaError(where, `expected a set of ${type.key.type}, found a map`);
      return encodeAtom(type.key, value as AtomInput, where);
    case 'map': {
      if (!isRecordValue(value)) throw schemaError(where, `expected a map, found ${JSON.stringify(value)}`);
      const valueType = type.value as BaseType;
      const pairs: unknown[] = [];
      for (const [k, v] of Object.entries(value)) {
        pairs.push([encodeAtom(type.key, mapKeyAtom(type.key, k, where), where), encodeAtom(valueType, v, where)]);
      }
      return ['map', pairs];
    }
  }
}

/**
 * A uuid as the server writes it (lowercase), checked by hand: a plan's Port_Group rows carry
 * ~100,000 port uuids at 35,000 rows, and the regex plus `toLowerCase` was the biggest part of
 * encoding them. Other spellings take `encodeAtom`.
 */
function isLowercaseUuid(atom: unknown): atom is string {
  if (typeof atom !== 'string' || atom.length !== 36) return false;
  for (let i = 0; i < 36; i++) {
    const c = atom.charCodeAt(i);
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (c !== 45) return false; // '-'
    } else if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return false; // 0-9 a-f
  }
  return true;
}

/**
 * An atom's wire form when it is already a valid atom of `base` that travels as itself (or a
 * named-uuid), else undefined: the caller then takes `encodeValue`, which also names the error.
 */
function fastAtom(base: BaseType): (atom: unknown) => unknown {
  switch (base.type) {
    case 'string':
      return (atom) => (typeof atom === 'string' ? atom : undefined);
    case 'integer':
      return (atom) => (Number.isInteger(atom) ? atom : undefined);
    case 'real':
      return (atom) => (Number.isFinite(atom) ? atom : undefined);
    case 'boolean':
      return (atom) => (typeof atom === 'boolean' ? atom : undefined);
    case 'uuid':
      return (atom) => (isLowercaseUuid(atom) ? ['uuid', atom] : isNamedUuid(atom) ? ['named-uuid', atom.namedUuid] : undefined);
  }
}

type ColumnEncoder = (value: ValueInput) => unknown;

/**
 * `encodeValue` for one column, with the column's kind and atom checks decided once: a 35,000-row
 * insert encodes ~100,000 values, and deciding per value cost a third of building the transaction.
 * Anything off the fast path (uuid text, non-string map keys, a wrong type) goes through
 * `encodeValue`, so the wire and the errors are the same.
 */
function columnEncoder(column: ColumnSchema): ColumnEncoder {
  const { type, path } = column;
  const slow: ColumnEncoder = (value) => encodeValue(type, value, path);
  const fast = fastAtom(type.key);
  switch (columnKind(type)) {
    case 'scalar':
      return (value) => fast(value) ?? slow(value);
    case 'optional':
    case 'set':
      return (value) => {
        if (value === null) return ['set', []];
        if (!Array.isArray(value)) return fast(value) ?? slow(value);
        if (value.length === 1) return fast(value[0]) ?? slow(value);
        const members: unknown[] = new Array(value.length);
        for (let i = 0; i < value.length; i++) {
          const member = fast(value[i]);
          if (member === undefined) return slow(value);
          members[i] = member;
        }
        return ['set', members];
      };
    case 'map': {
      if (type.key.type !== 'string') return slow;
      const fastValue = fastAtom(type.value as BaseType);
      return (value) => {
        if (!isRecordValue(value)) return slow(value);
        const keys = Object.keys(value);
        const pairs: unknown[] = new Array(keys.length);
        for (let i = 0; i < keys.length; i++) {
          const key = keys[i] as string;
          const member = fastValue(value[key]);
          if (member === undefined) return slow(value);
          pairs[i] = [key, member];
        }
        return ['map', pairs];
      };
    }
  }
}

const tableEncoders = new WeakMap<TableSchema, Map<string, ColumnEncoder>>();

/**
 * Each column's encoder by name, made once per table schema: a row then costs one lookup per
 * column (was the column by name, then its encoder: two per column, 600,000 at 35,000 rows).
 */
function encodersOf(table: TableSchema): Map<string, ColumnEncoder> {
  let encoders = tableEncoders.get(table);
  if (!encoders) {
    encoders = new Map();
    for (const [name, column] of table.columns) encoders.set(name, columnEncoder(column));
    tableEncoders.set(table, encoders);
  }
  return encoders;
}

/**
 * Encodes a row for insert/update; unknown columns are reported by name (OVSDB_SCHEMA). Values
 * `leaveOut` answers true for are not sent (an insert's column then gets its default). `more`:
 * columns the row does not hold, encoded after its own, as if the row held them last (a new
 * Port_Group's `acls`, named by its new children: no copy of the row to add them).
 */
export function encodeRow(
  table: TableSchema,
  row: RowInput,
  leaveOut?: (value: ValueInput) => boolean,
  more?: ReadonlyMap<string, ValueInput>,
): Record<string, unknown> {
  const wire: Record<string, unknown> = {};
  const encoders = encodersOf(table);
  for (const name in row) {
    const value = row[name] as ValueInput | undefined;
    const encoder = encoders.get(name);
    if (!encoder) throw schemaError(table.name, `unknown column ${table.name}.${name}`);
    if (value === undefined || leaveOut?.(value)) continue;
    wire[name] = encoder(value);
  }
  if (more) {
    for (const [name, value] of more) {
      const encoder = encoders.get(name);
      if (!encoder) throw schemaError(table.name, `unknown column ${table.name}.${name}`);
      if (leaveOut?.(value)) continue;
      wire[name] = encoder(value);
    }
  }
  return wire;
}

export type { Row };
