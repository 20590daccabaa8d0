/** Exponential backoff with jitter. `random` is injected so tests are deterministic. */
export interface BackoffOptions {
  initialDelayMs: number;
  maxDelayMs: number;
  multiplier: number;
  jitter: number;
}

/** Delay before retry number `attempt` (1 = first retry). */
export function backoffDelay(attempt: number, o: BackoffOptions, random: () => number = Math.random): number {
  const base = Math.min(o.maxDelayMs, o.initialDelayMs * Math.pow(o.multiplier, Math.max(0, attempt - 1)));
  const spread = base * o.jitter;
  return Math.max(0, Math.round(base - spread + 2 * spread * random()));
}
