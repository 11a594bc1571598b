/**
 * When to try the next remote, modelled on `lib/reconnect.c` as ovsdb clients use it:
 *
 * - every remote of the list is first tried once with no delay (`backoff_free_tries` = number of
 *   remotes), so a cluster client walks the whole list before it waits;
 * - then the delay starts at 1 s and doubles up to 8 s (`RECONNECT_DEFAULT_MIN/MAX_BACKOFF`);
 * - a connection that stayed up at least as long as the last delay starts again at the minimum;
 * - a forced reconnect from a healthy connection (the member lost leadership) gets the free tries
 *   back, so the client moves on to the next member at once.
 *
 * We add jitter (reconnect.c has none) so that many clients of a restarted server do not all come
 * back in the same millisecond. Both the delay function and the random source are injectable.
 */

/** Delay in ms before the `retry`-th paid attempt (1, 2, 3...). */
export type BackoffFunction = (retry: number) => number;

export interface ExponentialBackoffOptions {
  readonly minMs?: number;
  readonly maxMs?: number;
  /** Fraction taken off at random: a delay is in [base * (1 - jitter), base]. */
  readonly jitter?: number;
  readonly random?: () => number;
}

export const DEFAULT_MIN_BACKOFF_MS = 1000;
export const DEFAULT_MAX_BACKOFF_MS = 8000;
export const DEFAULT_BACKOFF_JITTER = 0.25;

/** 1 s, 2 s, 4 s, 8 s, 8 s... each reduced by up to 25 % at random. */
export function exponentialBackoff(options: ExponentialBackoffOptions = {}): BackoffFunction {
  const minMs = options.minMs ?? DEFAULT_MIN_BACKOFF_MS;
  const maxMs = options.maxMs ?? DEFAULT_MAX_BACKOFF_MS;
  const jitter = options.jitter ?? DEFAULT_BACKOFF_JITTER;
  const random = options.random ?? Math.random;
  return (retry) => {
    const base = Math.min(maxMs, minMs * 2 ** Math.max(0, retry - 1));
    return Math.round(base * (1 - jitter * random()));
  };
}

export class ReconnectSchedule {
  private freeTries: number;
  /** Paid attempts since the last free one or the last stable connection. */
  private retry = 0;
  private lastDelayMs = 0;

  constructor(
    private readonly remoteCount: number,
    private readonly backoff: BackoffFunction,
  ) {
    this.freeTries = remoteCount;
  }

  /**
   * The delay before the next attempt, after an attempt failed (`upForMs` undefined) or after an
   * accepted connection was lost having been up for `upForMs`.
   */
  nextDelay(upForMs?: number): number {
    if (this.freeTries > 1) {
      this.freeTries--;
      this.retry = 0;
      this.lastDelayMs = 0;
      return 0;
    }
    const wasStable = upForMs !== undefined && upForMs >= this.lastDelayMs;
    this.retry = wasStable ? 1 : this.retry + 1;
    this.lastDelayMs = Math.max(0, this.backoff(this.retry));
    return this.lastDelayMs;
  }

  /**
   * Before a forced reconnect from a healthy connection: one free try per remote, plus one that
   * the forced disconnect itself consumes (`jsonrpc_session_reset_backoff`).
   */
  resetForForcedReconnect(): void {
    this.freeTries = this.remoteCount + 1;
  }
}
