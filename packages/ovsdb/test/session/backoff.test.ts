import { describe, expect, it } from 'vitest';
import { exponentialBackoff, ReconnectSchedule } from '../../src/subpaths/session.js';

/** A random source that replays the given values. */
function replay(...values: number[]): () => number {
  let index = 0;
  return () => values[index++ % values.length]!;
}

describe('exponentialBackoff', () => {
  it('goes 1 s, 2 s, 4 s, 8 s, 8 s without jitter', () => {
    const backoff = exponentialBackoff({ random: () => 0 });
    expect([1, 2, 3, 4, 5, 6].map(backoff)).toEqual([1000, 2000, 4000, 8000, 8000, 8000]);
  });

  it('takes up to 25 % off at random', () => {
    const backoff = exponentialBackoff({ random: replay(1, 0.5, 0.2) });
    expect([1, 2, 3].map(backoff)).toEqual([750, 1750, 3800]);
  });
});

describe('ReconnectSchedule (lib/reconnect.c rules)', () => {
  const noJitter = exponentialBackoff({ random: () => 0 });

  it('tries each of three remotes once without delay, then backs off', () => {
    const schedule = new ReconnectSchedule(3, noJitter);
    const delays = Array.from({ length: 7 }, () => schedule.nextDelay());
    expect(delays).toEqual([0, 0, 1000, 2000, 4000, 8000, 8000]);
  });

  it('starts again at the minimum after a connection that stayed up longer than the last delay', () => {
    const schedule = new ReconnectSchedule(1, noJitter);
    expect([schedule.nextDelay(), schedule.nextDelay(), schedule.nextDelay()]).toEqual([1000, 2000, 4000]);
    expect(schedule.nextDelay(3999)).toBe(8000); // up for less than the last delay: keeps doubling
    expect(schedule.nextDelay(60_000)).toBe(1000); // stable connection
  });

  it('moves on at once to each other member after a forced reconnect (leader lost)', () => {
    const schedule = new ReconnectSchedule(3, noJitter);
    [0, 0, 1000, 2000].forEach((delay) => expect(schedule.nextDelay()).toBe(delay));
    schedule.resetForForcedReconnect();
    const delays = Array.from({ length: 4 }, () => schedule.nextDelay(10_000));
    expect(delays).toEqual([0, 0, 0, 1000]);
  });

  it('uses an injected backoff function for paid retries', () => {
    const schedule = new ReconnectSchedule(2, (retry) => retry * 10);
    expect(Array.from({ length: 4 }, () => schedule.nextDelay())).toEqual([0, 10, 20, 30]);
  });
});
