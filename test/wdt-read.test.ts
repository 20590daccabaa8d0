import { afterEach, describe, expect, it } from 'vitest';
import type { ReadSpec, SourceSession } from '../src/core/contracts/platform.ts';
import type { JsonObject } from '../src/core/records.ts';
import type { RetryOptions } from '../src/core/policy/retry.ts';
import type { WdtEmulator } from '../src/emulators/wdt/index.ts';
import { Unlimited, systemClock } from '../src/core/policy/rate-limiter.ts';
import { splitWindows } from '../src/core/policy/windows.ts';
import { readPages } from '../src/engine/read-source.ts';
import { startWdtEmulator } from '../src/emulators/wdt/index.ts';
import { parseBeijingTime } from '../src/platforms/wdt/index.ts';
import { openSession, openapiConnection, qimenConnection, spec, testContext } from './wdt-support.ts';

/**
 * The WDT profile under the engine's reader (retry/backoff, rate-limit pauses, window split) against the
 * emulator over real HTTP: rate limits, injected 5xx and long ranges still give every record exactly once.
 */

const retry: RetryOptions = { maxAttempts: 25, initialDelayMs: 5, maxDelayMs: 50, multiplier: 2, jitter: 0 };
let emu: WdtEmulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

async function readWithEngine(session: SourceSession, s: ReadSpec): Promise<{ records: JsonObject[]; retries: string[] }> {
  const records: JsonObject[] = [];
  const retries: string[] = [];
  const pages = readPages(session, s, {
    signal: AbortSignal.timeout(120_000),
    retry,
    limiter: new Unlimited(systemClock),
    clock: systemClock,
    random: () => 0.5,
    onRetry: (e) => retries.push(e.action),
  });
  for await (const page of pages) records.push(...page.records);
  return { records, retries };
}

function expectEachOnce(records: JsonObject[], idKey: string, count: number): void {
  const ids = records.map((r) => Number(r[idKey]));
  expect(ids.length).toBe(count);
  expect(new Set(ids).size).toBe(count);
}

describe('WDT under the engine reader', () => {
  it('completes under the emulator\'s per-sid rate limit (retry_after, no failure)', async () => {
    emu = await startWdtEmulator({ shops: 1000, rateLimit: 10 });
    const session = openSession(openapiConnection(emu, { rateLimitRetryMs: 200 }), testContext());
    const { records, retries } = await readWithEngine(session, spec('wdt.shop.query', 20));
    expectEachOnce(records, 'shop_id', 980);
    const stats = emu.control.stats();
    expect(stats.byCode['1012']).toBeGreaterThan(0); // the limit was really hit …
    expect(retries.length).toBe(stats.byCode['1012']); // … and every refusal was waited out and retried
    expect(retries.every((a) => a === 'retry_after')).toBe(true);
  });

  it.each([
    ['openapi', (e: WdtEmulator) => openapiConnection(e)],
    ['qimen', (e: WdtEmulator) => qimenConnection(e)],
  ])('reads everything exactly once with injected 5xx (1 in 10), dropped connections and truncated JSON (3 in 100 each) over %s', async (_name, connection) => {
    emu = await startWdtEmulator({ shops: 20_000, faults: { rate5xx: 0.1, dropRate: 0.03, malformedRate: 0.03 }, seed: 11 });
    const session = openSession(connection(emu), testContext());
    const { records, retries } = await readWithEngine(session, spec('wdt.shop.query', 100));
    expectEachOnce(records, 'shop_id', 19_600);
    const stats = emu.control.stats();
    const faults = (stats.byCode['fault:5xx'] ?? 0) + (stats.byCode['fault:drop'] ?? 0) + (stats.byCode['fault:malformed'] ?? 0);
    expect(stats.byCode['fault:5xx']).toBeGreaterThan(0);
    expect(stats.byCode['fault:malformed']).toBeGreaterThan(0);
    expect(retries.length).toBe(faults);
    expect(retries.every((a) => a === 'retry')).toBe(true);
  });

  it('trades over 3 days are fetched in windows of at most 60 minutes, none missed', async () => {
    emu = await startWdtEmulator({ trades: 5000, faults: { rate5xx: 0.05 }, seed: 3 });
    const session = openSession(qimenConnection(emu), testContext());
    const maxMs = session.maxWindowMs!('wdt.trade.query')!;
    expect(maxMs).toBe(3_600_000);
    const start = new Date('2024-12-31T15:00:00Z'); // 23:00 Beijing; boundaries every hour hit trades exactly (trade 625 at 09:00)
    const end = new Date('2025-01-03T17:00:00Z');
    const windows = [...splitWindows(start, end, maxMs)];
    expect(windows.length).toBe(74);
    const seen = new Map<number, string>();
    for (const w of windows) {
      expect(w.end.getTime() - w.start.getTime()).toBeLessThanOrEqual(maxMs);
      const { records } = await readWithEngine(session, spec('wdt.trade.query', 100, { window: w }));
      for (const r of records) {
        const t = parseBeijingTime(String(r.modified))!;
        expect(t >= w.start.getTime() && t < w.end.getTime()).toBe(true);
        expect(seen.has(Number(r.trade_id))).toBe(false);
        seen.set(Number(r.trade_id), String(r.modified));
      }
    }
    expect(seen.size).toBe(5000);
    expect(emu.control.stats().byCode['100']).toBeUndefined(); // no window was refused as too wide
  });
});
