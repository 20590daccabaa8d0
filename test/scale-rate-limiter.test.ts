import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock, type Clock } from '../src/core/policy/rate-limiter.ts';
import { redisClient } from '../src/scale/queue.ts';
import { RedisRateLimiter } from '../src/scale/redis-rate-limiter.ts';
import { skipWithoutScaleServices, requireTestRedis, TEST_REDIS_URL } from './scale-support.ts';

const skip = await skipWithoutScaleServices('scale-rate-limiter tests');

/** The real clock, remembering every wait the limiter asked for (whether it had to wait is the behaviour under test). */
function recordingClock(): Clock & { waits: number[] } {
  const waits: number[] = [];
  return { waits, now: () => Date.now(), sleep: (ms, signal) => (waits.push(ms), systemClock.sleep(ms, signal)) };
}

describe.skipIf(skip)('RedisRateLimiter on ioredis: one token bucket per key, shared by every client', () => {
  const prefix = `ferrytest${randomBytes(4).toString('hex')}`;
  let a: Redis;
  let b: Redis;
  let n = 0;
  const key = () => `${prefix}:rate:${n++}`;

  beforeAll(async () => {
    await requireTestRedis();
    a = redisClient(TEST_REDIS_URL, { connectionName: `${prefix}:a` });
    b = redisClient(TEST_REDIS_URL, { connectionName: `${prefix}:b` });
  });
  afterAll(async () => {
    const keys = await a.keys(`${prefix}:*`);
    if (keys.length) await a.del(...keys);
    await a.quit();
    await b.quit();
  });

  it('hands out the burst at once, then makes the next caller wait', async () => {
    const clock = recordingClock();
    const limiter = new RedisRateLimiter(a, key(), { perSecond: 1, burst: 2, clock, maxPollMs: 50 });
    await limiter.acquire();
    await limiter.acquire();
    expect(clock.waits).toEqual([]);
    await limiter.acquire();
    expect(clock.waits.length).toBeGreaterThan(0);
    expect(clock.waits[0]).toBeGreaterThan(0);
  });

  it('two processes (two clients) on one key draw from one budget', async () => {
    const k = key();
    const clockA = recordingClock();
    const clockB = recordingClock();
    const onA = new RedisRateLimiter(a, k, { perSecond: 1, burst: 2, clock: clockA, maxPollMs: 50 });
    const onB = new RedisRateLimiter(b, k, { perSecond: 1, burst: 2, clock: clockB, maxPollMs: 50 });
    await onA.acquire();
    await onA.acquire();
    await onB.acquire();
    expect(clockA.waits).toEqual([]);
    expect(clockB.waits.length).toBeGreaterThan(0);
    // A different key is a different account: no wait.
    const other = recordingClock();
    await new RedisRateLimiter(b, key(), { perSecond: 1, burst: 2, clock: other }).acquire();
    expect(other.waits).toEqual([]);
  });

  it("a vendor's pause seen by one client makes the other wait too, even without a rate", async () => {
    const k = key();
    new RedisRateLimiter(a, k).pause(400);
    // pause() does not wait for Redis; wait until the pause is stored before asking from the other client.
    for (let i = 0; i < 100 && !(await b.hget(k, 'paused')); i++) await systemClock.sleep(10);
    const clock = recordingClock();
    await new RedisRateLimiter(b, k, { clock, maxPollMs: 50 }).acquire();
    expect(clock.waits.length).toBeGreaterThan(0);
  });

  it('keeps working after Redis forgot its scripts (SCRIPT FLUSH, as after a restart)', async () => {
    const k = key();
    // A slow refill, so two takes leave visibly two tokens fewer.
    const limiter = new RedisRateLimiter(a, k, { perSecond: 0.01, burst: 5 });
    await limiter.acquire();
    await a.script('FLUSH');
    await limiter.acquire();
    expect(Number(await a.hget(k, 'tokens'))).toBeCloseTo(3, 1);
  });

  it('rejects a rate that is not positive', () => {
    expect(() => new RedisRateLimiter(a, key(), { perSecond: 0 })).toThrow(/positive/);
  });
});
