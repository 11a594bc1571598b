import { OvsdbError } from '../errors.js';
import type { OvsdbChannel } from '../rpc/channel.js';
import type { DatabaseSchema } from '../schema/schema.js';
import { ZERO_UUID, isUuid, type Uuid } from '../notation/uuid.js';
import { CacheInconsistency, Replica } from './replica.js';

// Re-exported so importers of the cache need one module.
export type { CacheDump, ChangeEvent, ChangeListener } from './replica.js';
import { MONITOR_METHODS, monitorRequests, planMonitor, type MonitorMethod, type MonitorRequest, type TablePlan } from './request.js';

/** What the cache needs from its client. */
export interface MonitorHost {
  readonly channel: OvsdbChannel;
  readonly database: string;
  /** The current schema (replaced after `monitor_canceled`). */
  readonly schema: DatabaseSchema;
  /** After `monitor_canceled` (online schema conversion): fetch the new schema. */
  refetchSchema(): Promise<DatabaseSchema>;
  /** Errors nobody awaits (a failed resync, a throwing listener). */
  reportError(error: unknown): void;
}

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
export class MonitorCache extends Replica {
  private static instances = 0;
  private readonly id = ++MonitorCache.instances;
  private plans: TablePlan[];
  private method: MonitorMethod;
  private lastTxnId: Uuid = ZERO_UUID;
  private activeMonid: string | undefined;
  private pending: { monid: string; buffered: Notification[] } | undefined;
  private monitorCount = 0;
  private readonly unsubscribe: (() => void)[] = [];
  private work: Promise<void> = Promise.resolve();
  private closed = false;
  private ready: { promise: Promise<void>; resolve: () => void; reject: (e: unknown) => void; settled: boolean };

  constructor(
    protected override readonly host: MonitorHost,
    private readonly request: MonitorRequest,
  ) {
    const plans = planMonitor(host.schema, request);
    super(host, plans);
    this.plans = plans;
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

  /** The method the server accepted (known after start). */
  get monitorMethod(): MonitorMethod {
    return this.method;
  }

  /** The last transaction id seen (from the monitor_cond_since reply or an update3). */
  get lastTransactionId(): Uuid {
    return this.lastTxnId;
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
      const code = error instanceof OvsdbError ? error.code : undefined;
      // A lost connection is retried by the next onConnected; anything else is for the caller.
      if (code === 'OVSDB_CONNECTION_LOST' && !this.closed) return;
      // A channel its owner closed never connects again: a monitor still being established fails
      // with it (start() rejects) instead of waiting for an onConnected that will not come.
      if (code === 'OVSDB_CLOSED' && !this.closed) {
        if (!this.ready.settled) this.settle(error);
        return;
      }
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
}

function isUnknownMethod(error: unknown): boolean {
  if (!(error instanceof OvsdbError) || error.code !== 'OVSDB_RPC_ERROR') return false;
  return /unknown method/.test(error.details.serverError ?? error.message);
}
