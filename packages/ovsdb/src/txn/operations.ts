import { OvsdbError } from '../errors.js';
import type { DatabaseSchema } from '../schema/schema.js';
import type { ColumnType } from '../schema/types.js';
import { encodeValue } from '../notation/codec.js';
import type { ValueInput } from '../notation/value.js';

/** RFC 7047 §5.1 condition functions; `includes`/`excludes` test set/map membership. */
export type ConditionFunction = '==' | '!=' | '<' | '<=' | '>' | '>=' | 'includes' | 'excludes';
/** `[column, function, value]` with the value in decoded-JS form (see notation/value.ts). */
export type Condition = readonly [column: string, fn: ConditionFunction, value: ValueInput];
/** Conditions ANDed together; `[]` matches every row. */
export type Where = readonly Condition[];

export type Mutator = '+=' | '-=' | '*=' | '/=' | '%=' | 'insert' | 'delete';
/**
 * `[column, mutator, value]`. For `insert`/`delete` on a set the value is a set (or one atom);
 * on a map, `insert` takes a map (existing keys are NOT overwritten) and `delete` a map (exact
 * pairs) or an array of keys. Arithmetic mutators take one atom.
 */
export type Mutation = readonly [column: string, mutator: Mutator, value: ValueInput];

const CONDITION_FUNCTIONS: ReadonlySet<string> = new Set(['==', '!=', '<', '<=', '>', '>=', 'includes', 'excludes']);
const MUTATORS: ReadonlySet<string> = new Set(['+=', '-=', '*=', '/=', '%=', 'insert', 'delete']);

/** Where-clause and mutation values may hold any number of elements (no min/max check). */
function anySize(type: ColumnType): ColumnType {
  return { ...type, min: 0, max: type.max === 1 ? 1 : Infinity };
}

export function encodeWhere(schema: DatabaseSchema, table: string, where: Where): unknown[] {
  schema.table(table);
  return where.map(([column, fn, value]) => {
    if (!CONDITION_FUNCTIONS.has(fn)) throw new OvsdbError('OVSDB_SCHEMA', `${table}: unknown condition function ${fn}`);
    const type = schema.column(table, column).type;
    return [column, fn, encodeValue(anySize(type), value, `${table}.${column} (where)`)];
  });
}

export function encodeMutations(schema: DatabaseSchema, table: string, mutations: readonly Mutation[]): unknown[] {
  return mutations.map(([column, mutator, value]) => {
    if (!MUTATORS.has(mutator)) throw new OvsdbError('OVSDB_SCHEMA', `${table}: unknown mutator ${mutator}`);
    const c = schema.column(table, column);
    const where = `${table}.${column} (mutate ${mutator})`;
    if (!c.mutable) throw new OvsdbError('OVSDB_SCHEMA', `${where}: column is immutable`);
    const type = c.type;
    if (mutator === 'insert' || mutator === 'delete') {
      if (type.max === 1 && !type.value) throw new OvsdbError('OVSDB_SCHEMA', `${where}: ${mutator} needs a set or map column`);
      if (type.value && mutator === 'delete' && Array.isArray(value)) {
        // Deleting map entries by key: the value is a set of keys.
        return [column, mutator, encodeValue({ key: type.key, min: 0, max: Infinity }, value, where)];
      }
      return [column, mutator, encodeValue(anySize(type), value, where)];
    }
    if (type.value || (type.key.type !== 'integer' && type.key.type !== 'real')) {
      throw new OvsdbError('OVSDB_SCHEMA', `${where}: arithmetic needs an integer or real column`);
    }
    return [column, mutator, encodeValue({ key: type.key, min: 1, max: 1 }, value, where)];
  });
}
