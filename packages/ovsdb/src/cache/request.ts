import { OvsdbError } from '../errors.js';
import type { DatabaseSchema } from '../schema/schema.js';
import { encodeWhere, type Where } from '../txn/operations.js';
import type { IndexSpec } from './rowIndex.js';

export type MonitorMethod = 'monitor_cond_since' | 'monitor_cond' | 'monitor';

/** Tried in this order; a server answering `unknown method` moves us to the next. */
export const MONITOR_METHODS: readonly MonitorMethod[] = ['monitor_cond_since', 'monitor_cond', 'monitor'];

export interface MonitorTableRequest {
  /** Columns to replicate; default every column of the table. */
  readonly columns?: readonly string[];
  /**
   * monitor_cond condition. Unlike a transaction's `where` (every clause must hold), ovsdb-server
   * replicates a row when ANY clause holds (ovsdb-server(7) monitor_cond; ovn-controller relies on
   * it to follow several datapaths with one clause each). Ignored by a
   * v1 `monitor` fallback, which replicates every row.
   */
  readonly where?: Where;
}

export interface MonitorRequest {
  /** `{ ACL: ['match', 'priority'], Port_Group: true }` */
  readonly tables: Readonly<Record<string, readonly string[] | true | MonitorTableRequest>>;
  /**
   * Client indexes per table, besides the schema's own (which are added automatically when
   * their columns are monitored, named by their columns joined with ',', e.g. `name`).
   */
  readonly indexes?: Readonly<Record<string, readonly IndexSpec[]>>;
  /** The first method to try (tests use it to exercise the fallbacks). */
  readonly method?: MonitorMethod;
  /** Deadline for the monitor request itself; a 100k-row initial dump takes seconds. */
  readonly timeoutMs?: number;
}

/** One monitored table, resolved against the schema. */
export interface TablePlan {
  readonly table: string;
  readonly columns: readonly string[];
  readonly where?: Where;
  readonly indexes: readonly IndexSpec[];
}

export function planMonitor(schema: DatabaseSchema, request: MonitorRequest): TablePlan[] {
  return Object.entries(request.tables).map(([table, spec]) => {
    const t = schema.table(table);
    const given = spec === true ? {} : Array.isArray(spec) ? { columns: spec as readonly string[] } : (spec as MonitorTableRequest);
    const columns = given.columns ? [...given.columns] : [...t.columns.keys()];
    for (const c of columns) {
      if (!t.columns.has(c)) throw new OvsdbError('OVSDB_SCHEMA', `monitor: unknown column ${table}.${c}`);
    }
    if (given.where) encodeWhere(schema, table, given.where);
    const monitored = new Set(columns);
    const indexes: IndexSpec[] = t.indexes
      .filter((ix) => ix.every((c) => monitored.has(c)))
      .map((ix) => ({ name: ix.join(','), columns: ix }));
    for (const spec of request.indexes?.[table] ?? []) {
      const needed = 'columns' in spec ? spec.columns : [spec.mapColumn ?? 'external_ids'];
      for (const c of needed) {
        if (!monitored.has(c)) throw new OvsdbError('OVSDB_SCHEMA', `index ${table}/${spec.name}: column ${c} is not monitored`);
      }
      if (!('columns' in spec) && !t.columns.get(needed[0] as string)?.type.value) {
        throw new OvsdbError('OVSDB_SCHEMA', `index ${table}/${spec.name}: ${needed[0]} is not a map column`);
      }
      indexes.push(spec);
    }
    return { table, columns, ...(given.where ? { where: given.where } : {}), indexes };
  });
}

/** The `monitor-requests` argument for the given method (v1 takes one object per table). */
export function monitorRequests(schema: DatabaseSchema, plans: readonly TablePlan[], method: MonitorMethod): Record<string, unknown> {
  const requests: Record<string, unknown> = {};
  for (const plan of plans) {
    const request: Record<string, unknown> = { columns: plan.columns };
    if (method === 'monitor') {
      requests[plan.table] = request;
      continue;
    }
    if (plan.where) request.where = encodeWhere(schema, plan.table, plan.where);
    requests[plan.table] = [request];
  }
  return requests;
}
