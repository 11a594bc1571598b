import { OvsdbError } from '../errors.js';

/**
 * Where a request is on its way out. Only a call that never reached the socket may be sent again
 * on another connection ("retry only a request that never left"); once written it is either
 * answered or rejected with OVSDB_CONNECTION_LOST.
 */
export type CallPhase =
  /** Queued in the session until a connection is accepted. */
  | 'waiting'
  /** In a connection's outbox, held back by socket backpressure; not yet handed to the socket. */
  | 'queued'
  /** Written to the socket: the server may have executed it. */
  | 'sent'
  | 'settled';

/** setTimeout cannot wait longer than this; longer deadlines mean "no deadline". */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Untyped on purpose: a reply is whatever JSON the server sent; `request<T>` narrows it for the caller. */
export class OutgoingCall {
  phase: CallPhase = 'waiting';
  /** Assigned when the call is handed to a connection. */
  id: number | undefined;
  /** Told the size of the encoded request (RequestOptions.onEncoded). */
  onEncoded: ((bytes: number) => void) | undefined;
  readonly promise: Promise<unknown>;
  private resolvePromise!: (value: unknown) => void;
  private rejectPromise!: (error: Error) => void;
  private readonly deadline: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly method: string,
    readonly params: readonly unknown[],
    readonly timeoutMs: number,
    /** Why a call that timed out before it was sent could not be sent (e.g. the last connect error). */
    private readonly whyUnsent: () => string | undefined = () => undefined,
    /** False for calls that only make sense on one connection (the session's own `_Server` check). */
    readonly movable = true,
  ) {
    this.promise = new Promise<unknown>((resolve, reject) => {
      this.resolvePromise = resolve;
      this.rejectPromise = reject;
    });
    this.deadline = timeoutMs < MAX_TIMER_MS ? setTimeout(() => this.expire(), Math.max(0, timeoutMs)) : undefined;
  }

  get settled(): boolean {
    return this.phase === 'settled';
  }

  resolve(value: unknown): void {
    if (this.settle()) {
      this.resolvePromise(value);
    }
  }

  reject(error: Error): void {
    if (this.settle()) {
      this.rejectPromise(error);
    }
  }

  private settle(): boolean {
    if (this.phase === 'settled') {
      return false;
    }
    this.phase = 'settled';
    if (this.deadline !== undefined) {
      clearTimeout(this.deadline);
    }
    return true;
  }

  /** Whoever holds the call (session queue, outbox, in-flight table) skips it once settled. */
  private expire(): void {
    if (this.phase === 'sent') {
      this.reject(
        new OvsdbError(
          'OVSDB_TIMEOUT',
          `${this.method}: no reply within ${this.timeoutMs} ms (the server may still execute it)`,
        ),
      );
      return;
    }
    if (this.phase === 'queued') {
      this.reject(
        new OvsdbError('OVSDB_TIMEOUT', `${this.method}: not sent within ${this.timeoutMs} ms: the server is not reading (socket backpressure)`),
      );
      return;
    }
    const why = this.whyUnsent();
    this.reject(
      new OvsdbError(
        'OVSDB_TIMEOUT',
        `${this.method}: not sent within ${this.timeoutMs} ms: no accepted connection${why !== undefined ? ` (${why})` : ''}`,
      ),
    );
  }
}
