/**
 * The seam between the wire/session layer (framing, JSON-RPC 1.0, reconnect, cluster leader
 * following) and the data layer (schema, transactions, monitor cache). The session layer
 * implements `OvsdbChannel`; the data layer (`OvsdbClient`) only talks through it.
 */
export interface RequestOptions {
  /** Deadline for the reply; the default comes from the connection options. */
  readonly timeoutMs?: number;
  /**
   * The caller gives up: the request is rejected with OVSDB_RPC_ERROR (serverError `canceled`);
   * a `transact` already written is also cancelled on the server (RFC 7047 `cancel`), which stops
   * a parked `wait` from committing later. One that already committed stays committed.
   */
  readonly signal?: AbortSignal;
  /**
   * Told the request's size in UTF-8 bytes once it is encoded for the wire (again if it is
   * re-encoded for another connection). Lets a caller report what it sent without serializing
   * a large request a second time.
   */
  readonly onEncoded?: (bytes: number) => void;
}

export type NotificationListener = (method: string, params: readonly unknown[]) => void;

export interface ConnectedEvent {
  /** The remote now connected, e.g. `unix:/run/ovn/ovnnb_db.sock` or `tcp:127.0.0.1:6641`. */
  readonly remote: string;
  /** How many times the channel has connected so far (1 for the first connection). */
  readonly generation: number;
}

export interface OvsdbChannel {
  /**
   * Sends `{method, params, id}` and resolves with the reply's `result`. Rejects with OvsdbError:
   * OVSDB_RPC_ERROR for an error reply, OVSDB_TIMEOUT past the deadline, OVSDB_CONNECTION_LOST when
   * the connection drops first (never re-sent: the caller re-reads and decides).
   * While disconnected, waits for the next connection (bounded by the deadline) before sending.
   */
  request<T = unknown>(method: string, params: readonly unknown[], options?: RequestOptions): Promise<T>;
  /** Sends a notification (`{method, params, id: null}`), e.g. `cancel`. */
  notify(method: string, params: readonly unknown[]): void;
  /** Server notifications (update, update2, update3, locked, stolen, monitor_canceled), in order. */
  onNotification(listener: NotificationListener): () => void;
  /**
   * Called on every (re)connection once the remote is accepted (for a cluster in leader-only mode:
   * after `_Server` says this member is connected and the leader). Listeners run before any queued
   * request is sent, so a cache can re-establish its monitors first. A returned promise is awaited.
   */
  onConnected(listener: (event: ConnectedEvent) => void | Promise<void>): () => void;
  onDisconnected(listener: (error: Error) => void): () => void;
  readonly isConnected: boolean;
  close(): Promise<void>;
}
