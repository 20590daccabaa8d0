import { describe, expect, it } from 'vitest';
import { FerryFailure, type FerryError } from '../errors.ts';
import type { Clock, RateLimiter } from './rate-limiter.ts';
import { withRetry, type RetryOptions } from './retry.ts';

/** The retry policy honours a vendor's wait (issue 11): a retry_after error with retryAfterMs is waited out in full. */

const OPTS: RetryOptions = { maxAttempts: 5, initialDelayMs: 100, maxDelayMs: 1_000, multiplier: 2, jitter: 0 };

function harness() {
  let t = 0;
  const sleeps: number[] = [];
  const pauses: number[] = [];
  const starts: number[] = [];
  let pausedUntil = 0;
  const clock: Clock = {
    now: () => t,
    sleep: async (ms) => {
      sleeps.push(ms);
      t += ms;
    },
  };
  const limiter: RateLimiter = {
    acquire: async () => {
      if (t < pausedUntil) throw new Error(`a call started at ${t}, before the vendor's wait ended at ${pausedUntil}`);
      starts.push(t);
    },
    pause: (ms) => {
      pauses.push(ms);
      pausedUntil = Math.max(pausedUntil, t + ms);
    },
  };
  return { clock, limiter, sleeps, pauses, starts, signal: new AbortController().signal };
}

const failing = (errors: FerryError[]) => {
  let n = 0;
  return async () => {
    const e = errors[n++];
    if (e) throw new FerryFailure(e);
    return 'ok';
  };
};
const limited = (ms?: number): FerryError => ({ kind: 'rate_limit', action: 'retry_after', message: 'slow down', ...(ms !== undefined ? { retryAfterMs: ms } : {}) });

describe('withRetry', () => {
  it("waits the vendor's retryAfterMs, even beyond maxDelayMs, and pauses the limiter for every caller", async () => {
    const h = harness();
    const result = await withRetry(failing([limited(7_500), limited(300)]), OPTS, h);
    expect(result).toBe('ok');
    expect(h.sleeps).toEqual([7_500, 300]);
    expect(h.pauses).toEqual([7_500, 300]);
    expect(h.starts).toEqual([0, 7_500, 7_800]);
  });

  it('never waits less than its own backoff when the vendor asks for less', async () => {
    const h = harness();
    await withRetry(failing([limited(10), limited(10)]), OPTS, h);
    expect(h.sleeps).toEqual([100, 200]);
  });

  it('a rate limit without a hint waits at least the initial delay; a plain retry does not pause the limiter', async () => {
    const h = harness();
    await withRetry(failing([limited(), { kind: 'network', action: 'retry', message: 'reset' }]), OPTS, h);
    expect(h.sleeps).toEqual([100, 200]);
    expect(h.pauses).toEqual([100]);
  });
});
