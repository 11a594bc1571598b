import * as z from 'zod';
import { OvsdbError } from '../errors.js';
import type { BaseType, ColumnType } from '../schema/types.js';
import { columnKind } from '../schema/types.js';
import type { TableSchema } from '../schema/schema.js';
import { isNamedUuid, isUuid } from './uuid.js';
import type { RowInput } from './value.js';

/**
 * zod schemas derived from the served OVSDB schema, so a row is checked against the same enums,
 * ranges, lengths and set/map sizes ovsdb-server enforces — before it is sent, with a message
 * naming the table and column instead of the server's `constraint violation`.
 */

function codePointLength(s: string): number {
  // ovsdb-data.c check_string_constraints counts UTF-8 characters, not bytes.
  let n = 0;
  for (const _ of s) n++;
  return n;
}

function atomSchema(base: BaseType): z.ZodType {
  let schema: z.ZodType;
  switch (base.type) {
    case 'integer': {
      let n = z.number().int('must be an integer');
      if (base.minInteger !== undefined) n = n.min(base.minInteger);
      if (base.maxInteger !== undefined) n = n.max(base.maxInteger);
      schema = n;
      break;
    }
    case 'real': {
      let n = z.number();
      if (base.minReal !== undefined) n = n.min(base.minReal);
      if (base.maxReal !== undefined) n = n.max(base.maxReal);
      schema = n;
      break;
    }
    case 'boolean':
      schema = z.boolean();
      break;
    case 'string': {
      const { minLength, maxLength } = base;
      schema =
        minLength === undefined && maxLength === undefined
          ? z.string()
          : z.string().refine(
              (s) => {
                const n = codePointLength(s);
                return n >= (minLength ?? 0) && n <= (maxLength ?? Infinity);
              },
              { message: `length must be ${minLength ?? 0}..${maxLength ?? 'unlimited'} characters` },
            );
      break;
    }
    case 'uuid':
      // Reference columns take a real UUID or a named-uuid of this transaction; whether the
      // row exists is for the server to judge (referential integrity at commit).
      schema = z.custom((v) => isUuid(v) || isNamedUuid(v), {
        message: base.refTable ? `expected a UUID of a ${base.refTable} row` : 'expected a UUID',
      });
      break;
  }
  if (base.enum) {
    const allowed = new Set<unknown>(base.enum);
    const list = base.enum.map((v) => JSON.stringify(v)).join(', ');
    schema = schema.refine((v) => allowed.has(v), { message: `must be one of ${list}` });
  }
  return schema;
}

function sizeMessage(type: ColumnType): string {
  return `must have ${type.min}..${type.max === Infinity ? 'unlimited' : type.max} elements`;
}

/** The zod schema of one column's decoded value (see value.ts for the shapes). */
export function columnSchema(type: ColumnType): z.ZodType {
  const key = atomSchema(type.key);
  switch (columnKind(type)) {
    case 'scalar':
      return key;
    case 'optional':
      return key.nullable();
    case 'set':
      return z
        .array(key)
        .refine((a) => a.length >= type.min && a.length <= type.max, { message: sizeMessage(type) })
        .refine((a) => new Set(a.map((e) => (isNamedUuid(e) ? `#${e.namedUuid}` : e))).size === a.length, {
          message: 'set elements must be distinct',
        });
    case 'map': {
      const value = atomSchema(type.value as BaseType);
      // Keys are held as text; check them as the key type's atoms.
      const keyText =
        type.key.type === 'integer' || type.key.type === 'real'
          ? z.string().transform((s) => Number(s)).pipe(key as z.ZodType<unknown, number>)
          : type.key.type === 'boolean'
            ? z.enum(['true', 'false'])
            : key;
      return z
        .record(z.string(), value)
        .refine((m) => Object.keys(m).length >= type.min && Object.keys(m).length <= type.max, {
          message: sizeMessage(type),
        })
        .superRefine((m, ctx) => {
          for (const k of Object.keys(m)) {
            const r = keyText.safeParse(k);
            if (!r.success) ctx.addIssue({ code: 'custom', message: `key ${JSON.stringify(k)}: ${r.error.issues[0]?.message}`, path: [k] });
          }
        });
    }
  }
}

/** A column's derived zod schema plus the primitive values it already accepted. */
interface ColumnValidator {
  readonly schema: z.ZodType;
  /**
   * A zod verdict on a primitive is a pure function of the value, and rows repeat the same
   * priorities, directions and actions thousands of times: remember accepted ones (bounded).
   */
  readonly accepted: Set<string | number | boolean>;
}

const MAX_REMEMBERED_VALUES = 4096;
const tableValidators = new WeakMap<TableSchema, Map<string, ColumnValidator>>();

function validatorsOf(table: TableSchema): Map<string, ColumnValidator> {
  let validators = tableValidators.get(table);
  if (!validators) {
    validators = new Map([...table.columns].map(([name, c]) => [name, { schema: columnSchema(c.type), accepted: new Set() }]));
    tableValidators.set(table, validators);
  }
  return validators;
}

export interface ValidateOptions {
  /** Reject columns that cannot be changed after insert (`mutable: false`), for update. */
  readonly forUpdate?: boolean;
}

/**
 * Checks the given columns of a row (absent columns are left to their defaults, as the server
 * does). Throws OVSDB_SCHEMA: `ACL.priority: Too big: expected number to be <=32767 (found 40000)`.
 */
export function validateRow(table: TableSchema, row: RowInput, options: ValidateOptions = {}): void {
  const validators = validatorsOf(table);
  for (const name in row) {
    const value = row[name];
    const validator = validators.get(name);
    const column = table.columns.get(name);
    if (!validator || !column) throw new OvsdbError('OVSDB_SCHEMA', `unknown column ${table.name}.${name}`);
    if (options.forUpdate && !column.mutable) {
      throw new OvsdbError('OVSDB_SCHEMA', `${table.name}.${name}: column is immutable, it can only be set by insert`);
    }
    const primitive = typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
    if (primitive && validator.accepted.has(value)) continue;
    const result = validator.schema.safeParse(value);
    if (!result.success) throw refusal(table, name, result.error, value);
    if (primitive && validator.accepted.size < MAX_REMEMBERED_VALUES) validator.accepted.add(value);
  }
}

/** `ACL.priority: Too big: expected number to be <=32767 (found 40000)`, with the path into a set or map. */
function refusal(table: TableSchema, column: string, error: z.ZodError, found: unknown): OvsdbError {
  const issue = error.issues[0];
  const path = issue && issue.path.length > 0 ? `[${issue.path.map((p) => JSON.stringify(p)).join('][')}]` : '';
  return new OvsdbError('OVSDB_SCHEMA', `${table.name}.${column}${path}: ${issue?.message ?? 'invalid value'} (found ${JSON.stringify(found)})`);
}

/**
 * Checks `atoms` as elements of `table.column` whatever the column's bound: the references a group
 * column already holds, given as an array even for a 0..1 column (its count is the caller's).
 */
export function validateElements(table: TableSchema, column: string, atoms: readonly unknown[]): void {
  const type = table.columns.get(column)?.type;
  if (!type) throw new OvsdbError('OVSDB_SCHEMA', `unknown column ${table.name}.${column}`);
  const result = columnSchema({ ...type, min: 0, max: Infinity }).safeParse(atoms);
  if (!result.success) throw refusal(table, column, result.error, atoms);
}
