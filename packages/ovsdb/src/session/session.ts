import { OvsdbError } from '../errors.js';
import type { ConnectedEvent, OvsdbChannel, RequestOptions } from '../rpc/channel.js';
import { ChannelListeners } from '../rpc/channelListeners.js';
import {
  applyServerUpdate,
  checkServerDatabase,
  isServerMonitorId,
  readServerRow,
  serverMonitorParams,
  type ServerDatabaseRow,
  type ServerDatabaseTable,
} from '../cluster/serverDatabase.js';
import { defaultNbRemotes, parseRemotes, type Remote } from '../remotes/parseRemotes.js';
import type { TlsFiles } from '../tls/tlsOptions.js';
import { MAX_DECODABLE_FRAME_BYTES } from '../wire/frameSplitter.js';
import { exponentialBackoff, ReconnectSchedule, type BackoffFunction } from './backoff.js';
import { SessionEvents, type SessionEventListener, type SessionEventMap, type SessionStateName } from './channelEvents.js';
import { openSocket } from './openSocket.js';
import { OutgoingCall } from './outgoingCall.js';
import { RpcConnection } from './rpcConnection.js';

export interface SessionOptions {
  /** OVS remote list (`unix:`, `tcp:`, `ssl:`, comma-separated for a cluster). Default: `$OVN_NB_DB`, else `unix:/var/run/ovn/ovnnb_db.sock`. */
  readonly remote?: string;
  /** The database whose `_Server` row decides acceptance. Default `OVN_Northbound`. */
  readonly database?: string;
  /** Accept only the cluster leader (as ovn-nbctl and the IDLs do by default). Default true. */
  readonly leaderOnly?: boolean;
  /** Key, certificate and CA files; required for `ssl:` remotes. */
  readonly tls?: TlsFiles;
  /** Default deadline of a request, from the call to its reply. Default 30 s. */
  readonly requestTimeoutMs?: number;
  /** Idle time before our inactivity probe; 0 disables. Default 5 s (the IDL default). */
  readonly probeIntervalMs?: number;
  /** Deadline for each attempt: socket, TLS handshake and the `_Server` check. Default 10 s. */
  readonly connectTimeoutMs?: number;
  /** Largest inbound message in bytes; a larger one drops the connection. Default: what Node can decode (~512 MB). */
  readonly maxMessageBytes?: number;
  /** Shuffle the remote list once, like ovn-nbctl's default `--shuffle-remotes`. Default true. */
  readonly shuffleRemotes?: boolean;
  /** Random source for the shuffle and the default backoff's jitter. */
  readonly random?: () => number;
  /** Delay before the n-th paid retry. Default: 1 s doubling to 8 s with jitter. */
  readonly backoff?: BackoffFunction;
  /** Give up after this many consecutive failed attempts (requests then fail with OVSDB_CONNECT_FAILED). Default: never. */
  readonly maxConnectAttempts?: number;
  /** Environment read for the default remote. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export const DEFAULT_DATABASE = 'OVN_Northbound';
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
export const DEFAULT_PROBE_INTERVAL_MS = 5_000;
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

type Timer = ReturnType<typeof setTimeout>;

/**
 * The states of a session. One function, `transition`, moves between them; it clears the timer of
 * the state it leaves and starts what the new state needs (socket, `_Server` check, listeners,
 * release of waiting requests, backoff timer).
 *
 *   idle ─▶ connecting ─▶ negotiating ─▶ initializing ─▶ ready
 *              ▲   │             │               │            │
 *              │   └─────────────┴───────┬───────┴────────────┘  attempt failed, connection lost,
 *              │                         ▼                        member no longer acceptable
 *              └─────────────────── backoff   (a 0 ms delay goes straight to connecting)
 *
 *   failed: after maxConnectAttempts consecutive failed attempts.  closed: close(), from any state.
 */
type State =
  | { readonly name: 'idle' }
  | { readonly name: 'connecting'; readonly remote: Remote; readonly abort: AbortController; timer?: Timer }
  | { readonly name: 'negotiating'; readonly remote: Remote; readonly connection: RpcConnection; timer?: Timer }
  | { readonly name: 'initializing'; readonly remote: Remote; readonly connection: RpcConnection; readonly acceptedAt: number }
  | { readonly name: 'ready'; readonly remote: Remote; readonly connection: RpcConnection; readonly acceptedAt: number }
  | { readonly name: 'backoff'; readonly delayMs: number; timer?: Timer }
  | { readonly name: 'failed'; readonly error: OvsdbError }
  | { readonly name: 'closed' };

type StateWithConnection = Extract<State, { connection: RpcConnection }>;

/**
 * An `OvsdbChannel` over one or more OVSDB remotes: connects, checks the member with `_Server`,
 * follows the cluster leader, reconnects with backoff, probes an idle server, and bounds every
 * request by its deadline. A request that reached the socket is never sent again.
 *
 * Ordering: requests made while disconnected wait, in order, until the member is accepted AND
 * every onConnected listener has settled; requests made while those listeners run (typically by
 * them, to re-create monitors) are sent at once. Notifications are delivered synchronously in
 * arrival order, so an `update2` is seen before the `transact` reply that follows it.
 *
 * @example
 *   const channel = connectChannel({ remote: 'tcp:10.0.0.1:6641,tcp:10.0.0.2:6641,tcp:10.0.0.3:6641' });
 *   channel.onConnected(async () => {
 *     await channel.request('monitor_cond', ['OVN_Northbound', 'acls', { ACL: [{ columns: ['name'] }] }]);
 *   });
 *   channel.onNotification((method, params) => console.log(method, params));
 *   const dbs = await channel.request<string[]>('list_dbs', []);
 *   await channel.close();
 */
export class OvsdbSession extends ChannelListeners implements OvsdbChannel {
  readonly remotes: readonly Remote[];
  readonly database: string;
  readonly leaderOnly: boolean;
  private readonly clusterId: string | undefined;
  private readonly tls: TlsFiles | undefined;
  private readonly requestTimeoutMs: number;
  private readonly probeIntervalMs: number;
  private readonly connectTimeoutMs: number;
  private readonly maxMessageBytes: number;
  private readonly maxConnectAttempts: number;
  private readonly schedule: ReconnectSchedule;
  private readonly events = new SessionEvents();

  private state: State = { name: 'idle' };
  /** Requests that have not reached any socket yet, oldest first. */
  private waiting: OutgoingCall[] = [];
  private nextRemoteIndex = 0;
  private nextRequestId = 1;
  private generation = 0;
  private consecutiveFailures = 0;
  /** Highest Raft log index seen on any member: never accept a member that is behind it. */
  private minIndex = 0;
  private serverTable: ServerDatabaseTable = new Map();
  private lastError: OvsdbError | undefined;
  private closing: Promise<void> | undefined;

  constructor(options: SessionOptions = {}) {
    super();
    const parsed = parseRemotes(options.remote ?? defaultNbRemotes(options.env));
    const random = options.random ?? Math.random;
    this.remotes = options.shuffleRemotes === false ? parsed.remotes : shuffled(parsed.remotes, random);
    this.clusterId = parsed.clusterId;
    this.database = options.database ?? DEFAULT_DATABASE;
    this.leaderOnly = options.leaderOnly ?? true;
    this.tls = options.tls;
    this.requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.probeIntervalMs = options.probeIntervalMs ?? DEFAULT_PROBE_INTERVAL_MS;
    this.connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    this.maxMessageBytes = options.maxMessageBytes ?? MAX_DECODABLE_FRAME_BYTES;
    this.maxConnectAttempts = options.maxConnectAttempts ?? Number.POSITIVE_INFINITY;
    this.schedule = new ReconnectSchedule(this.remotes.length, options.backoff ?? exponentialBackoff({ random }));
    // Start on the next microtask, so listeners registered right after construction see everything.
    queueMicrotask(() => {
      if (this.state.name === 'idle') {
        this.transition(this.connectingTo(this.takeNextRemote()));
      }
    });
  }

  // --- OvsdbChannel ----------------------------------------------------------------------------

  request<T = unknown>(method: string, params: readonly unknown[], options: RequestOptions = {}): Promise<T> {
    const state = this.state;
    if (state.name === 'closed') {
      return Promise.reject(new OvsdbError('OVSDB_CLOSED', `${method}: the client is closed`));
    }
    if (state.name === 'failed') {
      return Promise.reject(state.error);
    }
    const call = new OutgoingCall(method, params, options.timeoutMs ?? this.requestTimeoutMs, () => this.lastError?.message);
    call.onEncoded = options.onEncoded;
    if (options.signal) this.cancelOnAbort(call, options.signal);
    if (call.settled) return call.promise as Promise<T>;
    const connection = state.name === 'initializing' || state.name === 'ready' ? state.connection : undefined;
    // A connection that just ended (e.g. called from an onDisconnected listener) refuses the call: queue it.
    if (connection === undefined || !connection.send(call)) {
      this.enqueue(call);
    }
    return call.promise as Promise<T>;
  }

  /**
   * The caller gave up on `call`. A transact already written gets ovsdb-server's `cancel [id]`
   * (the server answers it with a `canceled` error, which finds the call settled and is dropped);
   * a call not yet sent is simply never sent (its holders skip settled calls).
   */
  private cancelOnAbort(call: OutgoingCall, signal: AbortSignal): void {
    const cancel = (): void => {
      if (call.settled) return;
      const wasSent = call.phase === 'sent';
      if (wasSent && call.method === 'transact' && call.id !== undefined) this.notify('cancel', [call.id]);
      call.reject(
        new OvsdbError('OVSDB_RPC_ERROR', `${call.method}: canceled by the caller${wasSent ? ' (it may already have committed)' : ''}`, {
          serverError: 'canceled',
        }),
      );
    };
    if (signal.aborted) {
      cancel();
      return;
    }
    signal.addEventListener('abort', cancel, { once: true });
    const forget = (): void => signal.removeEventListener('abort', cancel);
    call.promise.then(forget, forget);
  }

  /** Sent only while connected: a notification (e.g. `cancel`) means nothing to another connection. */
  notify(method: string, params: readonly unknown[]): void {
    const state = this.state;
    if (state.name === 'initializing' || state.name === 'ready') {
      state.connection.notify(method, params);
    }
  }

  /** True from the `_Server` acceptance (while onConnected listeners run) until the connection ends. */
  get isConnected(): boolean {
    return this.state.name === 'initializing' || this.state.name === 'ready';
  }

  async close(): Promise<void> {
    const state = this.state;
    if (state.name === 'closed') {
      return this.closing;
    }
    const connection = 'connection' in state ? state.connection : undefined;
    const wasAccepted = state.name === 'initializing' || state.name === 'ready';
    this.transition({ name: 'closed' });
    const reason = new OvsdbError('OVSDB_CLOSED', 'the client was closed');
    connection?.close(reason);
    if (wasAccepted) {
      this.notifyDisconnected(reason);
    }
    this.closing = connection?.whenClosed ?? Promise.resolve();
    return this.closing;
  }

  // --- observation -----------------------------------------------------------------------------

  on<K extends keyof SessionEventMap>(name: K, listener: SessionEventListener<K>): () => void {
    return this.events.on(name, listener);
  }

  get stateName(): SessionStateName {
    return this.state.name;
  }

  /** The remote currently connected (or being tried). */
  get currentRemote(): string | undefined {
    const state = this.state;
    return 'remote' in state ? state.remote.text : undefined;
  }

  /** The `_Server.Database` row of the current member for our database, when known. */
  get server(): ServerDatabaseRow | undefined {
    return this.findServerRow();
  }

  /** The last connection failure, for diagnostics. */
  get lastConnectError(): OvsdbError | undefined {
    return this.lastError;
  }

  // --- the state machine -----------------------------------------------------------------------

  private transition(next: State): void {
    const previous = this.state;
    if ('timer' in previous) {
      clearTimeout(previous.timer);
    }
    if (previous.name === 'connecting') {
      previous.abort.abort(new OvsdbError('OVSDB_CONNECT_FAILED', `${previous.remote.text}: attempt abandoned`));
    }
    this.state = next;
    this.events.emit('state', {
      from: previous.name,
      to: next.name,
      ...('remote' in next ? { remote: next.remote.text } : {}),
    });

    switch (next.name) {
      case 'idle':
        return;
      case 'connecting':
        next.timer = setTimeout(
          () => this.attemptFailed(next, new OvsdbError('OVSDB_CONNECT_FAILED', `${next.remote.text}: connection timed out after ${this.connectTimeoutMs} ms`)),
          this.connectTimeoutMs,
        );
        this.openConnection(next);
        return;
      case 'negotiating':
        next.timer = setTimeout(
          () => next.connection.close(new OvsdbError('OVSDB_CONNECT_FAILED', `${next.remote.text}: no answer to the _Server check within ${this.connectTimeoutMs} ms`)),
          this.connectTimeoutMs,
        );
        void this.negotiate(next);
        return;
      case 'initializing':
        void this.runConnectedListeners(next);
        return;
      case 'ready':
        this.releaseWaiting(next.connection);
        return;
      case 'backoff':
        next.timer = setTimeout(() => this.transition(this.connectingTo(this.takeNextRemote())), next.delayMs);
        this.events.emit('backoff', { delayMs: next.delayMs });
        return;
      case 'failed':
        this.rejectWaiting(next.error);
        return;
      case 'closed':
        this.rejectWaiting(new OvsdbError('OVSDB_CLOSED', 'the client was closed before the request was sent'));
        return;
    }
  }

  private connectingTo(remote: Remote): State {
    return { name: 'connecting', remote, abort: new AbortController() };
  }

  private takeNextRemote(): Remote {
    const remote = this.remotes[this.nextRemoteIndex % this.remotes.length]!;
    this.nextRemoteIndex = (this.nextRemoteIndex + 1) % this.remotes.length;
    return remote;
  }

  private openConnection(state: Extract<State, { name: 'connecting' }>): void {
    openSocket(state.remote, this.tls, state.abort.signal).then(
      (socket) => {
        if (this.state !== state) {
          socket.destroy();
          return;
        }
        const connection: RpcConnection = new RpcConnection(
          socket,
          state.remote,
          { probeIntervalMs: this.probeIntervalMs, maxMessageBytes: this.maxMessageBytes, nextId: () => this.nextRequestId++ },
          {
            onNotification: (method, params) => this.handleNotification(connection, method, params),
            onClosed: (reason, unsent) => this.connectionClosed(connection, reason, unsent),
            onProbeSent: () => this.events.emit('probeSent', { remote: state.remote.text }),
            onServerEcho: () => this.events.emit('serverEcho', { remote: state.remote.text }),
          },
        );
        this.serverTable = new Map();
        this.transition({ name: 'negotiating', remote: state.remote, connection });
      },
      (error: unknown) => {
        if (this.state === state) {
          this.attemptFailed(state, asOvsdbError(error, state.remote));
        }
      },
    );
  }

  /**
   * Reads `_Server` (as a monitor, so later leadership changes arrive as updates), then turns on
   * db-change-awareness so an online schema conversion sends `monitor_canceled` instead of
   * dropping us, then accepts or refuses the member.
   */
  private async negotiate(state: Extract<State, { name: 'negotiating' }>): Promise<void> {
    const { connection } = state;
    const stale = (): boolean => this.state !== state;
    let hasServerDatabase = true;
    try {
      const initial = await connection.request<unknown>('monitor_cond', serverMonitorParams(), this.connectTimeoutMs);
      if (stale()) return;
      applyServerUpdate(this.serverTable, initial);
    } catch (error) {
      if (stale()) return;
      // Servers older than OVS 2.9 have no _Server: nothing to check, as in ovsdb-cs.
      if (!(error instanceof OvsdbError && error.details.serverError === 'unknown database')) {
        connection.close(asOvsdbError(error, state.remote));
        return;
      }
      hasServerDatabase = false;
    }
    try {
      await connection.request('set_db_change_aware', [true], this.connectTimeoutMs);
    } catch (error) {
      if (stale()) return;
      if (!(error instanceof OvsdbError && error.code === 'OVSDB_RPC_ERROR')) {
        connection.close(asOvsdbError(error, state.remote));
        return;
      }
    }
    if (stale()) return;
    if (hasServerDatabase) {
      const verdict = checkServerDatabase(this.serverTable, this.checkInput());
      if (!verdict.accepted) {
        connection.close(new OvsdbError(verdict.code, `${state.remote.text}: ${verdict.reason}`));
        return;
      }
      this.minIndex = Math.max(this.minIndex, verdict.row.index ?? 0);
    }
    this.generation++;
    this.consecutiveFailures = 0;
    this.lastError = undefined;
    this.events.emit('accepted', { remote: state.remote.text, server: this.findServerRow(), generation: this.generation });
    this.transition({ name: 'initializing', remote: state.remote, connection, acceptedAt: Date.now() });
  }

  /** The data layer re-establishes its monitors here; queued requests wait until it is done. */
  private async runConnectedListeners(state: Extract<State, { name: 'initializing' }>): Promise<void> {
    const event: ConnectedEvent = { remote: state.remote.text, generation: this.generation };
    try {
      for (const listener of [...this.connectedListeners]) {
        await listener(event);
        if (this.state !== state) return;
      }
    } catch (error) {
      this.events.emit('listenerError', { error });
      if (this.state === state) {
        state.connection.close(
          new OvsdbError('OVSDB_CONNECT_FAILED', `${state.remote.text}: onConnected listener failed: ${(error as Error).message}`, {
            cause: error,
          }),
        );
      }
      return;
    }
    if (this.state === state) {
      this.transition({ name: 'ready', remote: state.remote, connection: state.connection, acceptedAt: state.acceptedAt });
    }
  }

  private attemptFailed(state: State, error: OvsdbError): void {
    if (this.state !== state) return;
    this.lastError = error;
    this.events.emit('attemptFailed', { remote: 'remote' in state ? state.remote.text : '', error });
    this.consecutiveFailures++;
    if (this.consecutiveFailures >= this.maxConnectAttempts) {
      this.transition({
        name: 'failed',
        error: new OvsdbError(
          'OVSDB_CONNECT_FAILED',
          `no usable OVSDB remote after ${this.consecutiveFailures} attempt(s); last: ${error.message}`,
          { cause: error },
        ),
      });
      return;
    }
    this.scheduleNextAttempt(this.schedule.nextDelay());
  }

  private connectionClosed(connection: RpcConnection, reason: OvsdbError, unsent: readonly OutgoingCall[]): void {
    const state = this.state;
    // Calls that never left go back to the front of the queue, in their order.
    this.waiting = [...unsent, ...this.waiting];
    if (!('connection' in state) || state.connection !== connection) {
      if (state.name === 'closed' || state.name === 'failed') {
        this.rejectWaiting(state.name === 'failed' ? state.error : reason);
      }
      return;
    }
    if (state.name === 'negotiating') {
      this.attemptFailed(state, reason);
      return;
    }
    this.events.emit('lost', { remote: state.remote.text, error: reason });
    this.lastError = reason;
    const upForMs = Date.now() - state.acceptedAt;
    this.notifyDisconnected(reason);
    if (this.state !== state) return; // a disconnected listener closed the session
    this.scheduleNextAttempt(this.schedule.nextDelay(upForMs));
  }

  private scheduleNextAttempt(delayMs: number): void {
    if (delayMs <= 0) {
      this.transition(this.connectingTo(this.takeNextRemote()));
    } else {
      this.transition({ name: 'backoff', delayMs });
    }
  }

  // --- notifications and _Server ---------------------------------------------------------------

  private handleNotification(connection: RpcConnection, method: string, params: readonly unknown[]): void {
    const state = this.state;
    if (!('connection' in state) || state.connection !== connection) {
      return;
    }
    if (method === 'update2' && isServerMonitorId(params[0])) {
      applyServerUpdate(this.serverTable, params[1]);
      this.recheckServer(state);
      return;
    }
    if (state.name === 'negotiating') {
      return; // the data layer has no monitor before acceptance
    }
    for (const listener of [...this.notificationListeners]) {
      try {
        listener(method, params);
      } catch (error) {
        this.events.emit('listenerError', { error });
      }
    }
  }

  /** Every `_Server` update re-runs the check: a member that lost leadership is left at once. */
  private recheckServer(state: StateWithConnection): void {
    this.events.emit('serverUpdate', { remote: state.remote.text, server: this.findServerRow() });
    if (state.name === 'negotiating') {
      return; // negotiate() checks once db-change-awareness is on
    }
    const verdict = checkServerDatabase(this.serverTable, this.checkInput());
    if (verdict.accepted) {
      this.minIndex = Math.max(this.minIndex, verdict.row.index ?? 0);
      return;
    }
    this.schedule.resetForForcedReconnect();
    state.connection.close(new OvsdbError(verdict.code, `${state.remote.text}: ${verdict.reason}; moving to another remote`));
  }

  private checkInput() {
    return {
      database: this.database,
      leaderOnly: this.leaderOnly,
      minIndex: this.minIndex,
      ...(this.clusterId !== undefined ? { clusterId: this.clusterId } : {}),
    };
  }

  private findServerRow(): ServerDatabaseRow | undefined {
    for (const raw of this.serverTable.values()) {
      const row = readServerRow(raw);
      if (row.name === this.database) return row;
    }
    return undefined;
  }

  // --- waiting requests and listeners ----------------------------------------------------------

  private enqueue(call: OutgoingCall): void {
    if (this.waiting.length >= 1024 && this.waiting.length % 1024 === 0) {
      this.waiting = this.waiting.filter((waiting) => !waiting.settled);
    }
    this.waiting.push(call);
  }

  private releaseWaiting(connection: RpcConnection): void {
    const calls = this.waiting;
    this.waiting = [];
    for (const call of calls) {
      if (!connection.send(call)) {
        this.waiting.push(call);
      }
    }
  }

  private rejectWaiting(error: OvsdbError): void {
    const calls = this.waiting;
    this.waiting = [];
    for (const call of calls) {
      call.reject(error);
    }
  }

  /** Called once for every accepted connection that ends, including by `close()`. */
  private notifyDisconnected(error: OvsdbError): void {
    for (const listener of [...this.disconnectedListeners]) {
      try {
        listener(error);
      } catch (listenerError) {
        this.events.emit('listenerError', { error: listenerError });
      }
    }
  }
}

/** Connects to OVSDB (see `SessionOptions`); the returned channel is usable at once. */
export function connectChannel(options: SessionOptions = {}): OvsdbSession {
  return new OvsdbSession(options);
}

function asOvsdbError(error: unknown, remote: Remote): OvsdbError {
  if (error instanceof OvsdbError) return error;
  return new OvsdbError('OVSDB_CONNECT_FAILED', `${remote.text}: ${(error as Error)?.message ?? String(error)}`, { cause: error });
}

/** Fisher–Yates with the given random source. */
function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const result = [...items];
  for (let index = result.length - 1; index > 0; index--) {
    const other = Math.floor(random() * (index + 1));
    [result[index], result[other]] = [result[other]!, result[index]!];
  }
  return result;
}
