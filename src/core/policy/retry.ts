import { FerryFailure, toFerryError, type FerryError } from '../errors.ts';
import { backoffDelay, type BackoffOptions } from './backoff.ts';
import type { Clock, RateLimiter } from './rate-limiter.ts';

export interface RetryOptions extends BackoffOptions {
  maxAttempts: number;
}

export interface RetryContext {
  clock: Clock;
  limiter: RateLimiter;
  signal: AbortSignal;
  random?: () => number;
  /** Told about each failed attempt that will be retried (for events and logs). */
  onRetry?: (error: FerryError, attempt: number, delayMs: number) => void;
}

/**
 * Runs one vendor call under the rate limiter, retrying what the platform marked retry / retry_after.
 * reject_record and fail_run errors, and exhausted retries, are thrown as FerryFailure.
 * `prepare` runs before each re-attempt (after the first failure) — e.g. a look-up before re-sending a write.
 */
export async function withRetry<T>(
  call: (attempt: number) => Promise<T>,
  opts: RetryOptions,
  ctx: RetryContext,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    ctx.signal.throwIfAborted();
    await ctx.limiter.acquire(ctx.signal);
    try {
      return await call(attempt);
    } catch (err) {
      if (ctx.signal.aborted) throw err;
      const e = toFerryError(err, { kind: 'internal', action: 'fail_run' });
      const retryable = e.action === 'retry' || e.action === 'retry_after';
      if (!retryable) throw err instanceof FerryFailure ? err : new FerryFailure(e, { cause: err });
      if (attempt >= opts.maxAttempts)
        throw new FerryFailure({ ...e, action: 'fail_run', message: `${e.message} (gave up after ${attempt} attempts)` }, { cause: err });
      let delay = backoffDelay(attempt, opts, ctx.random);
      if (e.action === 'retry_after') {
        delay = Math.max(delay, e.retryAfterMs ?? opts.initialDelayMs);
        ctx.limiter.pause(delay);
      }
      ctx.onRetry?.(e, attempt, delay);
      await ctx.clock.sleep(delay, ctx.signal);
    }
  }
}
