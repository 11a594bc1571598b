import { DbError, dbError, syntaxError } from './dbError.js';
import { compareDatums, datumEquals, type Datum } from './datum.js';
import { datumConstraintError } from './constraints.js';
import { datumToJson, parseDatum, type SymbolTable, type UuidSymbol } from './datumJson.js';
import { parseCondition, type Condition } from './condition.js';
import { applyMutations, parseMutations } from './mutation.js';
import { OperationParser } from './parser.js';
import { MemoryTransaction } from './transaction.js';
import type { MemoryDatabase, StoredTable } from './database.js';
import { UUID_INDEX, VERSION_INDEX, type ColumnModel, type Row, type TableModel } from './model.js';

/**
 * `ovsdb/execution.c`: runs the operations of one `transact` against a MemoryDatabase. The
 * first failing operation's slot holds its error and every later slot is null; nothing is
 * applied. If every operation succeeds the transaction commits, and a commit failure is
 * appended as one extra slot.
 */
export interface ExecutionContext {
  /** Whether this session holds the named lock (for `assert`). */
  readonly ownsLock: (name: string) => boolean;
  /** Milliseconds since the request arrived (for `wait` with a timeout). */
  readonly elapsedMs: number;
}

export type ExecutionOutcome =
  | { readonly kind: 'done'; readonly results: unknown[] }
  /** A `wait` without a satisfied condition and no expired timeout: retry on the next commit. */
  | { readonly kind: 'blocked'; readonly timeoutMs: number };

class Symbols implements SymbolTable {
  readonly byName = new Map<string, UuidSymbol>();
  constructor(private readonly newUuid: () => string) {}
  lookupOrCreate(name: string): UuidSymbol {
    let s = this.byName.get(name);
    if (!s) this.byName.set(name, (s = { uuid: this.newUuid(), created: false }));
    return s;
  }
}

const READ_ONLY_OPS: ReadonlySet<string> = new Set(['select', 'wait', 'abort', 'comment', 'assert']);
class NotSupported {
  constructor(readonly timeoutMs: number) {}
}

interface Execution {
  readonly db: MemoryDatabase;
  readonly txn: MemoryTransaction;
  readonly symbols: Symbols;
  readonly context: ExecutionContext;
  /** Smallest `wait` timeout seen so far. */
  timeoutMs: number;
}

type Executor = (x: Execution, parser: OperationParser) => Record<string, unknown>;

export function executeTransaction(db: MemoryDatabase, operations: readonly unknown[], context: ExecutionContext): ExecutionOutcome {
  const x: Execution = { db, txn: new MemoryTransaction(db), symbols: new Symbols(db.newUuid), context, timeoutMs: Infinity };
  const results: unknown[] = [];
  const n = operations.length;
  let failed = false;
  for (let i = 0; i < n; i++) {
    const parser = new OperationParser(operations[i], `ovsdb operation ${i + 1} of ${n}`);
    const opName = parser.member('op', ['id']) as string | undefined;
    let error: DbError | undefined;
    let result: Record<string, unknown> = {};
    if (opName !== undefined) {
      const executor = EXECUTORS[opName];
      if (executor) {
        try {
          result = executor(x, parser);
        } catch (e) {
          if (e instanceof NotSupported) {
            const parseError = parser.finish();
            if (!parseError) return { kind: 'blocked', timeoutMs: e.timeoutMs };
            error = parseError;
          } else if (e instanceof DbError) {
            error = e;
          } else {
            throw e;
          }
        }
      } else {
        parser.raise(`No operation "${opName}"`);
      }
    }
    // A parse error overrides any other error.
    const parseError = parser.finish();
    if (parseError) error = parseError;
    if (!error && !READ_ONLY_OPS.has(opName as string) && db.reserved) {
      error = dbError('not allowed', `${opName} operation not allowed on table in reserved database ${db.name}`);
    }
    if (error) {
      results.push(error.toJson());
      failed = true;
      break;
    }
    results.push(result);
  }
  while (results.length < n) results.push(null);
  if (!failed) {
    const commitError = x.txn.commit();
    if (commitError) results.push(commitError.toJson());
  }
  return { kind: 'done', results };
}

function parseTable(x: Execution, parser: OperationParser): StoredTable | undefined {
  const name = parser.member('table', ['id']) as string | undefined;
  if (name === undefined) return undefined;
  const table = x.db.table(name);
  if (!table) parser.raise(`No table named ${name}.`);
  return table;
}

/** `update` and `mutate`: the table, `where` and the member saying what changes, read in ovsdb-server's order. */
function parseTableWhereAnd(
  x: Execution,
  parser: OperationParser,
  member: 'row' | 'mutations',
  type: 'object' | 'array',
): { stored: StoredTable; whereJson: unknown; changeJson: unknown } {
  const table = parseTable(x, parser);
  const whereJson = parser.member('where', ['array']);
  const changeJson = parser.member(member, [type]);
  throwParserError(parser);
  return { stored: table as StoredTable, whereJson, changeJson };
}

function throwParserError(parser: OperationParser): void {
  if (parser.error) throw parser.error;
}

/** `ovsdb_row_from_json`: the given columns over the defaults. */
function parseRow(table: TableModel, json: unknown, symbols: SymbolTable | null, base?: Datum[]): { fields: Datum[]; columns: ColumnModel[] } {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw syntaxError(json, null, 'row must be JSON object');
  const fields = base ?? table.defaultFields.slice();
  const columns: ColumnModel[] = [];
  for (const [name, value] of Object.entries(json as Record<string, unknown>)) {
    const column = table.byName.get(name);
    if (!column) throw syntaxError(json, 'unknown column', `No column ${name} in table ${table.name}.`);
    fields[column.index] = parseDatum(column.type, value, symbols);
    columns.push(column);
  }
  return { fields, columns };
}

/** `ovsdb_column_set_from_json`; absent means every column, `_uuid` and `_version` included. */
function parseColumns(table: TableModel, json: unknown): ColumnModel[] {
  if (json === undefined) return [...table.columns];
  const out: ColumnModel[] = [];
  for (const name of json as unknown[]) {
    if (typeof name !== 'string') throw syntaxError(json, null, 'array of distinct column names expected');
    const column = table.byName.get(name);
    if (!column) throw syntaxError(json, null, `${name} is not a valid column name`);
    if (out.includes(column)) throw syntaxError(json, null, 'array of distinct column names expected');
    out.push(column);
  }
  return out;
}

export function rowToJson(row: Row, columns: readonly ColumnModel[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const c of columns) out[c.name] = datumToJson(c.type, row.fields[c.index] as Datum);
  return out;
}

function where(x: Execution, table: TableModel, json: unknown): Condition {
  return parseCondition(table, json, x.symbols);
}

const EXECUTORS: Record<string, Executor> = {
  insert(x, parser) {
    const table = parseTable(x, parser);
    const uuidJson = parser.member('uuid', ['string'], true) as string | undefined;
    const uuidName = parser.member('uuid-name', ['id'], true) as string | undefined;
    const rowJson = parser.member('row', ['object']);
    throwParserError(parser);
    const stored = table as StoredTable;
    let uuid: string | undefined;
    if (uuidJson !== undefined) {
      if (!/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(uuidJson)) {
        throw syntaxError(uuidJson, null, 'bad uuid');
      }
      uuid = uuidJson.toLowerCase();
      if (!x.txn.mayCreate(stored, uuid)) {
        throw syntaxError(
          uuidJson,
          'duplicate uuid',
          'This UUID would duplicate a UUID already present within the table or deleted within the same transaction.',
        );
      }
    }
    if (uuidName !== undefined) {
      const known = x.symbols.byName.get(uuidName);
      if (known?.created) throw syntaxError(uuidName, 'duplicate uuid-name', 'This "uuid-name" appeared on an earlier "insert" operation.');
      if (uuid !== undefined) {
        x.symbols.byName.set(uuidName, { uuid, created: true });
      } else {
        const symbol = x.symbols.lookupOrCreate(uuidName);
        symbol.created = true;
        uuid = symbol.uuid;
      }
    } else if (uuid === undefined) {
      uuid = x.db.newUuid();
    }
    const model = stored.model;
    const { fields } = parseRow(model, rowJson, x.symbols);
    // Defaults may violate constraints (e.g. an enum without ""): check every 1-element column.
    for (const c of model.dataColumns) {
      const d = fields[c.index] as Datum;
      if (d.keys.length === 1) {
        const e = datumConstraintError(c.type, d);
        if (e) throw e;
      }
    }
    fields[UUID_INDEX] = { keys: [uuid] };
    fields[VERSION_INDEX] = { keys: [x.db.newUuid()] };
    x.txn.insert(stored, { uuid, fields });
    return { uuid: ['uuid', uuid] };
  },

  select(x, parser) {
    const table = parseTable(x, parser);
    const whereJson = parser.member('where', ['array']);
    const columnsJson = parser.member('columns', ['array'], true);
    const sortJson = parser.member('sort', ['array'], true);
    throwParserError(parser);
    const model = (table as StoredTable).model;
    const condition = where(x, model, whereJson);
    const columns = parseColumns(model, columnsJson);
    const rows = x.txn.query(table as StoredTable, condition);
    if (sortJson !== undefined) {
      const sort = parseColumns(model, sortJson);
      rows.sort((a, b) => {
        for (const c of sort) {
          const d = compareDatums(c.type, a.fields[c.index] as Datum, b.fields[c.index] as Datum);
          if (d !== 0) return d;
        }
        return 0;
      });
    }
    // ovsdb_query_distinct: with a column subset, identical projections are reported once.
    const seen = new Set<string>();
    const out: Record<string, unknown>[] = [];
    for (const row of rows) {
      const json = rowToJson(row, columns);
      if (columnsJson !== undefined) {
        const key = JSON.stringify(json);
        if (seen.has(key)) continue;
        seen.add(key);
      }
      out.push(json);
    }
    return { rows: out };
  },

  update(x, parser) {
    const { stored, whereJson, changeJson: rowJson } = parseTableWhereAnd(x, parser, 'row', 'object');
    const model = stored.model;
    const { fields, columns } = parseRow(model, rowJson, x.symbols);
    for (const c of columns) {
      if (!c.mutable) {
        throw syntaxError(parser.json, 'constraint violation', `Cannot update immutable column ${c.name} in table ${model.name}.`);
      }
    }
    const condition = where(x, model, whereJson);
    const rows = x.txn.query(stored, condition);
    for (const row of rows) {
      if (columns.every((c) => datumEquals(row.fields[c.index] as Datum, fields[c.index] as Datum))) continue;
      const target = x.txn.modify(stored, row.uuid);
      for (const c of columns) target[c.index] = fields[c.index] as Datum;
    }
    return { count: rows.length };
  },

  mutate(x, parser) {
    const { stored, whereJson, changeJson: mutationsJson } = parseTableWhereAnd(x, parser, 'mutations', 'array');
    const mutations = parseMutations(stored.model, mutationsJson as unknown[], x.symbols);
    const condition = where(x, stored.model, whereJson);
    const rows = x.txn.query(stored, condition);
    for (const row of rows) {
      const error = applyMutations(x.txn.modify(stored, row.uuid), mutations);
      if (error) throw error;
    }
    return { count: rows.length };
  },

  delete(x, parser) {
    const whereJson = parser.member('where', ['array']);
    const table = parseTable(x, parser);
    throwParserError(parser);
    const stored = table as StoredTable;
    const rows = x.txn.query(stored, where(x, stored.model, whereJson));
    for (const row of rows) x.txn.delete(stored, row.uuid);
    return { count: rows.length };
  },

  wait(x, parser) {
    const timeout = parser.member('timeout', ['integer'], true) as number | undefined;
    const whereJson = parser.member('where', ['array']);
    const columnsJson = parser.member('columns', ['array'], true);
    const until = parser.member('until', ['string']) as string | undefined;
    const rowsJson = parser.member('rows', ['array']) as unknown[] | undefined;
    const table = parseTable(x, parser);
    throwParserError(parser);
    const stored = table as StoredTable;
    const model = stored.model;
    const condition = where(x, model, whereJson);
    const columns = parseColumns(model, columnsJson);
    let timeoutMs = Infinity;
    if (timeout !== undefined) {
      if (timeout < 0) throw syntaxError(timeout, null, 'timeout must be nonnegative');
      timeoutMs = timeout;
      if (timeout < x.timeoutMs) x.timeoutMs = timeout;
    }
    if (until !== '==' && until !== '!=') throw syntaxError(until, null, '"until" must be "==" or "!="');
    const project = (fields: readonly Datum[]) => JSON.stringify(columns.map((c) => fields[c.index]));
    const expected = new Set<string>();
    for (const rowJson of rowsJson as unknown[]) expected.add(project(parseRow(model, rowJson, x.symbols).fields));
    const actual = new Set<string>();
    let equal = true;
    for (const row of x.txn.query(stored, condition)) {
      const key = project(row.fields);
      if (!expected.has(key)) {
        equal = false;
        break;
      }
      actual.add(key);
    }
    if (equal) equal = actual.size === expected.size;
    if ((until === '==') !== equal) {
      if (timeout !== undefined && x.context.elapsedMs >= timeoutMs) {
        throw x.context.elapsedMs
          ? dbError('timed out', `"wait" timed out after ${x.context.elapsedMs} ms`)
          : dbError('timed out', '"where" clause test failed');
      }
      throw new NotSupported(x.timeoutMs);
    }
    return {};
  },

  commit(x, parser) {
    const durable = parser.member('durable', ['boolean']);
    if (durable === true) x.txn.durable = true;
    return {};
  },

  abort() {
    throw dbError('aborted', 'aborted by request');
  },

  comment(x, parser) {
    const comment = parser.member('comment', ['string']);
    if (typeof comment === 'string') x.txn.comments.push(comment);
    return {};
  },

  assert(x, parser) {
    const lock = parser.member('lock', ['id']);
    if (typeof lock !== 'string') return {};
    if (x.context.ownsLock(lock)) return {};
    throw dbError('not owner', `Asserted lock ${lock} not held.`);
  },
};
