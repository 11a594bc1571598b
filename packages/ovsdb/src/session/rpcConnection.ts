import type { Socket } from 'node:net';
import { OvsdbError } from '../errors.js';
import type { Remote } from '../remotes/parseRemotes.js';
import { describeTlsError } from '../tls/tlsOptions.js';
import { JsonFrameSplitter } from '../wire/frameSplitter.js';
import {
  encodeErrorReply,
  encodeNotification,
  encodeReply,
  encodeMoreParams,
  encodeRequest,
  encodeRequestHead,
  encodeRequestTail,
  parseMessage,
  rpcErrorToOvsdbError,
  type InboundMessage,
  type JsonRpcId,
} from '../wire/jsonRpc.js';
import { OutgoingCall } from './outgoingCall.js';

/** Yields to the event loop, so libuv writes what the socket holds before the next batch is made. */
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

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
  /** A request with moreParams is being written: nothing else may go between its bytes. */
  private streaming = false;
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
      // A streamed request's head only; its size is told once the last batch is written.
      text = call.moreParams ? encodeRequestHead(call.method, call.params) : encodeRequest(id, call.method, call.params);
    } catch (cause) {
      // BigInt, cycles...: reject this call rather than throw out of request().
      call.reject(new OvsdbError('OVSDB_PROTOCOL', `${call.method}: params are not JSON: ${(cause as Error).message}`, { cause }));
      return true;
    }
    if (!call.moreParams) call.onEncoded?.(Buffer.byteLength(text));
    call.id = id;
    call.phase = 'queued';
    this.outbox.push({ text, call });
    this.flush();
    return true;
  }

  /** A request made by the session itself on this very connection (never moved to another one). */
  request<T>(
    method: string,
    params: readonly unknown[],
    timeoutMs: number,
    onEncoded?: (bytes: number) => void,
    moreParams?: AsyncIterable<readonly unknown[]>,
  ): Promise<T> {
    const call = new OutgoingCall(method, params, timeoutMs, undefined, false);
    call.onEncoded = onEncoded;
    call.moreParams = moreParams;
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
    while (!this.blocked && !this.streaming && !this.isClosed) {
      const urgent = this.urgent.shift();
      const item = urgent !== undefined ? { text: urgent } : this.takeFromOutbox();
      if (item === undefined) {
        return;
      }
      this.blocked = !this.socket.write(item.text);
      if (item.call?.moreParams) void this.writeMoreParams(item.call, item.text);
    }
  }

  /**
   * Writes a streamed request's batches as they are made, then its tail. Between batches the
   * event loop turns (libuv flushes, the server parses). Whatever stops it before the tail (a
   * batch throws, the caller gives up, the connection drops) closes the connection: the server
   * drops the unfinished message with it, so it is never executed.
   */
  private async writeMoreParams(call: OutgoingCall, head: string): Promise<void> {
    this.streaming = true;
    let bytes = Buffer.byteLength(head);
    let afterOthers = call.params.length > 0;
    let stopped: OvsdbError | undefined;
    try {
      for await (const batch of call.moreParams!) {
        await this.writable();
        if (this.isClosed) return;
        if (call.settled) {
          stopped = this.lost(`${call.method} abandoned before it was fully written (never executed)`);
          break;
        }
        const text = encodeMoreParams(batch, afterOthers);
        if (text === '') continue;
        afterOthers = true;
        bytes += Buffer.byteLength(text);
        this.blocked = !this.socket.write(text);
        await nextTurn();
      }
      if (stopped === undefined) {
        await this.writable();
        if (this.isClosed) return;
        const tail = encodeRequestTail(call.id!);
        bytes += Buffer.byteLength(tail);
        this.blocked = !this.socket.write(tail);
        call.onEncoded?.(bytes);
      }
    } catch (cause) {
      call.reject(
        cause instanceof Error ? cause : new OvsdbError('OVSDB_PROTOCOL', `${call.method}: making its params failed: ${String(cause)}`),
      );
      stopped = this.lost(`${call.method} abandoned before it was fully written (never executed): ${(cause as Error).message}`, cause);
    } finally {
      this.streaming = false;
    }
    if (stopped !== undefined) this.close(stopped);
    else this.flush();
  }

  /** Resolves once the socket takes more data (or the connection ended). */
  private async writable(): Promise<void> {
    while (this.blocked && !this.isClosed) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          this.socket.off('drain', done);
          this.socket.off('close', done);
          resolve();
        };
        this.socket.once('drain', done);
        this.socket.once('close', done);
      });
    }
  }

  /** The next outbox item, marking its call as sent (it may now be executed by the server). */
  private takeFromOutbox(): OutboxItem | undefined {
    while (this.outboxHead < this.outbox.length) {
      const item = this.outbox[this.outboxHead]!;
      this.outbox[this.outboxHead++] = undefined as unknown as OutboxItem;
      if (this.outboxHead > 1024 && this.outboxHead * 2 > this.outbox.length) {
        this.outbox = this.outbox.slice(this.outboxHead);
        this.outboxHead = 0;
      }
      if (item.call === undefined) {
        return item;
      }
      if (item.call.settled) {
        continue;
      }
      item.call.phase = 'sent';
      this.inFlight.set(item.call.id!, item.call);
      return item;
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
