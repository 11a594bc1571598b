import type { Capabilities } from '@ovn-nbgen/core';
import { OvsdbError } from '../errors.js';
import type { OvsdbChannel, RequestOptions } from '../rpc/channel.js';
import { connectChannel, type SessionOptions } from '../session/session.js';
import { DatabaseSchema } from '../schema/schema.js';
import { capabilitiesFromSchema } from '../schema/capabilities.js';
import { canonicalRow } from '../notation/canonical.js';
import type { Row } from '../notation/value.js';
import { Transaction, assertLockName, type TransactionOptions } from '../txn/builder.js';
import { parseTransactResult, type TransactResult } from '../txn/results.js';
import { MonitorCache, type CacheDump } from '../cache/monitorCache.js';
import type { MonitorRequest } from '../cache/request.js';

export interface ConnectOptions {
  /**
   * `unix:/path`, `tcp:host:port`, `ssl:host:port`, comma-separated for a cluster: opens a
   * reconnecting, leader-following session (see `SessionOptions`).
   */
  readonly remote?: string;
  /** Session settings for `remote` (TLS files, leader-only, timeouts, backoff...). */
  readonly session?: Omit<SessionOptions, 'remote' | 'database'>;
  /** An already-open channel instead of `remote` (tests, or a session shared by the caller). */
  readonly channel?: OvsdbChannel;
  /** Default `OVN_Northbound`. */
  readonly database?: string;
  /** Default deadline of transactions (ms); omitted: the channel's default. */
  readonly transactTimeoutMs?: number;
  /**
   * Ask the server to keep this session across online schema conversion and report it with
   * `monitor_canceled` instead of disconnecting (default true, as the C IDL does).
   */
  readonly dbChangeAware?: boolean;
  /** Validate rows against the schema in builders made by `transaction()` (default true). */
  readonly validate?: boolean;
  /** Errors nobody awaits: failed background resyncs, throwing change listeners. */
  readonly onError?: (error: unknown) => void;
}

export interface TransactOptions extends RequestOptions {
  /**
   * Aborting asks the session to send `cancel` for the request. ovsdb-server answers a
   * cancelled transact only on db-change-aware sessions, and a transact may already be
   * committed: re-read before retrying.
   */
  readonly signal?: AbortSignal;
}

export type LockEvent = { readonly kind: 'locked' | 'stolen'; readonly lock: string };

/**
 * A client of one OVSDB database over an `OvsdbChannel`: schema, transactions, monitors.
 *
 * @example
 *   const client = await OvsdbClient.connect({ channel, database: 'OVN_Northbound' });
 *   const cache = await client.monitor({ tables: { Port_Group: ['name', 'acls'] } });
 *   const txn = client.transaction();
 *   txn.insert('Port_Group', { name: 'pg_web' });
 *   await client.transact(txn);
 *   cache.lookupOne('Port_Group', 'name', 'pg_web'); // already there
 */
export class OvsdbClient {
  private currentSchema: DatabaseSchema;
  private readonly caches = new Set<MonitorCache>();
  private readonly lockListeners = new Set<(event: LockEvent) => void>();
  private readonly unsubscribe: (() => void)[] = [];
  private closed = false;

  private constructor(
    readonly channel: OvsdbChannel,
    readonly database: string,
    schema: DatabaseSchema,
    private readonly options: ConnectOptions,
  ) {
    this.currentSchema = schema;
  }

  static async connect(options: ConnectOptions): Promise<OvsdbClient> {
    const database = options.database ?? 'OVN_Northbound';
    const channel = options.channel ?? connectChannel({ ...options.session, remote: options.remote, database });
    try {
      const schema = DatabaseSchema.parse(await channel.request('get_schema', [database]));
      const client = new OvsdbClient(channel, database, schema, options);
      await client.init();
      return client;
    } catch (error) {
      if (!options.channel) await channel.close();
      throw error;
    }
  }

  private async init(): Promise<void> {
    const aware = this.options.dbChangeAware ?? true;
    if (aware) {
      await this.setDbChangeAware(true);
      // A new session starts unaware: repeat on every reconnect.
      this.unsubscribe.push(this.channel.onConnected(() => this.setDbChangeAware(true).catch((e) => this.reportError(e))));
    }
    this.unsubscribe.push(
      this.channel.onNotification((method, params) => {
        if ((method === 'locked' || method === 'stolen') && typeof params[0] === 'string') {
          const event: LockEvent = { kind: method, lock: params[0] };
          for (const listener of this.lockListeners) listener(event);
        }
      }),
    );
  }

  /** The schema served by the database (re-read after `monitor_canceled`). */
  get schema(): DatabaseSchema {
    return this.currentSchema;
  }

  /** `{ aclTier, passAction, natGatewayPort }` detected from the served schema. */
  get capabilities(): Capabilities {
    return capabilitiesFromSchema(this.currentSchema);
  }

  /** A builder bound to the current schema; send it with `transact`. */
  transaction(options: TransactionOptions = {}): Transaction {
    return new Transaction(this.currentSchema, { validate: this.options.validate ?? true, ...options });
  }

  /**
   * Sends a transaction. Resolves with per-operation results once committed — by then every
   * monitor cache of this client already shows the change. Rejects with an OvsdbError whose
   * `operationIndex` names the failing operation (`=== txn.length` when the commit failed).
   * Raw wire operations resolve with the raw result array (no error parsing).
   */
  async transact(txn: Transaction, options?: TransactOptions): Promise<TransactResult>;
  async transact(operations: readonly unknown[], options?: TransactOptions): Promise<unknown[]>;
  async transact(txn: Transaction | readonly unknown[], options: TransactOptions = {}): Promise<TransactResult | unknown[]> {
    this.assertOpen();
    const timeoutMs = options.timeoutMs ?? this.options.transactTimeoutMs;
    const requestOptions: TransactOptions = {
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onEncoded ? { onEncoded: options.onEncoded } : {}),
    };
    const params = txn instanceof Transaction ? [this.database, ...txn.operations] : [this.database, ...txn];
    const raw = await cancellable(this.channel.request<unknown[]>('transact', params, requestOptions), options.signal);
    return txn instanceof Transaction ? parseTransactResult(txn.schema, txn.operationInfo, raw) : raw;
  }

  /** Starts a monitor and resolves with its cache once the initial contents are loaded. */
  async monitor(request: MonitorRequest): Promise<MonitorCache> {
    this.assertOpen();
    const client = this;
    const cache = new MonitorCache(
      {
        channel: this.channel,
        database: this.database,
        get schema() {
          return client.currentSchema;
        },
        refetchSchema: () => this.refetchSchema(),
        reportError: (e) => this.reportError(e),
      },
      request,
    );
    this.caches.add(cache);
    try {
      await cache.start();
    } catch (error) {
      this.caches.delete(cache);
      await cache.close();
      throw error;
    }
    return cache;
  }

  /**
   * A fresh select of every row of the given tables and columns, in the form of
   * `MonitorCache.dump()`: `expect(cache.dump()).toEqual(await client.dump(cache.monitoredColumns))`.
   */
  async dump(tables: Readonly<Record<string, readonly string[] | true>>): Promise<CacheDump> {
    const txn = new Transaction(this.currentSchema, { validate: false });
    const handles = Object.entries(tables).map(([table, columns]) => {
      const wanted = columns === true ? [...this.currentSchema.table(table).columns.keys()] : columns;
      return [table, txn.select(table, [], ['_uuid', ...wanted])] as const;
    });
    const result = await this.transact(txn);
    const out: Record<string, Row[]> = {};
    for (const [table, handle] of handles) {
      out[table] = [...result.get(handle).rows]
        .sort((a, b) => ((a._uuid as string) < (b._uuid as string) ? -1 : (a._uuid as string) > (b._uuid as string) ? 1 : 0))
        .map((r) => canonicalRow(r));
    }
    return out;
  }

  async listDbs(): Promise<string[]> {
    return this.channel.request<string[]>('list_dbs', []);
  }

  async getSchema(database: string = this.database): Promise<DatabaseSchema> {
    return DatabaseSchema.parse(await this.channel.request('get_schema', [database]));
  }

  /** Round trip to the server; resolves with the echoed params. */
  async echo(...params: unknown[]): Promise<unknown[]> {
    return this.channel.request<unknown[]>('echo', params);
  }

  async setDbChangeAware(aware: boolean): Promise<void> {
    await this.channel.request('set_db_change_aware', [aware]);
  }

  /** Resolves true if the lock was granted now; otherwise a `locked` event follows when it is. */
  async lock(name: string): Promise<boolean> {
    return lockReply(await this.channel.request('lock', [checkedLockName(name)]));
  }

  /** Takes the lock from its holder, who gets a `stolen` event. */
  async steal(name: string): Promise<boolean> {
    return lockReply(await this.channel.request('steal', [checkedLockName(name)]));
  }

  async unlock(name: string): Promise<void> {
    await this.channel.request('unlock', [checkedLockName(name)]);
  }

  /** `locked` (a queued lock request was granted) and `stolen` (another client took it). */
  onLockChange(listener: (event: LockEvent) => void): () => void {
    this.lockListeners.add(listener);
    return () => this.lockListeners.delete(listener);
  }

  /** Cancels monitors and closes the channel (also when it was passed in). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const cache of this.caches) await cache.close();
    this.caches.clear();
    for (const u of this.unsubscribe.splice(0)) u();
    await this.channel.close();
  }

  private async refetchSchema(): Promise<DatabaseSchema> {
    this.currentSchema = await this.getSchema();
    return this.currentSchema;
  }

  private assertOpen(): void {
    if (this.closed) throw new OvsdbError('OVSDB_CLOSED', 'client is closed');
  }

  private reportError(error: unknown): void {
    if (this.options.onError) this.options.onError(error);
    else process.emitWarning(error instanceof Error ? error : new Error(String(error)), 'OvsdbClient');
  }
}

/**
 * Rejects as soon as `signal` aborts. The signal is also handed to the channel, whose job it is
 * to send the `cancel` notification for the request id it owns; either way the server may have
 * committed already, so callers re-read before retrying.
 */
function cancellable<T>(request: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return request;
  const canceled = () =>
    new OvsdbError('OVSDB_RPC_ERROR', 'transact canceled by the caller; it may still commit', { serverError: 'canceled' });
  if (signal.aborted) {
    request.catch(() => undefined);
    return Promise.reject(canceled());
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(canceled());
    signal.addEventListener('abort', onAbort, { once: true });
    request.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

function checkedLockName(name: string): string {
  assertLockName(name);
  return name;
}

function lockReply(reply: unknown): boolean {
  return typeof reply === 'object' && reply !== null && (reply as { locked?: unknown }).locked === true;
}
