import { OvsdbError } from '../errors.js';

/**
 * Column types of an OVSDB schema (RFC 7047 §3.2). A column holds a set of `min..max` atoms of
 * the `key` base type, or, with a `value` base type, a map. The schema file abbreviates both
 * (`"type": "string"`, `"key": "uuid"`); `parseColumnType` expands every form so the rest of the
 * client sees one shape.
 */
export type AtomicType = 'integer' | 'real' | 'boolean' | 'string' | 'uuid';

export interface BaseType {
  readonly type: AtomicType;
  /** Allowed values (RFC: a set of atoms of `type`). */
  readonly enum?: readonly (string | number | boolean)[];
  readonly minInteger?: number;
  readonly maxInteger?: number;
  readonly minReal?: number;
  readonly maxReal?: number;
  /** String length bounds, in Unicode code points (ovsdb-data.c counts characters, not bytes). */
  readonly minLength?: number;
  readonly maxLength?: number;
  /** For uuid atoms: the table the uuid points to. */
  readonly refTable?: string;
  /** strong (default when refTable is set): integrity enforced; weak: dangling refs vanish. */
  readonly refType?: 'strong' | 'weak';
}

export interface ColumnType {
  readonly key: BaseType;
  readonly value?: BaseType;
  readonly min: number;
  /** `Infinity` for the schema's "unlimited". */
  readonly max: number;
}

/** The shape a column's values take once decoded (see notation/value.ts). */
export type ColumnKind = 'scalar' | 'optional' | 'set' | 'map';

export function columnKind(type: ColumnType): ColumnKind {
  if (type.value) return 'map';
  if (type.max === 1) return type.min === 1 ? 'scalar' : 'optional';
  return 'set';
}

const ATOMIC_TYPES: readonly string[] = ['integer', 'real', 'boolean', 'string', 'uuid'];

function schemaError(where: string, message: string): OvsdbError {
  return new OvsdbError('OVSDB_SCHEMA', `${where}: ${message}`);
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function optionalNumber(json: Record<string, unknown>, name: string, where: string): number | undefined {
  const value = json[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'number') throw schemaError(where, `${name} must be a number`);
  return value;
}

/** Enum values are written in OVSDB notation: a bare atom or `["set", [...]]`. */
function parseEnum(json: unknown, where: string): (string | number | boolean)[] {
  const values = Array.isArray(json) && json[0] === 'set' && Array.isArray(json[1]) ? json[1] : [json];
  for (const v of values) {
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
      throw schemaError(where, 'enum values must be atoms');
    }
  }
  return values as (string | number | boolean)[];
}

export function parseBaseType(json: unknown, where: string): BaseType {
  if (typeof json === 'string') {
    if (!ATOMIC_TYPES.includes(json)) throw schemaError(where, `unknown atomic type ${JSON.stringify(json)}`);
    return Object.freeze({ type: json as AtomicType });
  }
  if (!isRecord(json) || typeof json.type !== 'string' || !ATOMIC_TYPES.includes(json.type)) {
    throw schemaError(where, 'base type must be an atomic type name or {"type": ...}');
  }
  const base: { -readonly [K in keyof BaseType]: BaseType[K] } = { type: json.type as AtomicType };
  if (json.enum !== undefined) base.enum = Object.freeze(parseEnum(json.enum, where));
  for (const bound of ['minInteger', 'maxInteger', 'minReal', 'maxReal', 'minLength', 'maxLength'] as const) {
    const value = optionalNumber(json, bound, where);
    if (value !== undefined) base[bound] = value;
  }
  if (json.refTable !== undefined) {
    if (typeof json.refTable !== 'string') throw schemaError(where, 'refTable must be a table name');
    base.refTable = json.refTable;
    const refType = json.refType ?? 'strong';
    if (refType !== 'strong' && refType !== 'weak') throw schemaError(where, 'refType must be "strong" or "weak"');
    base.refType = refType;
  }
  return Object.freeze(base);
}

export function parseColumnType(json: unknown, where: string): ColumnType {
  if (typeof json === 'string') return Object.freeze({ key: parseBaseType(json, where), min: 1, max: 1 });
  if (!isRecord(json)) throw schemaError(where, 'column type must be a string or an object');
  const key = parseBaseType(json.key, `${where}.key`);
  const value = json.value === undefined ? undefined : parseBaseType(json.value, `${where}.value`);
  const min = json.min ?? 1;
  const max = json.max === 'unlimited' ? Infinity : (json.max ?? 1);
  if (typeof min !== 'number' || (min !== 0 && min !== 1)) throw schemaError(where, 'min must be 0 or 1');
  if (typeof max !== 'number' || max < 1 || max < min) throw schemaError(where, 'max must be >= max(1, min) or "unlimited"');
  return Object.freeze(value ? { key, value, min, max } : { key, min, max });
}

/** The type of the implicit `_uuid` and `_version` columns every table has. */
export const UUID_COLUMN_TYPE: ColumnType = Object.freeze({ key: Object.freeze({ type: 'uuid' as const }), min: 1, max: 1 });
