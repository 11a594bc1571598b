import type { Socket } from 'node:net';
import { OvsdbError } from '../errors.js';
import type { Remote } from '../remotes/parseRemotes.js';
import { describeTlsError } from '../tls/tlsOptions.js';
import { JsonFrameSplitter } from '../wire/frameSplitter.js';
import {
  encodeErrorReply,
  encodeNotification,
  encodeReply,
  encodeRequest,
  parseMessage,
  rpcErrorToOvsdbError,
  type InboundMessage,
  type JsonRpcId,
} from '../wire/jsonRpc.js';
import { OutgoingCall } from './outgoingCall.js';

/**
 * One live JSON-RPC connection to one remote: frames inbound bytes, classifies messages, matches
 * replies to requests, answers the server's `echo`, probes an idle server, and writes with socket
 * backpressure. It never reconnects; when it ends (for any reason) it calls `onClosed` exactly once
 * with the reason and the calls that never reached the socket, and the session decides what next.
 */

export interface RpcConnectionOptions {
  /** Idle time before we send our own `echo`; no inbound byte within another interval drops the connection. 0 disables. */
  readonly probeIntervalMs: number;
  readonly maxMessageBytes: number;
  /** Request ids: increasing integers shared by all connections of a session. */
  readonly nextId: () => number;
}

export interface RpcConnectionHandlers {
  readonly onNotification: (method: string, params: readonly unknown[]) => void;
  readonly onClosed: (reason: OvsdbError, unsent: readonly OutgoingCall[]) => void;
  readonly onProbeSent?: () => void;
  readonly onServerEcho?: () => void;
}

interface OutboxItem {
  readonly text: string;
  readonly call?: OutgoingCall;
}

export class RpcConnection {
  /** Resolves when the socket is fully closed. */
  readonly whenClosed: Promise<void>;
  private readonly splitter: JsonFrameSplitter;
  private readonly inFlight = new Map<number, OutgoingCall>();
  /** Replies to the server (echo) go before queued requests. */
  private readonly urgent: string[] = [];
  private outbox: OutboxItem[] = [];
  private outboxHead = 0;
  /** socket.write() returned false; wait for 'drain'. */
  private blocked = false;
  private closeReason: OvsdbError | undefined;
  private lastInboundAt = Date.now();
  private inboundChunks = 0;
  private probeTimer: ReturnType<typeof setTimeout> | undefined;
  /** Our outstanding inactivity probe, until any inbound byte arrives after it. */
  private probe: { readonly id: number; readonly inboundChunksAtSend: number } | undefined;
  private readonly probeIds = new Set<number>();

  constructor(
    private readonly socket: Socket,
    readonly remote: Remote,
    private readonly options: RpcConnectionOptions,
    private readonly handlers: RpcConnectionHandlers,
  ) {
    this.splitter = new JsonFrameSplitter({ maxFrameBytes: options.maxMessageBytes });
    this.whenClosed = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('drain', () => {
      this.blocked = false;
      this.flush();
    });
    socket.on('error', (cause: Error) => this.close(this.lost(cause.message, cause)));
    socket.on('close', () => this.close(this.lost('connection closed by the server')));
    this.scheduleProbe(options.probeIntervalMs);
  }

  get isClosed(): boolean {
    return this.closeReason !== undefined;
  }

  /**
   * Hands a call to the connection; it is written as soon as the socket accepts more data.
   * Returns false (leaving the call untouched) once the connection has ended.
   */
  send(call: OutgoingCall): boolean {
    if (this.isClosed) {
      return false;
    }
    if (call.settled) {
      return true;
    }
    const id = this.options.nextId();
    let text: string;
    try {
      text = encodeRequest(id, call.method, call.params);
    } catch (cause) {
      // BigInt, cycles...: reject this call rather than throw out of request().
      call.reject(new OvsdbError('OVSDB_PROTOCOL', `${call.method}: params are not JSON: ${(cause as Error).message}`, { cause }));
      return true;
    }
    call.onEncoded?.(Buffer.byteLength(text));
    call.id = id;
    call.phase = 'queued';
    this.outbox.push({ text, call });
    this.flush();
    return true;
  }

  /** A request made by the session itself on this very connection (never moved to another one). */
  request<T>(method: string, params: readonly unknown[], timeoutMs: number, onEncoded?: (bytes: number) => void): Promise<T> {
    const call = new OutgoingCall(method, params, timeoutMs, undefined, false);
    call.onEncoded = onEncoded;
    if (this.isClosed) {
      call.reject(this.closeReason!);
    } else {
      this.send(call);
    }
    return call.promise as Promise<T>;
  }

  notify(method: string, params: readonly unknown[]): void {
    if (!this.isClosed) {
      this.outbox.push({ text: encodeNotification(method, params) });
      this.flush();
    }
  }

  /**
   * Ends the connection. Calls in flight are rejected (OVSDB_CONNECTION_LOST, or OVSDB_CLOSED when
   * the reason is a close); calls still in the outbox are handed back untouched.
   */
  close(reason: OvsdbError): void {
    if (this.closeReason !== undefined) {
      return;
    }
    this.closeReason = reason;
    clearTimeout(this.probeTimer);
    this.socket.destroy();

    for (const call of this.inFlight.values()) {
      call.reject(this.inFlightError(call, reason));
    }
    this.inFlight.clear();
    const unsent: OutgoingCall[] = [];
    for (let index = this.outboxHead; index < this.outbox.length; index++) {
      const call = this.outbox[index]!.call;
      if (call === undefined || call.settled) {
        continue;
      }
      if (!call.movable) {
        call.reject(reason);
        continue;
      }
      call.phase = 'waiting';
      call.id = undefined;
      unsent.push(call);
    }
    this.outbox = [];
    this.outboxHead = 0;
    this.handlers.onClosed(reason, unsent);
  }

  private inFlightError(call: OutgoingCall, reason: OvsdbError): OvsdbError {
    if (reason.code === 'OVSDB_CLOSED') {
      return new OvsdbError('OVSDB_CLOSED', `${call.method}: client closed before the reply (the server may have executed it)`, {
        cause: reason,
      });
    }
    return new OvsdbError(
      'OVSDB_CONNECTION_LOST',
      `${call.method}: connection to ${this.remote.text} lost before the reply (${reason.message}); it may or may not have been executed`,
      { cause: reason },
    );
  }

  private lost(why: string, cause?: unknown): OvsdbError {
    // A TLS 1.3 server refuses our certificate after the handshake: say so rather than echo OpenSSL.
    const reason = describeTlsError(cause) ?? why;
    return new OvsdbError('OVSDB_CONNECTION_LOST', `${this.remote.text}: ${reason}`, cause === undefined ? {} : { cause });
  }

  // --- writing ---------------------------------------------------------------------------------

  private flush(): void {
    while (!this.blocked && !this.isClosed) {
      const text = this.urgent.shift() ?? this.takeFromOutbox();
      if (text === undefined) {
        return;
      }
      this.blocked = !this.socket.write(text);
    }
  }

  /** The next outbox text, marking its call as sent (it may now be executed by the server). */
  private takeFromOutbox(): string | undefined {
    while (this.outboxHead < this.outbox.length) {
      const item = this.outbox[this.outboxHead]!;
      this.outbox[this.outboxHead++] = undefined as unknown as OutboxItem;
      if (this.outboxHead > 1024 && this.outboxHead * 2 > this.outbox.length) {
        this.outbox = this.outbox.slice(this.outboxHead);
        this.outboxHead = 0;
      }
      if (item.call === undefined) {
        return item.text;
      }
      if (item.call.settled) {
        continue;
      }
      item.call.phase = 'sent';
      this.inFlight.set(item.call.id!, item.call);
      return item.text;
    }
    return undefined;
  }

  // --- reading ---------------------------------------------------------------------------------

  private receive(chunk: Buffer): void {
    // Any inbound byte shows the server is alive (lib/jsonrpc.c counts received bytes, not messages).
    this.lastInboundAt = Date.now();
    this.inboundChunks++;
    let frames: string[];
    try {
      frames = this.splitter.push(chunk);
    } catch (error) {
      this.close(error as OvsdbError);
      return;
    }
    for (const text of frames) {
      if (this.isClosed) {
        return;
      }
      let message: InboundMessage;
      try {
        message = parseMessage(text);
      } catch (error) {
        this.close(error as OvsdbError);
        return;
      }
      this.dispatch(message);
    }
  }

  private dispatch(message: InboundMessage): void {
    switch (message.kind) {
      case 'reply':
      case 'error':
        this.settleCall(message);
        return;
      case 'request':
        this.answerRequest(message.id, message.method, message.params);
        return;
      case 'notification':
        this.handlers.onNotification(message.method, message.params);
        return;
    }
  }

  private settleCall(message: Extract<InboundMessage, { kind: 'reply' | 'error' }>): void {
    const id = message.id;
    if (typeof id === 'number' && this.probeIds.delete(id)) {
      return;
    }
    const call = typeof id === 'number' ? this.inFlight.get(id) : undefined;
    if (call === undefined) {
      return; // nothing we are waiting for (ovsdb-server never does this)
    }
    this.inFlight.delete(id as number);
    if (message.kind === 'reply') {
      call.resolve(message.result);
    } else {
      call.reject(rpcErrorToOvsdbError(call.method, message.error));
    }
  }

  /** ovsdb-server sends only `echo` requests: answer at once with its params, same id. */
  private answerRequest(id: JsonRpcId, method: string, params: readonly unknown[]): void {
    if (method === 'echo') {
      this.handlers.onServerEcho?.();
      this.urgent.push(encodeReply(id, params));
    } else {
      this.urgent.push(encodeErrorReply(id, { error: 'unknown method', details: `client does not implement "${method}"` }));
    }
    this.flush();
  }

  // --- inactivity probe ------------------------------------------------------------------------

  private scheduleProbe(delayMs: number): void {
    if (this.options.probeIntervalMs > 0 && !this.isClosed) {
      this.probeTimer = setTimeout(() => this.checkActivity(), delayMs);
      this.probeTimer.unref?.();
    }
  }

  /** Like `lib/reconnect.c`: idle for one interval ⇒ echo; still silent one interval later ⇒ drop. */
  private checkActivity(): void {
    const interval = this.options.probeIntervalMs;
    const now = Date.now();
    if (this.probe !== undefined) {
      if (this.inboundChunks === this.probe.inboundChunksAtSend) {
        this.close(this.lost(`no response to inactivity probe after ${interval} ms`));
        return;
      }
      this.probe = undefined;
    }
    const idleMs = now - this.lastInboundAt;
    if (idleMs < interval) {
      this.scheduleProbe(interval - idleMs);
      return;
    }
    const id = this.options.nextId();
    this.probe = { id, inboundChunksAtSend: this.inboundChunks };
    this.probeIds.add(id);
    this.urgent.push(encodeRequest(id, 'echo', []));
    this.flush();
    this.handlers.onProbeSent?.();
    this.scheduleProbe(interval);
  }
}
