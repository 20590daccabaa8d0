import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonObject } from '../src/core/records.ts';
import type { WdtEmulator } from '../src/emulators/wdt/index.ts';
import { startWdtEmulator } from '../src/emulators/wdt/index.ts';
import { parseBeijingTime } from '../src/platforms/wdt/index.ts';
import { openSession, openapiConnection, qimenConnection, readAll, spec, testContext } from './wdt-support.ts';

/** Time-windowed reads (wdt-api.md §4): spans per API, Beijing-time windows, nothing missed between windows. */

const TRADES = 3000;
const START = Date.parse('2024-12-31T16:00:00Z'); // 2025-01-01 00:00:00 Beijing, the emulator's default dataStart
const DAY = 86_400_000;
let emu: WdtEmulator;

beforeAll(async () => {
  emu = await startWdtEmulator({ trades: TRADES, stockouts: 800, shops: 200, seed: 'windows' });
});
afterAll(async () => {
  await emu.close();
});

describe('maxWindowMs', () => {
  it('is 60 min for trades, 30 days for stockouts and others, undefined for shops', () => {
    const session = openSession(openapiConnection(emu), testContext());
    expect(session.maxWindowMs!('wdt.trade.query')).toBe(60 * 60_000);
    expect(session.maxWindowMs!('trade_query.php')).toBe(60 * 60_000);
    expect(session.maxWindowMs!('wdt.stockout.order.query.trade')).toBe(30 * DAY);
    expect(session.maxWindowMs!('wdt.goods.query')).toBe(30 * DAY);
    expect(session.maxWindowMs!('wdt.stock.query')).toBe(30 * DAY);
    expect(session.maxWindowMs!('wdt.shop.query')).toBeUndefined();
    expect(session.maxWindowMs!('not an api')).toBeUndefined();
  });
});

describe.each([
  ['openapi', () => openapiConnection(emu)],
  ['qimen', () => qimenConnection(emu)],
])('trades over 3 days in windows of maxWindowMs, %s', (transport, connection) => {
  it('reads every trade exactly once, each inside its window', async () => {
    const session = openSession(connection(), testContext());
    const max = session.maxWindowMs!('wdt.trade.query')!;
    const seen = new Map<number, JsonObject>();
    let windows = 0;
    for (let t = START - max; t < START + 3 * DAY + max; t += max) {
      const window = { start: new Date(t), end: new Date(t + max) };
      const s = spec('wdt.trade.query', 100, { window });
      const { records, pages } = await readAll(session, s);
      windows++;
      expect(pages[0]!.label.endsWith('/page 0')).toBe(true);
      for (const r of records) {
        const modified = parseBeijingTime(String(r.modified))!;
        expect(modified).toBeGreaterThanOrEqual(t);
        expect(modified).toBeLessThan(t + max);
        expect(seen.has(Number(r.trade_id))).toBe(false);
        seen.set(Number(r.trade_id), r);
      }
    }
    expect(windows).toBe(74);
    expect(seen.size).toBe(TRADES);
    const one = seen.get(1)!;
    expect(one.goods_list).toBeInstanceOf(Array);
    expect((one.goods_list as JsonObject[])[0]).toHaveProperty('goods_name');
    // Qimen custom APIs omit privacy fields (§6)
    if (transport === 'qimen') expect(one).not.toHaveProperty('receiver_mobile');
    else expect(one).toHaveProperty('receiver_mobile');
  });
});

describe('stockouts', () => {
  it('reads a 3-day range in one window; without a status only shipped/completed rows (§4)', async () => {
    const session = openSession(qimenConnection(emu), testContext());
    const window = { start: new Date(START - DAY), end: new Date(START + 3 * DAY) };
    const { records } = await readAll(session, spec('wdt.stockout.order.query.trade', 100, { window }));
    const expected: number[] = [];
    for (let id = 1; id <= 800; id++) if (Number(emu.control.get('stockouts', id)!.status) >= 95) expected.push(id);
    expect(records.map((r) => Number(r.stockout_id)).sort((a, b) => a - b)).toEqual(expected);
    expect(records.every((r) => Array.isArray(r.details_list))).toBe(true);
  });

  it('a window over 30 days is refused by the vendor', async () => {
    const session = openSession(openapiConnection(emu), testContext());
    const s = spec('stockout_order_query_trade.php', 100, { window: { start: new Date(START), end: new Date(START + 31 * DAY) } });
    await expect(session.fetchPage(s, session.first(s), AbortSignal.timeout(10_000))).rejects.toMatchObject({
      error: { action: 'fail_run', message: expect.stringContaining('不能大于30天') },
    });
  });
});

describe('window edges', () => {
  it('a window with no whole second in it makes no call', async () => {
    const ctx = testContext();
    const session = openSession(openapiConnection(emu), ctx);
    const s = spec('wdt.trade.query', 100, { window: { start: new Date(START + 100), end: new Date(START + 900) } });
    const page = await session.fetchPage(s, session.first(s), AbortSignal.timeout(1000));
    expect(page).toMatchObject({ records: [], next: null });
    expect(ctx.calls).toHaveLength(0);
  });

  it('the cursor carries the window, so a resumed read asks for the same one', async () => {
    const session = openSession(openapiConnection(emu), testContext());
    const s = spec('wdt.trade.query', 5, { window: { start: new Date(START), end: new Date(START + 3_600_000) } });
    const first = await session.fetchPage(s, session.first(s), AbortSignal.timeout(10_000));
    expect(first.next).toMatchObject({ page_no: 1, start_time: '2025-01-01 00:00:00', end_time: '2025-01-01 00:59:59' });
    const resumed = await session.fetchPage({ ...s, window: undefined }, JSON.parse(JSON.stringify(first.next)), AbortSignal.timeout(10_000));
    expect(resumed.label).toBe('2025-01-01 00:00:00/page 1');
    expect(resumed.records.map((r) => r.trade_id)).not.toEqual(first.records.map((r) => r.trade_id));
  });
});
