import { columnKind, type ColumnType } from '../schema/types.js';
import { DbError, dbError, syntaxError } from './dbError.js';
import { atomConstraintError } from './constraints.js';
import { compareAtoms, datumSubtract, datumUnion, type Atom, type Datum } from './datum.js';
import { parseDatum, type SymbolTable } from './datumJson.js';
import { typeToEnglish } from './datumText.js';
import type { ColumnModel, TableModel } from './model.js';

/** `ovsdb/mutation.c`: `+= -= *= /= %=` on numbers, `insert`/`delete` on sets and maps. */
export type Mutator = '+=' | '-=' | '*=' | '/=' | '%=' | 'insert' | 'delete';
const MUTATORS: ReadonlySet<string> = new Set(['+=', '-=', '*=', '/=', '%=', 'insert', 'delete']);

export interface Mutation {
  readonly column: ColumnModel;
  readonly mutator: Mutator;
  readonly arg: Datum;
  readonly argType: ColumnType;
}


function typeMismatch(column: ColumnModel, mutator: string, json: unknown): DbError {
  return syntaxError(json, null, `Type mismatch: "${mutator}" operator may not be applied to column ${column.name} of type ${typeToEnglish(column.type)}.`);
}

function parseMutation(table: TableModel, json: unknown, symtab: SymbolTable | null): Mutation {
  if (!Array.isArray(json) || json.length !== 3 || typeof json[0] !== 'string' || typeof json[1] !== 'string') {
    throw syntaxError(json, null, 'Parse error in mutation.');
  }
  const column = table.byName.get(json[0]);
  if (!column) throw syntaxError(json, 'unknown column', `No column ${json[0]} in table ${table.name}.`);
  if (!column.mutable) {
    throw syntaxError(json, 'constraint violation', `Cannot mutate immutable column ${column.name} in table ${table.name}.`);
  }
  const mutator = json[1];
  if (!MUTATORS.has(mutator)) throw new DbError('unknown mutator', `No mutator named ${mutator}.`);
  const type = column.type;
  const kind = columnKind(type);
  if (mutator === 'insert' || mutator === 'delete') {
    // Sets (optional columns included) and maps take insert and delete; a scalar does not.
    if (kind === 'scalar') throw typeMismatch(column, mutator, json);
    const argType: ColumnType = { ...type, min: 0, ...(mutator === 'delete' ? { max: Infinity } : {}) };
    try {
      return { column, mutator, arg: parseDatum(argType, json[2], symtab), argType };
    } catch (error) {
      if (!(error instanceof DbError) || kind !== 'map' || mutator !== 'delete') throw error;
      // Deleting map entries by key: the argument is a set of keys.
      const keysType: ColumnType = { key: type.key, min: 0, max: Infinity };
      return { column, mutator, arg: parseDatum(keysType, json[2], symtab), argType: keysType };
    }
  }
  if (
    kind === 'map' ||
    (type.key.type !== 'integer' && type.key.type !== 'real') ||
    (mutator === '%=' && type.key.type === 'real')
  ) {
    throw typeMismatch(column, mutator, json);
  }
  // The argument is one atom of the column's atomic type, without its constraints.
  const argType: ColumnType = { key: { type: type.key.type }, min: 1, max: 1 };
  return { column, mutator: mutator as Mutator, arg: parseDatum(argType, json[2], symtab), argType };
}

export function parseMutations(table: TableModel, json: unknown[], symtab: SymbolTable | null): Mutation[] {
  return json.map((m) => parseMutation(table, m, symtab));
}

const INT64_MIN_BIG = -(2n ** 63n);
const INT64_MAX_BIG = 2n ** 63n - 1n;

/**
 * Integer arithmetic with ovsdb-server's overflow checks (`ovsdb/mutation.c`, from Hacker's
 * Delight): exact for `+=` and `-=`, and for `*=` the same conservative test, which also refuses
 * some products that would fit (1 × 2^62). BigInt keeps 64-bit values exact.
 */
function integerArithmetic(mutator: Mutator, x: bigint, y: bigint): bigint | DbError {
  const range = () => dbError('range error', `Result of "${mutator}" operation is out of range.`);
  switch (mutator) {
    case '+=':
    case '-=': {
      const r = mutator === '+=' ? x + y : x - y;
      return r > INT64_MAX_BIG || r < INT64_MIN_BIG ? range() : r;
    }
    case '*=': {
      const overflow =
        x > 0n
          ? y > 0n
            ? x >= INT64_MAX_BIG / y
            : y < INT64_MIN_BIG / x
          : y > 0n
            ? x < INT64_MIN_BIG / y
            : x !== 0n && y < INT64_MAX_BIG / y;
      return overflow ? range() : x * y;
    }
    default:
      if (y === 0n) return dbError('domain error', 'Division by zero.');
      if (x === INT64_MIN_BIG && y === -1n) return range();
      return mutator === '/=' ? x / y : x % y;
  }
}

function arithmetic(mutator: Mutator, integer: boolean, x: number, y: number): number | DbError {
  if (integer) {
    const r = integerArithmetic(mutator, BigInt(x), BigInt(y));
    return r instanceof DbError ? r : Number(r);
  }
  let r: number;
  switch (mutator) {
    case '+=':
      r = x + y;
      break;
    case '-=':
      r = x - y;
      break;
    case '*=':
      r = x * y;
      break;
    case '/=':
      if (y === 0) return dbError('domain error', 'Division by zero.');
      r = x / y;
      break;
    default:
      return dbError('domain error', 'Division by zero.'); // %= on reals is refused when parsed
  }
  return Number.isFinite(r) ? r : dbError('range error', `Result of "${mutator}" operation is out of range.`);
}

/** Applies the mutations to a row's fields in place; returns the first error. */
export function applyMutations(fields: Datum[], mutations: readonly Mutation[]): DbError | undefined {
  for (const m of mutations) {
    const type = m.column.type;
    const dst = fields[m.column.index] as Datum;
    if (m.mutator === 'insert' || m.mutator === 'delete') {
      const result = m.mutator === 'insert' ? datumUnion(type, dst, m.arg) : datumSubtract(type, dst, m.arg);
      const n = result.keys.length;
      if (n < type.min || n > type.max) {
        return dbError('constraint violation', `Attempted to store ${n} elements in ${typeToEnglish(type)}.`);
      }
      fields[m.column.index] = result;
      continue;
    }
    const integer = type.key.type === 'integer';
    const y = m.arg.keys[0] as number;
    const keys: Atom[] = [];
    for (const x of dst.keys) {
      const r = arithmetic(m.mutator, integer, x as number, y);
      if (r instanceof DbError) return r;
      keys.push(r);
    }
    for (const k of keys) {
      const e = atomConstraintError(type.key, k);
      if (e) return e;
    }
    keys.sort((a, b) => compareAtoms(type.key.type, a, b));
    for (let i = 1; i < keys.length; i++) {
      if (keys[i] === keys[i - 1]) return dbError('constraint violation', `Result of "${m.mutator}" operation contains duplicates.`);
    }
    fields[m.column.index] = { keys };
  }
  return undefined;
}
