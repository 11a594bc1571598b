import { OvsdbError } from '../errors.js';
import type { DatabaseSchema, TableSchema } from '../schema/schema.js';
import { decodeRow } from '../notation/codec.js';
import { canonicalRow, rowsEqual } from '../notation/canonical.js';
import type { Uuid } from '../notation/uuid.js';
import type { Row, Value } from '../notation/value.js';
import { applyRowDiff } from './diff.js';
import type { TablePlan } from './request.js';
import { TableStore, type CachedRow } from './tableStore.js';

export type ChangeEvent =
  | { readonly kind: 'insert'; readonly table: string; readonly uuid: Uuid; readonly old: undefined; readonly new: CachedRow }
  | { readonly kind: 'update'; readonly table: string; readonly uuid: Uuid; readonly old: CachedRow; readonly new: CachedRow }
  | { readonly kind: 'delete'; readonly table: string; readonly uuid: Uuid; readonly old: CachedRow; readonly new: undefined };

export type ChangeListener = (event: ChangeEvent) => void;

/** Every monitored table's rows, canonical (sets and map keys sorted), rows sorted by `_uuid`. */
export type CacheDump = Readonly<Record<string, readonly Row[]>>;

/** Thrown while applying updates when the server's view and ours disagree. */
export class CacheInconsistency extends Error {}

/** Where a replica reads table schemas and reports errors nobody awaits. */
export interface ReplicaHost {
  readonly schema: DatabaseSchema;
  reportError(error: unknown): void;
}

/**
 * The rows of some tables and columns, their indexes and change events, and the application of
 * OVSDB table-updates (v1 `update`, v2/v3 `update2`) to them. `MonitorCache` keeps one current.
 *
 * Reads are synchronous and consistent: an update is applied whole before any listener runs or
 * any other code sees the replica.
 */
export class Replica {
  protected readonly stores = new Map<string, TableStore>();
  private readonly listeners = new Set<ChangeListener>();

  constructor(
    protected readonly host: ReplicaHost,
    plans: readonly TablePlan[],
  ) {
    for (const plan of plans) this.stores.set(plan.table, new TableStore(plan.table, plan.columns, plan.indexes));
  }

  /** The monitored tables. */
  get tables(): readonly string[] {
    return [...this.stores.keys()];
  }

  get(table: string, uuid: Uuid): CachedRow | undefined {
    return this.store(table).get(uuid);
  }

  rows(table: string): IterableIterator<CachedRow> {
    return this.store(table).rows.values();
  }

  size(table: string): number {
    return this.store(table).rows.size;
  }

  /** The rows of `table` by UUID: a read-only view of the cache itself, current after every update. */
  rowMap(table: string): ReadonlyMap<Uuid, CachedRow> {
    return this.store(table).rows;
  }

  /**
   * A lookup in one index: key → the UUIDs under it, without a copy (a view of the index itself,
   * to read before the next update). Resolved once, for callers that look up thousands of keys
   * (a planner resolving port names); `lookup` finds the index and builds a list on every call.
   */
  indexLookup(table: string, index: string): (key: Value | readonly Value[]) => ReadonlySet<Uuid> | undefined {
    const ix = this.store(table).index(index);
    return (key) => ix.get(ix.keyFor(key as Value));
  }

  /** Rows whose index key equals `key`: `lookup('ACL', 'owner', 'np:prod/web')`. */
  lookup(table: string, index: string, key: Value | readonly Value[]): CachedRow[] {
    const store = this.store(table);
    const ix = store.index(index);
    const uuids = ix.get(ix.keyFor(key as Value));
    return uuids ? [...uuids].map((u) => store.get(u) as CachedRow) : [];
  }

  /** The one row of a unique index such as `lookupOne('Port_Group', 'name', 'pg_web')`. */
  lookupOne(table: string, index: string, key: Value | readonly Value[]): CachedRow | undefined {
    return this.lookup(table, index, key)[0];
  }

  /**
   * All cached rows in canonical form, comparable (`toEqual`) with `client.dump()` of the same
   * tables and columns — UUID-exact, which is what failover checks compare.
   */
  dump(): CacheDump {
    const out: Record<string, Row[]> = {};
    for (const [table, store] of this.stores) {
      out[table] = [...store.rows.values()]
        .sort((a, b) => (a._uuid < b._uuid ? -1 : a._uuid > b._uuid ? 1 : 0))
        .map((r) => canonicalRow(r));
    }
    return out;
  }

  /** The tables and columns this cache replicates, in `client.dump()` form. */
  get monitoredColumns(): Readonly<Record<string, readonly string[]>> {
    return Object.fromEntries([...this.stores].map(([table, store]) => [table, store.columns]));
  }

  /**
   * Change events, in the order the server applied them, after each notification is applied
   * whole. Delivery is synchronous, so none is dropped; a throwing listener is reported, not
   * allowed to stop the others.
   */
  onChange(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  protected store(table: string): TableStore {
    const store = this.stores.get(table);
    if (!store) throw new OvsdbError('OVSDB_SCHEMA', `table ${table} is not monitored by this cache`);
    return store;
  }

  /** Applies table-updates (v1) or table-updates2 incrementally, then emits the events. */
  protected applyUpdates(updates: unknown, version: 1 | 2): void {
    const events: ChangeEvent[] = [];
    try {
      for (const [table, rowUpdates] of tableEntries(updates)) {
        const store = this.stores.get(table);
        if (!store) continue;
        const schema = this.host.schema.table(table);
        for (const [uuid, update] of Object.entries(rowUpdates)) {
          const change = version === 2 ? this.rowChange2(schema, store, uuid as Uuid, update) : this.rowChange1(schema, store, uuid as Uuid, update);
          events.push(change);
          applyEvent(store, change);
        }
      }
    } finally {
      this.emit(events);
    }
  }

  private rowChange2(table: TableSchema, store: TableStore, uuid: Uuid, update: unknown): ChangeEvent {
    const old = store.get(uuid);
    const u = update as Record<string, unknown>;
    if ('initial' in u || 'insert' in u) {
      if (old) throw new CacheInconsistency(`${table.name} ${uuid} inserted but already cached`);
      return { kind: 'insert', table: table.name, uuid, old: undefined, new: this.decodeCached(table, store, uuid, u.initial ?? u.insert) };
    }
    if (!old) throw new CacheInconsistency(`${table.name} ${uuid} changed but not cached`);
    if ('delete' in u) return { kind: 'delete', table: table.name, uuid, old, new: undefined };
    if ('modify' in u) {
      const next = applyRowDiff(table, old, u.modify) as Record<string, Value>;
      return { kind: 'update', table: table.name, uuid, old, new: Object.freeze(next) as CachedRow };
    }
    throw new OvsdbError('OVSDB_PROTOCOL', `${table.name} ${uuid}: unknown row update ${JSON.stringify(update)}`);
  }

  private rowChange1(table: TableSchema, store: TableStore, uuid: Uuid, update: unknown): ChangeEvent {
    const old = store.get(uuid);
    const u = update as { old?: unknown; new?: unknown };
    if (u.new !== undefined && u.old === undefined) {
      if (old) throw new CacheInconsistency(`${table.name} ${uuid} inserted but already cached`);
      return { kind: 'insert', table: table.name, uuid, old: undefined, new: this.decodeCached(table, store, uuid, u.new) };
    }
    if (!old) throw new CacheInconsistency(`${table.name} ${uuid} changed but not cached`);
    if (u.new === undefined) return { kind: 'delete', table: table.name, uuid, old, new: undefined };
    // v1 modify: `new` holds every monitored column, `old` only the changed ones.
    return { kind: 'update', table: table.name, uuid, old, new: this.decodeCached(table, store, uuid, u.new) };
  }

  private decodeCached(table: TableSchema, store: TableStore, uuid: Uuid, wire: unknown): CachedRow {
    const row = decodeRow(table, wire, { columns: store.columns, fillDefaults: true });
    row._uuid = uuid;
    return Object.freeze(row) as CachedRow;
  }

  /**
   * Replaces the contents with a full dump (initial load, or a resync the server could not
   * serve as a delta): only rows that differ are touched and reported.
   */
  protected reload(updates: unknown, version: 1 | 2): void {
    // Decode everything first, so a malformed dump leaves the replica untouched.
    const fresh = new Map<string, CachedRow[]>();
    for (const [table, rowUpdates] of tableEntries(updates)) {
      const store = this.stores.get(table);
      if (!store) continue;
      const schema = this.host.schema.table(table);
      const rows: CachedRow[] = [];
      for (const uuid in rowUpdates) {
        const u = rowUpdates[uuid] as Record<string, unknown>;
        const wire = version === 2 ? (u.initial ?? u.insert) : u.new;
        if (wire === undefined) throw new OvsdbError('OVSDB_PROTOCOL', `${table} ${uuid}: initial dump row has no contents`);
        rows.push(this.decodeCached(schema, store, uuid as Uuid, wire));
      }
      fresh.set(table, rows);
    }
    const events: ChangeEvent[] = [];
    const recording = this.listeners.size > 0;
    for (const [table, store] of this.stores) {
      const rows = fresh.get(table) ?? [];
      if (store.rows.size === 0) {
        // Initial load: nothing to compare with.
        for (const row of rows) {
          store.insert(row);
          if (recording) events.push({ kind: 'insert', table, uuid: row._uuid, old: undefined, new: row });
        }
        continue;
      }
      const present = new Set(rows.map((r) => r._uuid));
      for (const old of [...store.rows.values()]) {
        if (!present.has(old._uuid)) events.push(applyEvent(store, { kind: 'delete', table, uuid: old._uuid, old, new: undefined }));
      }
      for (const row of rows) {
        const old = store.get(row._uuid);
        if (!old) events.push(applyEvent(store, { kind: 'insert', table, uuid: row._uuid, old: undefined, new: row }));
        else if (!rowsEqual(old, row)) events.push(applyEvent(store, { kind: 'update', table, uuid: row._uuid, old, new: row }));
      }
    }
    this.emit(events);
  }

  private emit(events: readonly ChangeEvent[]): void {
    if (this.listeners.size === 0) return;
    for (const event of events) {
      for (const listener of this.listeners) {
        try {
          listener(event);
        } catch (error) {
          this.host.reportError(error);
        }
      }
    }
  }
}

function applyEvent(store: TableStore, event: ChangeEvent): ChangeEvent {
  if (event.kind === 'insert') store.insert(event.new);
  else if (event.kind === 'delete') store.delete(event.old);
  else store.replace(event.old, event.new);
  return event;
}

function tableEntries(updates: unknown): [string, Record<string, unknown>][] {
  if (typeof updates !== 'object' || updates === null || Array.isArray(updates)) {
    throw new OvsdbError('OVSDB_PROTOCOL', `table-updates must be an object, found ${JSON.stringify(updates)}`);
  }
  return Object.entries(updates as Record<string, Record<string, unknown>>);
}
