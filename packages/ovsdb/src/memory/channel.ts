import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { OvsdbError } from '../errors.js';
import type { ConnectedEvent, NotificationListener, OvsdbChannel, RequestOptions } from '../rpc/channel.js';
import { RpcConnection } from '../session/rpcConnection.js';
import { DEFAULT_REQUEST_TIMEOUT_MS } from '../session/session.js';
import { MAX_DECODABLE_FRAME_BYTES } from '../wire/frameSplitter.js';

/**
 * An `OvsdbChannel` over one in-process stream to a MemoryOvsdbServer: the same RpcConnection
 * (framing, reply matching, echo answers) the socket session uses, without reconnects — the
 * server cannot go away except by `close()`.
 */
export class MemoryChannel implements OvsdbChannel {
  private readonly connection: RpcConnection;
  private readonly notificationListeners = new Set<NotificationListener>();
  private readonly disconnectedListeners = new Set<(error: Error) => void>();
  private nextId = 1;

  constructor(
    stream: Duplex,
    private readonly requestTimeoutMs = DEFAULT_REQUEST_TIMEOUT_MS,
  ) {
    // RpcConnection uses only the Duplex part of a Socket (data/drain/error/close, write, destroy).
    this.connection = new RpcConnection(
      stream as unknown as Socket,
      { kind: 'unix', path: 'memory', text: 'memory:' },
      { probeIntervalMs: 0, maxMessageBytes: MAX_DECODABLE_FRAME_BYTES, nextId: () => this.nextId++ },
      {
        onNotification: (method, params) => {
          for (const listener of this.notificationListeners) listener(method, params);
        },
        onClosed: (reason) => {
          for (const listener of this.disconnectedListeners) listener(reason);
        },
      },
    );
  }

  get isConnected(): boolean {
    return !this.connection.isClosed;
  }

  request<T = unknown>(method: string, params: readonly unknown[], options: RequestOptions = {}): Promise<T> {
    return this.connection.request<T>(method, params, options.timeoutMs ?? this.requestTimeoutMs, options.onEncoded);
  }

  notify(method: string, params: readonly unknown[]): void {
    this.connection.notify(method, params);
  }

  onNotification(listener: NotificationListener): () => void {
    this.notificationListeners.add(listener);
    return () => this.notificationListeners.delete(listener);
  }

  /** Connected from the start, and never again: no listener is ever called. */
  onConnected(_listener: (event: ConnectedEvent) => void | Promise<void>): () => void {
    return () => undefined;
  }

  onDisconnected(listener: (error: Error) => void): () => void {
    this.disconnectedListeners.add(listener);
    return () => this.disconnectedListeners.delete(listener);
  }

  async close(): Promise<void> {
    this.connection.close(new OvsdbError('OVSDB_CLOSED', 'channel closed'));
    await this.connection.whenClosed;
  }
}
