import { DbError, syntaxError } from './dbError.js';
import { OperationParser } from './parser.js';
import { datumDiff, datumEquals, isDefaultDatum, type Datum } from './datum.js';
import { datumToJson } from './datumJson.js';
import { evaluateMonitorCondition as evaluateCondition, parseCondition, TRUE_CONDITION, type Condition } from './condition.js';
import type { MemoryDatabase, RowChange, StoredTable } from './database.js';
import { UUID_INDEX, type ColumnModel, type Row, type TableModel } from './model.js';

/**
 * Monitors (`ovsdb/monitor.c`, RFC 7047 §4.1.5 and ovsdb-server(7) §4.1.12–4.1.16):
 * - v1 `monitor`: row updates `{old?, new?}`; a modify's `old` holds only the changed columns;
 * - v2 `monitor_cond`: exactly one of `initial|insert|delete|modify`; initial/insert omit
 *   default-valued columns, modify carries update2 diffs; rows moving in or out of the condition
 *   are inserts and deletes; a `where` is a disjunction of its clauses (unlike a transaction's);
 * - v3 `monitor_cond_since`: v2 contents with a last transaction id — zero and never resumable
 *   on a standalone database (no history), resumable from the history of a clustered one.
 * Without `columns` a table is monitored on every column but `_uuid` (so `_version` too).
 */
export type MonitorVersion = 1 | 2 | 3;

export { ZERO_TXN_ID } from './database.js';

interface Select {
  initial: boolean;
  insert: boolean;
  delete: boolean;
  modify: boolean;
}

interface TableMonitor {
  readonly table: TableModel;
  readonly columns: readonly ColumnModel[];
  readonly select: Select;
  condition: Condition;
}

function parseSelect(json: unknown): Select {
  const select: Select = { initial: true, insert: true, delete: true, modify: true };
  if (json === undefined) return select;
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw syntaxError(json, null, 'select must be an object');
  for (const key of ['initial', 'insert', 'delete', 'modify'] as const) {
    const v = (json as Record<string, unknown>)[key];
    if (v !== undefined) {
      if (typeof v !== 'boolean') throw syntaxError(json, null, `Type mismatch for member '${key}'.`);
      select[key] = v;
    }
  }
  return select;
}

function parseMonitorColumns(table: TableModel, json: unknown): ColumnModel[] {
  if (json === undefined) return table.columns.filter((c) => c.index !== UUID_INDEX);
  if (!Array.isArray(json)) throw syntaxError(json, null, 'array of column names expected');
  const out: ColumnModel[] = [];
  for (const name of json) {
    const column = typeof name === 'string' ? table.byName.get(name) : undefined;
    if (!column) throw syntaxError(json, null, `${String(name)} is not a valid column name`);
    if (!out.includes(column)) out.push(column);
  }
  return out;
}

export class Monitor {
  readonly tables: TableMonitor[] = [];

  constructor(
    readonly db: MemoryDatabase,
    public id: unknown,
    readonly version: MonitorVersion,
    requests: unknown,
  ) {
    if (typeof requests !== 'object' || requests === null || Array.isArray(requests)) {
      throw syntaxError(requests, null, 'monitor-requests must be an object');
    }
    for (const [name, value] of Object.entries(requests as Record<string, unknown>)) {
      const stored = db.table(name);
      // v1 requests have no `where`, but monitor_cond_change may give them one later.
      if (!stored) throw new DbError('syntax error', `no table named ${name}`);
      const list = Array.isArray(value) ? value : [value];
      const columns: ColumnModel[] = [];
      const select: Select = { initial: false, insert: false, delete: false, modify: false };
      let condition: Condition = TRUE_CONDITION;
      for (const request of list) {
        // Each request is parsed like an operation: unknown members are errors.
        const parser = new OperationParser(request, `table ${name}`);
        const columnsJson = parser.member('columns', ['array'], true);
        const whereJson = version > 1 ? parser.member('where', ['array'], true) : undefined;
        const selectJson = parser.member('select', ['object'], true);
        const parseError = parser.finish();
        if (parseError) throw parseError;
        for (const c of parseMonitorColumns(stored.model, columnsJson)) if (!columns.includes(c)) columns.push(c);
        const s = parseSelect(selectJson);
        for (const k of ['initial', 'insert', 'delete', 'modify'] as const) select[k] ||= s[k];
        if (whereJson !== undefined) condition = parseCondition(stored.model, whereJson, null);
      }
      this.tables.push({ table: stored.model, columns, select, condition });
    }
  }

  /** The reply's table-updates (v1) or table-updates2 (v2, v3) with every matching row. */
  initial(): Record<string, Record<string, unknown>> {
    const out: Record<string, Record<string, unknown>> = {};
    for (const tm of this.tables) {
      if (!tm.select.initial) continue;
      const rows: Record<string, unknown> = {};
      let any = false;
      for (const row of (this.db.table(tm.table.name) as StoredTable).rows.values()) {
        if (!evaluateCondition(tm.condition, row)) continue;
        rows[row.uuid] = this.version === 1 ? { new: this.fullRow(tm, row) } : { initial: this.sparseRow(tm, row) };
        any = true;
      }
      if (any) out[tm.table.name] = rows;
    }
    return out;
  }

  /** The table-updates for one commit, or undefined when nothing monitored changed. */
  updatesFor(changes: readonly RowChange[]): Record<string, Record<string, unknown>> | undefined {
    let out: Record<string, Record<string, unknown>> | undefined;
    for (const change of changes) {
      const tm = this.tables.find((t) => t.table === change.table);
      if (!tm) continue;
      const update = this.rowUpdate(tm, change);
      if (update === undefined) continue;
      out ??= {};
      (out[tm.table.name] ??= {})[change.uuid] = update;
    }
    return out;
  }

  /** New conditions (`monitor_cond_change`): rows entering are inserts, rows leaving deletes. */
  changeConditions(requests: Record<string, unknown>): Record<string, Record<string, unknown>> | undefined {
    const parsed = new Map<TableMonitor, Condition>();
    for (const [name, value] of Object.entries(requests)) {
      const tm = this.tables.find((t) => t.table.name === name);
      if (!tm) throw new DbError('syntax error', `no table named ${name} in monitor session`);
      const list = Array.isArray(value) ? value : [value];
      const request = (list[0] ?? {}) as Record<string, unknown>;
      if (request.columns !== undefined) throw syntaxError(request, null, 'changing columns is unsupported');
      parsed.set(tm, request.where === undefined ? TRUE_CONDITION : parseCondition(tm.table, request.where, null));
    }
    let out: Record<string, Record<string, unknown>> | undefined;
    for (const [tm, condition] of parsed) {
      const before = tm.condition;
      tm.condition = condition;
      for (const row of (this.db.table(tm.table.name) as StoredTable).rows.values()) {
        const was = evaluateCondition(before, row);
        const is = evaluateCondition(condition, row);
        if (was === is) continue;
        out ??= {};
        const v1 = this.version === 1;
        (out[tm.table.name] ??= {})[row.uuid] = is
          ? v1 ? { new: this.fullRow(tm, row) } : { insert: this.sparseRow(tm, row) }
          : v1 ? { old: this.fullRow(tm, row) } : { delete: null };
      }
    }
    return out;
  }

  private rowUpdate(tm: TableMonitor, change: RowChange): unknown {
    const oldMatch = change.old !== undefined && evaluateCondition(tm.condition, change.old);
    const newMatch = change.new !== undefined && evaluateCondition(tm.condition, change.new);
    if (!oldMatch && !newMatch) return undefined;
    if (!oldMatch) {
      if (!tm.select.insert) return undefined;
      const row = change.new as Row;
      return this.version === 1 ? { new: this.fullRow(tm, row) } : { insert: this.sparseRow(tm, row) };
    }
    if (!newMatch) {
      if (!tm.select.delete) return undefined;
      return this.version === 1 ? { old: this.fullRow(tm, change.old as Row) } : { delete: null };
    }
    if (!tm.select.modify) return undefined;
    const old = change.old as Row;
    const now = change.new as Row;
    // Compared by value, like monitor.c: a weak reference added and dropped again in the same
    // transaction marks the column changed but sends nothing for it.
    const changedColumns = tm.columns.filter(
      (c) => change.changed[c.index] && !datumEquals(old.fields[c.index] as Datum, now.fields[c.index] as Datum),
    );
    if (changedColumns.length === 0) return undefined;
    if (this.version === 1) {
      const oldJson: Record<string, unknown> = {};
      for (const c of changedColumns) oldJson[c.name] = datumToJson(c.type, old.fields[c.index] as Datum);
      return { new: this.fullRow(tm, now), old: oldJson };
    }
    const diff: Record<string, unknown> = {};
    for (const c of changedColumns) {
      diff[c.name] = datumToJson(c.type, datumDiff(c.type, old.fields[c.index] as Datum, now.fields[c.index] as Datum));
    }
    return { modify: diff };
  }

  private fullRow(tm: TableMonitor, row: Row): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const c of tm.columns) out[c.name] = datumToJson(c.type, row.fields[c.index] as Datum);
    return out;
  }

  private sparseRow(tm: TableMonitor, row: Row): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const c of tm.columns) {
      const d = row.fields[c.index] as Datum;
      if (!isDefaultDatum(c.type, d)) out[c.name] = datumToJson(c.type, d);
    }
    return out;
  }
}
