import type { Redis } from 'ioredis';
import { systemClock, type Clock, type RateLimiter } from '../core/policy/rate-limiter.ts';

/**
 * Token bucket in one Redis hash, so every worker calling one vendor account draws from one budget.
 * The server's clock (TIME) is the only clock, so workers on machines with skewed clocks still agree.
 * Returns 0 when a token was taken, else how many ms to wait before asking again.
 * Fields: tokens, ts (ms of the last refill), paused (ms until which nobody may call).
 */
const TAKE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local h = redis.call('HMGET', KEYS[1], 'tokens', 'ts', 'paused')
local tokens = tonumber(h[1])
local ts = tonumber(h[2])
local paused = tonumber(h[3]) or 0
if now < paused then return paused - now end
if tokens == nil or ts == nil then tokens = burst; ts = now end
if now > ts then tokens = math.min(burst, tokens + (now - ts) * rate / 1000) end
local wait = 0
if tokens >= 1 then tokens = tokens - 1 else wait = math.ceil((1 - tokens) * 1000 / rate) end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(math.max(now, ts)))
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return wait`;

/** The vendor asked everyone to wait: no token before now+ms, and the bucket refills from then on. */
const PAUSE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local untilMs = now + tonumber(ARGV[1])
local paused = tonumber(redis.call('HGET', KEYS[1], 'paused')) or 0
if untilMs > paused then
  redis.call('HSET', KEYS[1], 'paused', tostring(untilMs), 'tokens', '0', 'ts', tostring(untilMs))
end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 0`;

/** The two scripts as ioredis commands (ioredis sends EVALSHA and falls back to EVAL on NOSCRIPT). */
interface RateLimitCommands {
  ferryRateTake(key: string, perSecond: number, burst: number, ttlMs: number): Promise<number>;
  ferryRatePause(key: string, ms: number, ttlMs: number): Promise<number>;
}

/** Defines the scripts on the client once (a client may serve many limiters). */
function withRateLimitCommands(redis: Redis): Redis & RateLimitCommands {
  const r = redis as Redis & Partial<RateLimitCommands>;
  if (typeof r.ferryRateTake !== 'function') redis.defineCommand('ferryRateTake', { numberOfKeys: 1, lua: TAKE });
  if (typeof r.ferryRatePause !== 'function') redis.defineCommand('ferryRatePause', { numberOfKeys: 1, lua: PAUSE });
  return redis as Redis & RateLimitCommands;
}

export interface RedisRateLimiterOptions {
  /** Calls per second, sustained (the scheme's `rateLimit.source/target.perSecond`). */
  perSecond?: number;
  /** Calls at once before the rate applies. Default 1: spreads calls evenly, the safe choice for fixed-window vendors. */
  burst?: number;
  clock?: Clock;
  /** Upper bound of one wait before asking Redis again (ms). */
  maxPollMs?: number;
}

/**
 * A RateLimiter shared by every process that uses the same Redis key (one key per vendor account).
 * Without `perSecond` it only shares pauses (a vendor's rate-limit answer seen by one worker makes all wait).
 */
export class RedisRateLimiter implements RateLimiter {
  private readonly clock: Clock;
  private localPause = 0;
  private readonly redis: Redis & RateLimitCommands;

  constructor(
    redis: Redis,
    readonly key: string,
    private readonly o: RedisRateLimiterOptions = {},
  ) {
    this.redis = withRateLimitCommands(redis);
    this.clock = o.clock ?? systemClock;
    if (o.perSecond !== undefined && !(o.perSecond > 0)) throw new Error(`rate limit must be positive, got ${o.perSecond}`);
  }

  async acquire(signal?: AbortSignal): Promise<void> {
    const rate = this.o.perSecond ?? 1e9;
    const burst = this.o.perSecond === undefined ? 1e9 : Math.max(1, this.o.burst ?? 1);
    // Keep the key while it matters: long enough to refill a full bucket, at least a minute.
    const ttl = Math.max(60_000, Math.ceil((burst / rate) * 1000) * 2);
    for (;;) {
      signal?.throwIfAborted();
      const local = this.localPause - this.clock.now();
      if (local > 0) {
        await this.clock.sleep(local, signal);
        continue;
      }
      const wait = Number(await this.redis.ferryRateTake(this.key, rate, burst, ttl));
      if (wait <= 0) return;
      await this.clock.sleep(Math.min(wait, this.o.maxPollMs ?? 1000), signal);
    }
  }

  pause(ms: number): void {
    if (!(ms > 0)) return;
    this.localPause = Math.max(this.localPause, this.clock.now() + ms);
    // Shared with the other workers; this process already honours it locally if Redis is slow or down.
    this.redis.ferryRatePause(this.key, Math.ceil(ms), Math.max(60_000, Math.ceil(ms) * 2)).catch(() => undefined);
  }
}
