/**
 * A rate limiter hands out permission for one call. The in-memory token bucket serves one process;
 * the scaled-out mode shares a bucket through Redis behind the same interface.
 */
export interface RateLimiter {
  /** Resolves when one call may start; rejects if the signal aborts first. */
  acquire(signal?: AbortSignal): Promise<void>;
  /** Tells the limiter the vendor asked to wait (rate-limit answer): no call starts before `ms` from now. */
  pause(ms: number): void;
}

export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const t = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(t);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

/** Token bucket: `perSecond` sustained, `burst` at once. Callers are served in order. */
export class TokenBucket implements RateLimiter {
  private tokens: number;
  private last: number;
  private pausedUntil = 0;
  private queue: Promise<void> = Promise.resolve();
  private readonly burst: number;

  constructor(
    private readonly perSecond: number,
    burst: number | undefined,
    private readonly clock: Clock = systemClock,
  ) {
    this.burst = Math.max(1, burst ?? Math.ceil(perSecond));
    this.tokens = this.burst;
    this.last = clock.now();
  }

  acquire(signal?: AbortSignal): Promise<void> {
    const turn = this.queue.then(() => this.take(signal));
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.clock.now() + ms);
    this.tokens = 0;
  }

  private async take(signal?: AbortSignal): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      const now = this.clock.now();
      if (now < this.pausedUntil) {
        await this.clock.sleep(this.pausedUntil - now, signal);
        this.last = this.clock.now();
        continue;
      }
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) * this.perSecond) / 1000);
      this.last = now;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await this.clock.sleep(Math.ceil(((1 - this.tokens) * 1000) / this.perSecond), signal);
    }
  }
}

/** A limiter that never waits, except when the vendor asked for a pause. */
export class Unlimited implements RateLimiter {
  private pausedUntil = 0;
  constructor(private readonly clock: Clock = systemClock) {}
  async acquire(signal?: AbortSignal): Promise<void> {
    const wait = this.pausedUntil - this.clock.now();
    if (wait > 0) await this.clock.sleep(wait, signal);
  }
  pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.clock.now() + ms);
  }
}

/**
 * The engine's view of a limiter whose permits the platform takes itself, one per HTTP request
 * (PlatformContext.pace): the engine takes none per call (or a call of several requests would cost one permit
 * too many), but a vendor's "wait" answer still pauses the limiter, so the next request waits for it.
 */
export function pausesOnly(limiter: RateLimiter): RateLimiter {
  return {
    acquire: async (signal) => signal?.throwIfAborted(),
    pause: (ms) => limiter.pause(ms),
  };
}
