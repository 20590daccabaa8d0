import type { Clock } from '../../core/policy/rate-limiter.ts';
import type { RenderedAlert } from './types.ts';
import { DeliveryError, type ChannelDriver, type SendContext } from './channels/driver.ts';

/** Bounded retries with exponential backoff; the clock is injected so tests run on fake time. */
export interface DeliveryPolicy {
  /** Per-attempt timeout (ms). */
  timeoutMs: number;
  /** Attempts in total, including the first. */
  maxAttempts: number;
  /** Wait before the 2nd attempt; doubles each time. */
  backoffMs: number;
  maxBackoffMs: number;
}

export const DEFAULT_DELIVERY: DeliveryPolicy = { timeoutMs: 10_000, maxAttempts: 3, backoffMs: 2_000, maxBackoffMs: 60_000 };

export type DeliveryOutcome =
  | { ok: true; attempts: number; detail?: string }
  | { ok: false; attempts: number; error: string; retryable: boolean };

export async function deliver(
  driver: ChannelDriver<unknown>,
  config: unknown,
  message: RenderedAlert,
  ctx: Omit<SendContext, 'timeoutMs'>,
  policy: DeliveryPolicy,
  clock: Pick<Clock, 'sleep'>,
): Promise<DeliveryOutcome> {
  let attempt = 0;
  for (;;) {
    attempt++;
    try {
      const receipt = await driver.send(config, message, { ...ctx, timeoutMs: policy.timeoutMs });
      return { ok: true, attempts: attempt, ...(receipt.detail ? { detail: receipt.detail } : {}) };
    } catch (e) {
      const retryable = e instanceof DeliveryError ? e.retryable : false;
      const error = e instanceof Error ? e.message : String(e);
      if (!retryable || attempt >= policy.maxAttempts || ctx.signal?.aborted) return { ok: false, attempts: attempt, error, retryable };
      const wait = Math.min(policy.maxBackoffMs, policy.backoffMs * 2 ** (attempt - 1));
      try {
        await clock.sleep(wait, ctx.signal);
      } catch {
        return { ok: false, attempts: attempt, error, retryable };
      }
    }
  }
}
