import { OvsdbError } from '../errors';
import type { OvsdbChannel } from '../rpc/channel';
import type { DatabaseSchema, TableSchema } from '../schema/schema';
import { decodeRow } from '../notation/codec';
import { canonicalRow, rowsEqual } from '../notation/canonical';
import { ZERO_UUID, isUuid, type Uuid } from '../notation/uuid';
import type { Row, Value } from '../notation/value';
import { applyRowDiff } from './diff';
import { MONITOR_METHODS, monitorRequests, planMonitor, type MonitorMethod, type MonitorRequest, type TablePlan } from './request';
import { TableStore, type CachedRow } from './tableStore';

export type ChangeEvent =
  | { readonly kind: 'insert'; readonly table: string; readonly uuid: Uuid; readonly old: undefined; readonly new: CachedRow }
  | { readonly kind: 'update'; readonly table: string; readonly uuid: Uuid; readonly old: CachedRow; readonly new: CachedRow }
  | { readonly kind: 'delete'; readonly table: string; readonly uuid: Uuid; readonly old: CachedRow; readonly new: undefined };

export type ChangeListener = (event: ChangeEvent) => void;

/** Every monitored table's rows, canonical (sets and map keys sorted), rows sorted by `_uuid`. */
export type CacheDump = Readonly<Record<string, readonly Row[]>>;

/** What the cache needs from its client. */
export interface MonitorHost {
  readonly channel: OvsdbChannel;
  readonly database: string;
  readonly schema: DatabaseSchema;
  /** After `monitor_canceled` (online schema conversion): fetch the new schema. */
  refetchSchema(): Promise<DatabaseSchema>;
  /** Errors nobody awaits (a failed resync, a throwing listener). */
  reportError(error: unknown): void;
}

/** Thrown inside update application when the server's view and ours disagree. */
class CacheInconsistency extends Error {}

type Notification = readonly [method: string, params: readonly unknown[]];

/**
 * A replica of chosen tables and columns, kept current by an OVSDB monitor.
 *
 * Reads are synchronous and consistent: a notification is applied whole before any listener
 * runs or any other code sees the cache. ovsdb-server sends the update for a client's own
 * transaction before the transact reply (ovsdb-server(7) §4.1.5), so once `transact` resolves
 * the cache already shows its effect.
 *
 * Monitoring tries monitor_cond_since, then monitor_cond, then monitor. After a reconnect it
 * resumes from the last transaction id (clustered/relay servers may answer with just the delta;
 * a standalone server always sends everything) and emits events for the differences only.
 */
export class MonitorCache {
  private static instances = 0;
  private readonly id = ++MonitorCache.instances;
  private plans: TablePlan[];
  private readonly stores = new Map<string, TableStore>();
  private method: MonitorMethod;
  private lastTxnId: Uuid = ZERO_UUID;
  private activeMonid: string | undefined;
  private pending: { monid: string; buffered: Notification[] } | undefined;
  private monitorCount = 0;
  private readonly listeners = new Set<ChangeListener>();
  private readonly unsubscribe: (() => void)[] = [];
  private work: Promise<void> = Promise.resolve();
  private closed = false;
  private ready: { promise: Promise<void>; resolve: () => void; reject: (e: unknown) => void; settled: boolean };

  constructor(
    private readonly host: MonitorHost,
    private readonly request: MonitorRequest,
  ) {
    this.plans = planMonitor(host.schema, request);
    for (const plan of this.plans) this.stores.set(plan.table, new TableStore(plan.table, plan.columns, plan.indexes));
    this.method = request.method ?? 'monitor_cond_since';
    let resolve!: () => void;
    let reject!: (e: unknown) => void;
    const promise = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    promise.catch(() => undefined);
    this.ready = { promise, resolve, reject, settled: false };
  }

  /** Sends the monitor and resolves once the initial contents are loaded. */
  async start(): Promise<void> {
    const { channel } = this.host;
    this.unsubscribe.push(
      channel.onNotification((method, params) => this.onNotification(method, params)),
      channel.onConnected(() => this.schedule(() => this.establish('reconnect'))),
      channel.onDisconnected(() => {
        this.activeMonid = undefined;
        this.pending = undefined;
      }),
    );
    if (channel.isConnected) void this.schedule(() => this.establish('start'));
    return this.ready.promise;
  }

  // ------------------------------------------------------------------ reads

  /** The monitored tables. */
  get tables(): readonly string[] {
    return [...this.stores.keys()];
  }

  /** The method the server accepted (known after start). */
  get monitorMethod(): MonitorMethod {
    return this.method;
  }

  /** The last transaction id seen (from the monitor_cond_since reply or an update3). */
  get lastTransactionId(): Uuid {
    return this.lastTxnId;
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
    return Object.fromEntries(this.plans.map((p) => [p.table, p.columns]));
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

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const u of this.unsubscribe.splice(0)) u();
    const monid = this.activeMonid;
    this.activeMonid = undefined;
    if (!this.ready.settled) this.settle(new OvsdbError('OVSDB_CLOSED', 'monitor closed before it was established'));
    if (monid !== undefined && this.host.channel.isConnected) {
      await this.host.channel.request('monitor_cancel', [monid]).catch(() => undefined);
    }
  }

  private store(table: string): TableStore {
    const store = this.stores.get(table);
    if (!store) throw new OvsdbError('OVSDB_SCHEMA', `table ${table} is not monitored by this cache`);
    return store;
  }

  // ------------------------------------------------------------------ monitor (re)establishment

  /** Runs monitor (re)establishments one at a time. */
  private schedule(task: () => Promise<void>): Promise<void> {
    const run = this.work.then(() => (this.closed ? undefined : task()));
    this.work = run.catch((error: unknown) => this.host.reportError(error));
    return this.work;
  }

  private async establish(reason: 'start' | 'reconnect' | 'inconsistent' | 'canceled'): Promise<void> {
    const { database } = this.host;
    const monid = `nbgen-${this.host.database}-${this.id}-${++this.monitorCount}`;
    this.activeMonid = undefined;
    this.pending = { monid, buffered: [] };
    try {
      const reply = await this.requestMonitor(monid);
      if (this.closed || this.pending?.monid !== monid) return;
      this.applyMonitorReply(reply);
      const buffered = this.pending.buffered;
      this.pending = undefined;
      this.activeMonid = monid;
      // Notifications that raced the reply describe later transactions: apply them now, in order.
      for (const [method, params] of buffered) this.applyNotification(method, params);
      this.settle();
    } catch (error) {
      if (this.pending?.monid === monid) this.pending = undefined;
      if (error instanceof CacheInconsistency) {
        // The delta did not fit our replica: drop the monitor and take a full dump instead.
        this.lastTxnId = ZERO_UUID;
        await this.host.channel.request('monitor_cancel', [monid]).catch(() => undefined);
        return this.establish('inconsistent');
      }
      const lost = error instanceof OvsdbError && (error.code === 'OVSDB_CONNECTION_LOST' || error.code === 'OVSDB_CLOSED');
      // A lost connection is retried by the next onConnected; anything else is for the caller.
      if (lost && !this.closed) return;
      if (!this.ready.settled) this.settle(error);
      else throw new OvsdbError('OVSDB_PROTOCOL', `monitor of ${database} (${reason}) failed: ${String(error)}`, { cause: error });
    }
  }

  private async requestMonitor(monid: string): Promise<unknown> {
    const { channel, database, schema } = this.host;
    const options = this.request.timeoutMs !== undefined ? { timeoutMs: this.request.timeoutMs } : {};
    for (;;) {
      const requests = monitorRequests(schema, this.plans, this.method);
      const params: unknown[] = [database, monid, requests];
      if (this.method === 'monitor_cond_since') params.push(this.lastTxnId);
      try {
        return await channel.request(this.method, params, options);
      } catch (error) {
        const next = MONITOR_METHODS[MONITOR_METHODS.indexOf(this.method) + 1];
        if (next && isUnknownMethod(error)) {
          this.method = next;
          continue;
        }
        throw error;
      }
    }
  }

  private settle(error?: unknown): void {
    if (this.ready.settled) return;
    this.ready.settled = true;
    if (error === undefined) this.ready.resolve();
    else this.ready.reject(error);
  }

  private applyMonitorReply(reply: unknown): void {
    if (this.method === 'monitor_cond_since') {
      if (!Array.isArray(reply) || reply.length !== 3 || typeof reply[0] !== 'boolean' || !isUuid(reply[1])) {
        throw new OvsdbError('OVSDB_PROTOCOL', `monitor_cond_since reply must be [found, last_txn_id, updates]`);
      }
      const [found, lastId, updates] = reply as [boolean, Uuid, unknown];
      if (found) this.applyUpdates(updates, 2);
      else this.reload(updates, 2);
      // Take the id from the reply too, not only from update3 (OVS 0896dc19e).
      this.lastTxnId = lastId;
    } else {
      this.reload(reply, this.method === 'monitor_cond' ? 2 : 1);
    }
  }

  // ------------------------------------------------------------------ notifications

  private onNotification(method: string, params: readonly unknown[]): void {
    if (this.closed) return;
    if (method === 'update' || method === 'update2' || method === 'update3') {
      const monid = params[0];
      if (this.pending && monid === this.pending.monid) {
        this.pending.buffered.push([method, params]);
        return;
      }
      if (monid === this.activeMonid) this.applyNotification(method, params);
      return;
    }
    if (method === 'monitor_canceled' && params[0] === this.activeMonid) {
      // The database changed under us (online schema conversion; needs set_db_change_aware).
      this.activeMonid = undefined;
      void this.schedule(async () => {
        await this.host.refetchSchema();
        this.plans = planMonitor(this.host.schema, this.request);
        this.lastTxnId = ZERO_UUID;
        await this.establish('canceled');
      });
    }
  }

  private applyNotification(method: string, params: readonly unknown[]): void {
    try {
      if (method === 'update3') {
        this.applyUpdates(params[2], 2);
        if (isUuid(params[1])) this.lastTxnId = params[1];
      } else {
        this.applyUpdates(params[1], method === 'update2' ? 2 : 1);
      }
    } catch (error) {
      if (!(error instanceof CacheInconsistency)) {
        this.host.reportError(error);
        return;
      }
      // Our replica no longer matches the server: forget the txn id and reload everything,
      // emitting events for whatever differs (ovsdb-cs flags the same and reconnects).
      const stale = this.activeMonid;
      this.activeMonid = undefined;
      this.lastTxnId = ZERO_UUID;
      this.host.reportError(new OvsdbError('OVSDB_PROTOCOL', `cache inconsistent, resyncing: ${error.message}`));
      void this.schedule(async () => {
        if (stale !== undefined) await this.host.channel.request('monitor_cancel', [stale]).catch(() => undefined);
        await this.establish('inconsistent');
      });
    }
  }

  /** Applies table-updates (v1) or table-updates2 incrementally, then emits the events. */
  private applyUpdates(updates: unknown, version: 1 | 2): void {
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
  private reload(updates: unknown, version: 1 | 2): void {
    const fresh = new Map<string, Map<Uuid, CachedRow>>();
    for (const [table, rowUpdates] of tableEntries(updates)) {
      const store = this.stores.get(table);
      if (!store) continue;
      const schema = this.host.schema.table(table);
      const rows = new Map<Uuid, CachedRow>();
      for (const [uuid, update] of Object.entries(rowUpdates)) {
        const u = update as Record<string, unknown>;
        const wire = version === 2 ? (u.initial ?? u.insert) : u.new;
        if (wire === undefined) throw new OvsdbError('OVSDB_PROTOCOL', `${table} ${uuid}: initial dump row has no contents`);
        rows.set(uuid as Uuid, this.decodeCached(schema, store, uuid as Uuid, wire));
      }
      fresh.set(table, rows);
    }
    const events: ChangeEvent[] = [];
    for (const [table, store] of this.stores) {
      const rows = fresh.get(table) ?? new Map<Uuid, CachedRow>();
      if (store.rows.size === 0) {
        // Initial load: nothing to compare with.
        for (const row of rows.values()) {
          store.insert(row);
          events.push({ kind: 'insert', table, uuid: row._uuid, old: undefined, new: row });
        }
        continue;
      }
      for (const old of [...store.rows.values()]) {
        if (!rows.has(old._uuid)) events.push(applyEvent(store, { kind: 'delete', table, uuid: old._uuid, old, new: undefined }));
      }
      for (const row of rows.values()) {
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

function isUnknownMethod(error: unknown): boolean {
  if (!(error instanceof OvsdbError) || error.code !== 'OVSDB_RPC_ERROR') return false;
  return /unknown method/.test(error.details.serverError ?? error.message);
}
