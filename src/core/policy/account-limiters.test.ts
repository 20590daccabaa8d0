import { describe, expect, it } from 'vitest';
import { AccountLimiters } from './account-limiters.ts';
import { accountIdentity, sharedRateOf } from './account-rate.ts';
import type { Clock } from './rate-limiter.ts';

/** A clock whose sleep advances time (no real waiting). */
function fakeClock(): Clock {
  let t = 1_000_000;
  return { now: () => t, sleep: async (ms) => void (t += ms) };
}

const wdt = (name: string, sid = 'shop-a', extra: Record<string, unknown> = {}) => ({ name, transport: 'qimen', baseUrl: 'http://wdt.local/router', sid, appKey: 'app-1', appSecret: `secret-of-${name}`, ...extra });
const kd = (username: string, extra: Record<string, unknown> = {}) => ({ baseUrl: 'http://erp.local/k3cloud/', acctId: 'acct-1', username, appSecret: 'x', ...extra });

/** Grants of `n` calls alternating between the limiters, as times. */
async function grants(clock: Clock, limiters: { acquire(): Promise<void> }[], n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    await limiters[i % limiters.length]!.acquire();
    out.push(clock.now());
  }
  return out;
}

const gaps = (ts: number[]) => ts.slice(1).map((t, i) => t - ts[i]!);

describe('one rate limiter per vendor account in a process', () => {
  it('two schemes on the same WDT account (different connection names and secrets) share the default 10 calls/s', async () => {
    const clock = fakeClock();
    const l = new AccountLimiters(clock);
    const a = l.forRun('wdt', wdt('wdt'));
    const b = l.forRun('wdt', wdt('wdt-copy'));
    const ts = await grants(clock, [a, b], 21);
    expect(ts[20]! - ts[0]!).toBeGreaterThanOrEqual(2000); // 21 calls at 10/s: 2 s, not 1 s
    expect(Math.min(...gaps(ts))).toBeGreaterThanOrEqual(100);
  });

  it('another WDT account, or another Kingdee user, has its own budget; the same acctId + user shares one', async () => {
    const clock = fakeClock();
    const l = new AccountLimiters(clock);
    expect(l.account('wdt', wdt('x', 'shop-a'))).not.toBe(l.account('wdt', wdt('y', 'shop-b')));
    expect(l.account('kingdee', kd('ops'))).toBe(l.account('kingdee', kd('ops', { appSecret: 'other' })));
    expect(l.account('kingdee', kd('ops'))).not.toBe(l.account('kingdee', kd('ops2')));
    expect(accountIdentity('wdt', wdt('x'))).toBe(accountIdentity('wdt', wdt('y')));
  });

  it('a connection\'s rateLimit overrides the vendor default, and a scheme\'s own rateLimit can only slow its runs', async () => {
    const clock = fakeClock();
    const l = new AccountLimiters(clock);
    const fast = await grants(clock, [l.forRun('wdt', wdt('w', 'shop-c', { rateLimit: { perSecond: 50 } }))], 11);
    expect(fast[10]! - fast[0]!).toBe(200);
    const slow = await grants(clock, [l.forRun('wdt', wdt('w', 'shop-d'), { perSecond: 2, burst: 1 })], 5);
    expect(slow[4]! - slow[0]!).toBe(2000);
    // Kingdee: no default rate, but a "wait" answer seen by one scheme pauses every scheme on the account.
    const k1 = l.forRun('kingdee', kd('ops'));
    const k2 = l.forRun('kingdee', kd('ops'));
    const t0 = clock.now();
    await k1.acquire();
    expect(clock.now()).toBe(t0);
    k1.pause(5000);
    await k2.acquire();
    expect(clock.now() - t0).toBe(5000);
  });
});

describe('the shared bucket of scaled-out workers', () => {
  it('runs at the slower of the scheme\'s rate and the account\'s (connection rateLimit or vendor default)', () => {
    expect(sharedRateOf('wdt', wdt('w'), undefined)).toEqual({ perSecond: 10, burst: 1 });
    expect(sharedRateOf('wdt', wdt('w'), { perSecond: 4 })).toEqual({ perSecond: 4 });
    expect(sharedRateOf('wdt', wdt('w', 'shop-a', { rateLimit: { perSecond: 2 } }), { perSecond: 4 })).toEqual({ perSecond: 2 });
    expect(sharedRateOf('kingdee', kd('ops'), undefined)).toBeUndefined();
    expect(sharedRateOf('kingdee', kd('ops'), { perSecond: 30, burst: 5 })).toEqual({ perSecond: 30, burst: 5 });
  });
});
