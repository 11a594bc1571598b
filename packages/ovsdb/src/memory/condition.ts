import { columnKind, type ColumnType } from '../schema/types.js';
import { DbError, syntaxError } from './dbError.js';
import { compareAtoms, datumEquals, datumExcludes, datumIncludes, type Atom, type Datum } from './datum.js';
import { parseDatum, type SymbolTable } from './datumJson.js';
import { typeToEnglish } from './datumText.js';
import { UUID_INDEX, type ColumnModel, type Row, type TableModel } from './model.js';

/** `ovsdb/condition.c`: where clauses (RFC 7047 §5.1) plus OVS's `true`/`false` clauses. */
export type ConditionFunction = '<' | '<=' | '==' | '!=' | '>=' | '>' | 'includes' | 'excludes';

const FUNCTIONS: ReadonlySet<string> = new Set(['<', '<=', '==', '!=', '>=', '>', 'includes', 'excludes']);

export type Clause =
  | { readonly kind: 'constant'; readonly value: boolean }
  | { readonly kind: 'compare'; readonly column: ColumnModel; readonly fn: ConditionFunction; readonly arg: Datum };

export interface Condition {
  readonly clauses: readonly Clause[];
  /** A `_uuid == X` clause lets a query look the row up instead of scanning. */
  readonly uuid?: string;
}

export const TRUE_CONDITION: Condition = { clauses: [] };

function parseClause(table: TableModel, json: unknown, symtab: SymbolTable | null): Clause {
  if (json === true || json === false) return { kind: 'constant', value: json };
  if (!Array.isArray(json) || json.length !== 3 || typeof json[0] !== 'string' || typeof json[1] !== 'string') {
    throw syntaxError(json, null, 'Parse error in condition.');
  }
  const column = table.byName.get(json[0]);
  if (!column) throw syntaxError(json, 'unknown column', `No column ${json[0]} in table ${table.name}.`);
  const fn = json[1];
  if (!FUNCTIONS.has(fn)) throw new DbError('unknown function', `No function named ${fn}.`);
  let argType: ColumnType = column.type;
  switch (fn) {
    case '<':
    case '<=':
    case '>':
    case '>=':
      if (
        (columnKind(column.type) === 'set' || columnKind(column.type) === 'map') ||
        (column.type.key.type !== 'integer' && column.type.key.type !== 'real')
      ) {
        throw syntaxError(json, null, `Type mismatch: "${fn}" operator may not be applied to column ${column.name} of type ${typeToEnglish(column.type)}.`);
      }
      break;
    case 'includes':
      if (columnKind(column.type) !== 'scalar') argType = { ...column.type, min: 0 };
      break;
    case 'excludes':
      if (columnKind(column.type) !== 'scalar') argType = { ...column.type, min: 0, max: Infinity };
      break;
  }
  return { kind: 'compare', column, fn: fn as ConditionFunction, arg: parseDatum(argType, json[2], symtab) };
}

export function parseCondition(table: TableModel, json: unknown, symtab: SymbolTable | null): Condition {
  const clauses = (json as unknown[]).map((c) => parseClause(table, c, symtab));
  const byUuid = clauses.find((c) => c.kind === 'compare' && c.column.index === UUID_INDEX && c.fn === '==');
  return byUuid && byUuid.kind === 'compare' ? { clauses, uuid: byUuid.arg.keys[0] as string } : { clauses };
}

function evaluateClause(clause: Clause, row: Row): boolean {
  if (clause.kind === 'constant') return clause.value;
  const field = row.fields[clause.column.index] as Datum;
  const type = clause.column.type;
  switch (clause.fn) {
    case '==':
      return datumEquals(field, clause.arg);
    case '!=':
      return !datumEquals(field, clause.arg);
    case 'includes':
      return datumIncludes(field, clause.arg, type);
    case 'excludes':
      return datumExcludes(field, clause.arg, type);
    default: {
      if (field.keys.length === 0 || clause.arg.keys.length === 0) return false;
      const c = compareAtoms(type.key.type, field.keys[0] as Atom, clause.arg.keys[0] as Atom);
      return clause.fn === '<' ? c < 0 : clause.fn === '<=' ? c <= 0 : clause.fn === '>' ? c > 0 : c >= 0;
    }
  }
}

export function evaluateCondition(condition: Condition, row: Row): boolean {
  for (const clause of condition.clauses) if (!evaluateClause(clause, row)) return false;
  return true;
}

/**
 * Monitor conditions are a disjunction (`ovsdb_condition_empty_or_match_any`): a row is
 * monitored if any clause holds, and every row when there are no clauses.
 */
export function evaluateMonitorCondition(condition: Condition, row: Row): boolean {
  if (condition.clauses.length === 0) return true;
  for (const clause of condition.clauses) if (evaluateClause(clause, row)) return true;
  return false;
}
