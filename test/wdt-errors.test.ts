import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { WdtEmulator } from '../src/emulators/wdt/index.ts';
import { startWdtEmulator } from '../src/emulators/wdt/index.ts';
import { openSession, openapiConnection, qimenConnection, failureOf, spec, testContext } from './wdt-support.ts';

/** Failures against the emulator over real HTTP: each becomes a FerryError with the right action and words. */

let emu: WdtEmulator;
beforeAll(async () => {
  emu = await startWdtEmulator({ shops: 500, trades: 2000 });
});
afterAll(async () => {
  await emu.close();
});
beforeEach(() => {
  emu.control.setFaults({ script: [], rate5xx: 0, malformedRate: 0, dropRate: 0, slowRate: 0, latencyMs: 0 });
  emu.control.setRateLimit(0);
});

const transports = [
  ['openapi', () => openapiConnection(emu)],
  ['qimen', () => qimenConnection(emu)],
] as const;

describe.each(transports)('errors over %s', (name, connection) => {
  const fetchFirst = (ctx = testContext('wdt'), s = spec('wdt.shop.query', 100)) => {
    const session = openSession(connection(), ctx);
    return session.fetchPage(s, { page_no: 3 }, AbortSignal.timeout(10_000));
  };

  it('wrong secret → fail_run naming the connection and carrying the vendor message, secret not shown', async () => {
    const bad = name === 'openapi' ? { appsecret: 'wrong-secret-123' } : { appSecret: 'wrong-secret-123' };
    const ctx = testContext('wdt');
    const conn = name === 'openapi' ? openapiConnection(emu, bad) : qimenConnection(emu, bad);
    const e = await failureOf(openSession(conn, ctx).fetchPage(spec('wdt.shop.query', 100), { page_no: 3 }, AbortSignal.timeout(10_000)));
    expect(e.action).toBe('fail_run');
    expect(e.kind).toBe('auth');
    expect(e.message.startsWith("WDT connection 'wdt' wdt.shop.query page 3: ")).toBe(true);
    const vendorWords = name === 'openapi' ? '签名错误' : 'Illegal request';
    expect(e.message).toContain(vendorWords);
    expect(e.remote?.detail).toContain(vendorWords);
    expect(e.remote?.code).toBe(name === 'openapi' ? '1' : 'sign-check-failure');
    expect(JSON.stringify(e)).not.toContain('wrong-secret-123');
    expect(ctx.calls).toHaveLength(1);
    expect(ctx.calls[0]).toMatchObject({ ok: false, api: 'wdt.shop.query', status: 200 });
  });

  it('HTTP 5xx → retry', async () => {
    emu.control.failNext('5xx');
    const e = await failureOf(fetchFirst());
    expect(e).toMatchObject({ action: 'retry', kind: 'http', remote: { status: 502 } });
    expect(e.message).toContain("WDT connection 'wdt' wdt.shop.query page 3: HTTP 502");
  });

  it('dropped connection → retry (network)', async () => {
    emu.control.failNext('drop');
    expect(await failureOf(fetchFirst())).toMatchObject({ action: 'retry', kind: 'network' });
  });

  it('slow answer past the timeout → retry (timeout)', async () => {
    emu.control.setFaults({ slowMs: 1500 });
    emu.control.failNext('slow');
    const e = await failureOf(fetchFirst(testContext('wdt', { timeoutMs: 200 })));
    expect(e).toMatchObject({ action: 'retry', kind: 'timeout' });
    expect(e.message).toContain('200 ms');
  });

  it('caller abort is passed through, not turned into an error to retry', async () => {
    const session = openSession(connection(), testContext());
    emu.control.setFaults({ slowMs: 1500 });
    emu.control.failNext('slow');
    const ac = new AbortController();
    const p = session.fetchPage(spec('wdt.shop.query', 100), { page_no: 0 }, ac.signal);
    setTimeout(() => ac.abort(new Error('stop now')), 50);
    await expect(p).rejects.toThrow('stop now');
  });

  it('rate limit → retry_after with a wait', async () => {
    emu.control.failNext('rate_limit');
    const e = await failureOf(fetchFirst());
    expect(e).toMatchObject({ action: 'retry_after', kind: 'rate_limit', retryAfterMs: 1000, remote: { code: '1012' } });
  });

  it('per-sid rate limit of the emulator is reported as retry_after', async () => {
    emu.control.setRateLimit(2);
    const session = openSession(connection(), testContext());
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, () => session.fetchPage(spec('wdt.shop.query', 10), { page_no: 0 }, AbortSignal.timeout(10_000))),
    );
    const limited = results.filter((r) => r.status === 'rejected');
    expect(limited.length).toBeGreaterThanOrEqual(1); // 6 calls, 2 per second: at least one refused
    for (const r of limited) expect((r as PromiseRejectedResult).reason.error).toMatchObject({ action: 'retry_after' });
  });

  it('malformed JSON from a 200 → bad_response (retry) naming API and page', async () => {
    emu.control.failNext('malformed');
    const e = await failureOf(fetchFirst());
    expect(e).toMatchObject({ kind: 'bad_response', action: 'retry', remote: { status: 200 } });
    expect(e.message).toContain("WDT connection 'wdt' wdt.shop.query page 3: unexpected response — the response is not valid JSON");
  });

  it('missing list key → bad_response naming the key', async () => {
    emu.control.failNext('missing_list');
    const e = await failureOf(fetchFirst());
    expect(e).toMatchObject({ kind: 'bad_response', action: 'fail_run' });
    expect(e.message).toContain('wdt.shop.query page 3');
    expect(e.message).toContain('no `shoplist`');
  });

  it('list of the wrong type → bad_response', async () => {
    emu.control.failNext('wrong_type');
    const e = await failureOf(fetchFirst());
    expect(e.message).toContain('`shoplist` is string, not a list');
  });

  it('a listKey override that does not match → bad_response naming that key', async () => {
    const e = await failureOf(fetchFirst(testContext(), spec('wdt.shop.query', 100, { listKey: 'shops' })));
    expect(e.message).toContain('no `shops`');
  });

  it('page_size out of range is refused before any call, naming the scheme value', async () => {
    const ctx = testContext();
    const session = openSession(connection(), ctx);
    for (const size of [0, 101, 2.5]) {
      const e = await failureOf(() => session.first(spec('wdt.shop.query', size)));
      expect(e).toMatchObject({ action: 'fail_run', kind: 'config' });
      expect(e.message).toContain(`pagination.pageSize ${size}`);
      expect(e.message).toContain('1–100');
      await expect(session.fetchPage(spec('wdt.shop.query', size), { page_no: 0 }, AbortSignal.timeout(1000))).rejects.toThrow('pageSize');
    }
    expect(ctx.calls).toHaveLength(0);
  });

  it('trades window longer than 60 minutes is refused by the vendor (fail_run, vendor words kept)', async () => {
    const session = openSession(connection(), testContext());
    const s = spec('wdt.trade.query', 100, {
      window: { start: new Date('2024-12-31T16:00:00Z'), end: new Date('2024-12-31T18:00:00Z') },
    });
    const e = await failureOf(session.fetchPage(s, session.first(s), AbortSignal.timeout(10_000)));
    expect(e).toMatchObject({ action: 'fail_run', kind: 'bad_request', remote: { code: '100' } });
    expect(e.message).toContain('不能大于60分钟');
    expect(e.message).toContain('window 2025-01-01 00:00:00 – 2025-01-01 01:59:59');
  });

  it('an unknown API name is refused without a call', async () => {
    const e = await failureOf(() => openSession(connection(), testContext()).first(spec('BD_Customer', 100)));
    expect(e).toMatchObject({ action: 'fail_run', kind: 'config' });
    expect(e.message).toContain("'BD_Customer' is not a WDT API name");
  });

  it('an API the vendor does not have → fail_run', async () => {
    const e = await failureOf(
      openSession(connection(), testContext()).fetchPage(spec('wdt.nothing.query', 100), { page_no: 0 }, AbortSignal.timeout(10_000)),
    );
    expect(e.action).toBe('fail_run');
    expect(e.message).toContain('wdt.nothing.query page 0');
  });
});

describe('credential errors', () => {
  it('unknown sid → fail_run auth', async () => {
    const e = await failureOf(
      openSession(openapiConnection(emu, { sid: 'nobody' }), testContext('shop-sync')).fetchPage(spec('shop.php', 10), { page_no: 0 }, AbortSignal.timeout(10_000)),
    );
    expect(e).toMatchObject({ action: 'fail_run', kind: 'auth' });
    expect(e.message).toContain("WDT connection 'shop-sync' wdt.shop.query page 0");
    expect(e.message).toContain('sid不存在');
  });

  it('clock more than 5 minutes off → fail_run telling to check the clock', async () => {
    const ctx = testContext('wdt', { now: () => Date.now() - 10 * 60_000 });
    const e = await failureOf(openSession(openapiConnection(emu), ctx).fetchPage(spec('shop.php', 10), { page_no: 0 }, AbortSignal.timeout(10_000)));
    expect(e).toMatchObject({ action: 'fail_run', kind: 'auth' });
    expect(e.message).toContain('clock');
  });

  it('wrong target_app_key over Qimen → fail_run auth', async () => {
    const e = await failureOf(
      openSession(qimenConnection(emu, { targetAppKey: '999' }), testContext()).fetchPage(spec('wdt.shop.query', 10), { page_no: 0 }, AbortSignal.timeout(10_000)),
    );
    expect(e).toMatchObject({ action: 'fail_run', kind: 'auth' });
  });

  it('a server that ignores page_no is caught by the repeated-page guard', async () => {
    // A fake server that always answers the same full page.
    const page = { code: 0, message: '', shoplist: Array.from({ length: 10 }, (_, i) => ({ shop_id: i + 1 })) };
    const ctx = testContext('wdt', { fetch: async () => new Response(JSON.stringify(page), { status: 200 }) });
    const session = openSession(openapiConnection(emu), ctx);
    const s = spec('wdt.shop.query', 10);
    const first = await session.fetchPage(s, session.first(s), AbortSignal.timeout(1000));
    expect(first.next).not.toBeNull();
    const e = await failureOf(session.fetchPage(s, first.next!, AbortSignal.timeout(1000)));
    // Retryable: a one-off repeat heals on the re-fetch; the engine's retry policy ends a persistent one.
    expect(e).toMatchObject({ kind: 'repeated_page', action: 'retry' });
    expect(e.message).toContain('page 1: the page repeats the records of page 0');
  });
});
