import type { Duplex } from 'node:stream';
import { JsonFrameSplitter } from '../wire/frameSplitter.js';
import { DbError, syntaxError } from './dbError.js';
import { isId } from '../notation/uuid.js';
import { executeTransaction } from './execute.js';
import { Monitor, type MonitorVersion } from './monitor.js';
import type { LockHolder, LockTable } from './locks.js';
import type { MemoryDatabase, RowChange } from './database.js';

/**
 * One client connection of the in-memory server (`ovsdb/jsonrpc-server.c`): JSON-RPC 1.0
 * framing and validation (an unexpected member, a missing `params` or an unsolicited reply drops
 * the connection, as ovsdb-server does), the request methods, monitors, parked `wait`s and locks.
 * Updates caused by a transaction are written before that transaction's reply.
 */
export interface ConnectionHost {
  readonly serverId: string;
  readonly locks: LockTable;
  database(name: string): MemoryDatabase | undefined;
  databaseNames(): string[];
  /** ovsdb-server's probe: echo after this idle time, drop after as long again; 0 disables. */
  readonly probeIntervalMs: number;
  connectionClosed(connection: ServerConnection): void;
}

interface ParkedTransaction {
  readonly id: unknown;
  readonly db: MemoryDatabase;
  readonly operations: readonly unknown[];
  readonly startedAt: number;
  timer?: ReturnType<typeof setTimeout>;
  /** The smallest `wait` timeout of the transaction, once known. */
  timeoutMs?: number;
}

const ALLOWED_MEMBERS: ReadonlySet<string> = new Set(['method', 'params', 'result', 'error', 'id']);

export class ServerConnection implements LockHolder {
  private readonly splitter = new JsonFrameSplitter();
  private readonly monitors = new Map<string, Monitor>();
  private readonly unsubscribe = new Map<MemoryDatabase, () => void>();
  readonly parked: ParkedTransaction[] = [];
  private dbChangeAware = false;
  private closed = false;
  private lastInbound = Date.now();
  private probeTimer: ReturnType<typeof setTimeout> | undefined;
  private probeOutstanding = false;

  constructor(
    private readonly stream: Duplex,
    private readonly host: ConnectionHost,
  ) {
    stream.on('data', (chunk: Buffer) => this.receive(chunk));
    stream.on('error', () => this.close());
    stream.on('close', () => this.close());
    this.scheduleProbe(host.probeIntervalMs);
  }

  // --- wire ---------------------------------------------------------------------------------

  private send(message: Record<string, unknown>): void {
    if (!this.closed) this.stream.write(JSON.stringify(message));
  }

  private reply(id: unknown, result: unknown): void {
    this.send({ id, result, error: null });
  }

  /** ovsdb-server's error replies carry no `result` member. */
  private replyError(id: unknown, error: DbError | string): void {
    this.send({ id, error: typeof error === 'string' ? error : error.toJson() });
  }

  notify(method: string, ...params: unknown[]): void {
    this.send({ id: null, method, params });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.probeTimer);
    for (const u of this.unsubscribe.values()) u();
    this.unsubscribe.clear();
    for (const p of this.parked) clearTimeout(p.timer);
    this.parked.length = 0;
    for (const name of this.host.locks.namesOf(this)) this.host.locks.unlock(name, this);
    if (!this.stream.destroyed) this.stream.destroy();
    this.host.connectionClosed(this);
  }

  private receive(chunk: Buffer): void {
    this.lastInbound = Date.now();
    this.probeOutstanding = false;
    let frames: string[];
    try {
      frames = this.splitter.push(chunk);
    } catch {
      this.close();
      return;
    }
    for (const text of frames) {
      if (this.closed) return;
      let message: unknown;
      try {
        message = JSON.parse(text);
      } catch {
        this.close();
        return;
      }
      this.dispatch(message);
    }
  }

  /** `jsonrpc_msg_from_json` + `jsonrpc_msg_is_valid`; anything invalid ends the connection. */
  private dispatch(raw: unknown): void {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return this.close();
    const m = raw as Record<string, unknown>;
    for (const key of Object.keys(m)) if (!ALLOWED_MEMBERS.has(key)) return this.close();
    const present = (k: string) => m[k] !== undefined && m[k] !== null;
    if (present('result') || present('error')) {
      // Only our own echo probe may be answered; any other reply is unexpected.
      if (m.id === 'echo' && !(present('result') && present('error'))) return;
      return this.close();
    }
    if (typeof m.method !== 'string' || !Array.isArray(m.params)) return this.close();
    if (present('id')) this.handleRequest(m.id, m.method, m.params);
    else this.handleNotification(m.method, m.params);
  }

  private scheduleProbe(delayMs: number): void {
    if (this.host.probeIntervalMs <= 0 || this.closed) return;
    this.probeTimer = setTimeout(() => this.checkProbe(), delayMs);
    this.probeTimer.unref?.();
  }

  private checkProbe(): void {
    const interval = this.host.probeIntervalMs;
    const idle = Date.now() - this.lastInbound;
    if (this.probeOutstanding && idle >= interval) return this.close();
    if (idle >= interval) {
      this.probeOutstanding = true;
      this.send({ id: 'echo', method: 'echo', params: [] });
      this.scheduleProbe(interval);
    } else {
      this.scheduleProbe(interval - idle);
    }
  }

  // --- requests -----------------------------------------------------------------------------

  private lookupDb(method: string, params: unknown[]): MemoryDatabase | DbError {
    if (params.length === 0 || typeof params[0] !== 'string') {
      return syntaxError(params, null, `${method} request params must begin with <db-name>`);
    }
    const db = this.host.database(params[0]);
    return db ?? syntaxError(params, 'unknown database', `${method} request specifies unknown database ${params[0]}`);
  }

  private handleRequest(id: unknown, method: string, params: unknown[]): void {
    switch (method) {
      case 'transact':
        return this.transact(id, params);
      case 'monitor':
        return this.monitor(id, params, 1);
      case 'monitor_cond':
        return this.monitor(id, params, 2);
      case 'monitor_cond_since':
        return this.monitor(id, params, 3);
      case 'monitor_cond_change':
        return this.monitorCondChange(id, params);
      case 'monitor_cancel':
        return this.monitorCancel(id, params);
      case 'get_schema': {
        const db = this.lookupDb(method, params);
        return db instanceof DbError ? this.replyError(id, db) : this.reply(id, db.servedSchema);
      }
      case 'list_dbs':
        return this.reply(id, this.host.databaseNames());
      case 'echo':
        return this.reply(id, params);
      case 'get_server_id':
        return this.reply(id, this.host.serverId);
      case 'set_db_change_aware':
        if (params.length !== 1 || typeof params[0] !== 'boolean') {
          return this.replyError(id, syntaxError(params, null, 'set_db_change_aware: true or false parameter expected'));
        }
        this.dbChangeAware = params[0];
        return this.reply(id, {});
      case 'lock':
      case 'steal':
      case 'unlock':
        return this.lockRequest(id, method, params);
      default:
        return this.replyError(id, 'unknown method');
    }
  }

  private handleNotification(method: string, params: unknown[]): void {
    if (method !== 'cancel' || params.length !== 1) return;
    const i = this.parked.findIndex((p) => JSON.stringify(p.id) === JSON.stringify(params[0]));
    if (i < 0) return;
    const [p] = this.parked.splice(i, 1);
    clearTimeout(p?.timer);
    // ovsdb-server 3.1 answers a cancelled transaction only on db-change-aware sessions.
    if (this.dbChangeAware && p) this.replyError(p.id, 'canceled');
  }

  private transact(id: unknown, params: unknown[]): void {
    const db = this.lookupDb('transact', params);
    if (db instanceof DbError) return this.replyError(id, db);
    if (this.parked.some((p) => JSON.stringify(p.id) === JSON.stringify(id))) {
      return this.replyError(id, new DbError('syntax error', 'transact: duplicate request ID'));
    }
    const startedAt = Date.now();
    const parked: ParkedTransaction = { id, db, operations: params.slice(1), startedAt };
    // The first try runs at the moment the request arrived, as ovsdb-server tries a new trigger at
    // its creation time: 0 ms elapsed, so a failed `wait` with timeout 0 reports '"where" clause
    // test failed' however long this call took (reading the clock again here could cross a
    // millisecond and report '"wait" timed out after 1 ms' instead).
    if (!this.runTransaction(parked, false, startedAt)) this.parked.push(parked);
  }

  /** Executes (or re-executes) a transaction at `now`; returns false when it must wait for a change. */
  runTransaction(p: ParkedTransaction, timedOut = false, now = Date.now()): boolean {
    const elapsedMs = now - p.startedAt;
    const outcome = executeTransaction(p.db, p.operations, {
      ownsLock: (name) => this.host.locks.owner(name) === this,
      // Woken by its deadline, a trigger has waited exactly its timeout (as ovsdb-server reports it).
      elapsedMs: timedOut && p.timeoutMs !== undefined ? Math.max(p.timeoutMs, 1) : elapsedMs,
    });
    if (outcome.kind === 'blocked') {
      clearTimeout(p.timer);
      if (Number.isFinite(outcome.timeoutMs)) {
        p.timeoutMs = outcome.timeoutMs;
        const remaining = Math.max(0, outcome.timeoutMs - elapsedMs);
        p.timer = setTimeout(() => this.retryParked(p, true), remaining);
      }
      return false;
    }
    clearTimeout(p.timer);
    this.reply(p.id, outcome.results);
    return true;
  }

  /** Re-runs one parked transaction (after a commit, or at its timeout). */
  retryParked(p: ParkedTransaction, timedOut = false): void {
    const i = this.parked.indexOf(p);
    if (i < 0 || this.closed) return;
    if (this.runTransaction(p, timedOut)) this.parked.splice(this.parked.indexOf(p), 1);
  }

  // --- monitors -----------------------------------------------------------------------------

  private monitor(id: unknown, params: unknown[], version: MonitorVersion): void {
    const method = version === 1 ? 'monitor' : version === 2 ? 'monitor_cond' : 'monitor_cond_since';
    const db = this.lookupDb(method, params);
    if (db instanceof DbError) return this.replyError(id, db);
    if (params.length !== (version === 3 ? 4 : 3)) return this.replyError(id, 'invalid parameters');
    const key = JSON.stringify(params[1]);
    if (this.monitors.has(key)) return this.replyError(id, syntaxError(params[1], null, 'duplicate monitor ID'));
    let monitor: Monitor;
    try {
      monitor = new Monitor(db, params[1], version, params[2]);
    } catch (error) {
      if (error instanceof DbError) return this.replyError(id, error);
      throw error;
    }
    this.monitors.set(key, monitor);
    this.subscribe(db);
    if (version !== 3) return this.reply(id, monitor.initial());
    // A standalone database keeps no history: never found. A clustered one resumes from its id.
    const since = typeof params[3] === 'string' ? db.changesSince(params[3]) : undefined;
    if (since) return this.reply(id, [true, db.lastTxnId, monitor.updatesFor(since) ?? {}]);
    this.reply(id, [false, db.lastTxnId, monitor.initial()]);
  }

  private monitorCondChange(id: unknown, params: unknown[]): void {
    if (params.length !== 3 || typeof params[2] !== 'object' || params[2] === null || Array.isArray(params[2])) {
      return this.replyError(id, syntaxError(params, null, 'invalid parameters'));
    }
    const monitor = this.monitors.get(JSON.stringify(params[0]));
    if (!monitor) return this.replyError(id, syntaxError(params[0], null, 'unknown monitor session'));
    let updates: Record<string, Record<string, unknown>> | undefined;
    try {
      updates = monitor.changeConditions(params[2] as Record<string, unknown>);
    } catch (error) {
      if (error instanceof DbError) return this.replyError(id, error);
      throw error;
    }
    this.monitors.delete(JSON.stringify(params[0]));
    monitor.id = params[1];
    this.monitors.set(JSON.stringify(params[1]), monitor);
    if (updates) this.sendUpdates(monitor, updates);
    this.reply(id, {});
  }

  private monitorCancel(id: unknown, params: unknown[]): void {
    if (params.length !== 1) return this.replyError(id, 'invalid parameters');
    const key = JSON.stringify(params[0]);
    if (!this.monitors.delete(key)) return this.replyError(id, 'unknown monitor');
    this.reply(id, {});
  }

  private subscribe(db: MemoryDatabase): void {
    if (this.unsubscribe.has(db)) return;
    this.unsubscribe.set(db, db.onCommit((changes, txnId) => this.onCommit(db, changes, txnId)));
  }

  private onCommit(db: MemoryDatabase, changes: readonly RowChange[], txnId: string): void {
    for (const monitor of this.monitors.values()) {
      if (monitor.db !== db) continue;
      const updates = monitor.updatesFor(changes);
      if (updates) this.sendUpdates(monitor, updates, txnId);
    }
  }

  private sendUpdates(monitor: Monitor, updates: Record<string, Record<string, unknown>>, txnId = monitor.db.lastTxnId): void {
    if (monitor.version === 1) this.notify('update', monitor.id, updates);
    else if (monitor.version === 2) this.notify('update2', monitor.id, updates);
    else this.notify('update3', monitor.id, txnId, updates);
  }

  // --- locks --------------------------------------------------------------------------------

  private lockRequest(id: unknown, method: 'lock' | 'steal' | 'unlock', params: unknown[]): void {
    const name = params.length === 1 && typeof params[0] === 'string' && isId(params[0]) ? params[0] : undefined;
    if (name === undefined) return this.replyError(id, syntaxError(params, null, `${method} request params must be <id>`));
    const locks = this.host.locks;
    if (method === 'unlock') {
      if (!locks.isWaiting(name, this)) {
        return this.replyError(id, syntaxError(params, null, 'unlock: "unlock" without "lock" or "steal"'));
      }
      locks.unlock(name, this);
      return this.reply(id, {});
    }
    if (locks.isWaiting(name, this)) {
      return this.replyError(id, syntaxError(params, null, `must issue "unlock" before new "${method}"`));
    }
    if (method === 'lock') return this.reply(id, { locked: locks.lock(name, this) });
    locks.steal(name, this);
    return this.reply(id, { locked: true });
  }
}
