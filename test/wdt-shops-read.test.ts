import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WdtEmulator } from '../src/emulators/wdt/index.ts';
import { startWdtEmulator } from '../src/emulators/wdt/index.ts';
import { openSession, openapiConnection, qimenConnection, readAll, spec, testContext } from './wdt-support.ts';

/**
 * 100,000 shops read through each transport at page_size 100, against the emulator over real HTTP:
 * every shop exactly once. 2% of the shops are disabled and only come back with is_disabled=1 (§3).
 */

const SHOPS = 100_000;
let emu: WdtEmulator;

beforeAll(async () => {
  emu = await startWdtEmulator({ shops: SHOPS, seed: 7, orgNumbers: ['100', '101'] });
});
afterAll(async () => {
  await emu.close();
});

describe.each([
  ['openapi', () => openapiConnection(emu)],
  ['qimen', () => qimenConnection(emu)],
  ['qimen hmac', () => qimenConnection(emu, { signMethod: 'hmac' })],
])('100,000 shops over %s', (transport, connection) => {
  it('reads every shop exactly once', async () => {
    emu.control.resetStats();
    const ctx = testContext('shops-' + transport.replace(' ', '-'));
    const session = openSession(connection(), ctx);
    const active = await readAll(session, spec('wdt.shop.query', 100));
    const disabled = await readAll(session, spec('wdt.shop.query', 100, { params: { is_disabled: true } }));

    const ids = [...active.records, ...disabled.records].map((r) => Number(r.shop_id));
    expect(ids.length).toBe(SHOPS);
    expect(new Set(ids).size).toBe(SHOPS);
    expect(ids.reduce((a, b) => Math.min(a, b))).toBe(1);
    expect(ids.reduce((a, b) => Math.max(a, b))).toBe(SHOPS);
    expect(active.records.length).toBe(98_000);
    expect(disabled.records.every((r) => String(r.is_disabled) === '1')).toBe(true);
    expect(active.records.every((r) => String(r.is_disabled) === '0')).toBe(true);

    // pages: 980 full pages reach total_count on a page boundary, so one more (empty) page confirms the end
    // (a total smaller than the truth would otherwise end the read there); labels count from 0
    expect(active.pages.length).toBe(981);
    expect(active.pages[980]!.records.length).toBe(0);
    expect(active.pages[0]!.label).toBe('0');
    expect(active.pages[979]!.label).toBe('979');
    expect(active.pages[0]!.totalCount).toBe(98_000);
    expect(active.records[0]).toMatchObject({ shop_id: 1, shop_no: 'SHOP000001', remark: '100' });
    expect(String(active.records[1]!.shop_name)).toMatch(/(旗舰店|专卖店|专营店|官方店|直营店)$/);

    // one API call per page, reported once each, without secrets
    const pages = active.pages.length + disabled.pages.length;
    expect(emu.control.stats().byApi['wdt.shop.query']!.calls).toBe(pages);
    expect(ctx.calls.length).toBe(pages);
    expect(ctx.calls.every((c) => c.ok && c.api === 'wdt.shop.query' && c.connection === ctx.connection)).toBe(true);
    const logged = JSON.stringify(ctx.calls);
    expect(logged).not.toContain(emu.accounts[0]!.appsecret);
    expect(logged).not.toContain(emu.qimenApps[0]!.appSecret);
    expect(logged).not.toContain('sign=');
  });
});

describe('page boundaries', () => {
  it('reads on after a short page to an empty one when total_count is absent (a short page may be a capped one)', async () => {
    const small = await startWdtEmulator({ shops: 250, totalCount: 'none' });
    try {
      const { records, pages } = await readAll(openSession(openapiConnection(small), testContext()), spec('shop.php', 40));
      expect(records.length).toBe(245); // 5 of 250 are disabled
      expect(pages.length).toBe(8);
      expect(pages.map((p) => p.records.length).slice(-2)).toEqual([5, 0]);
      expect(pages.every((p) => p.totalCount === undefined)).toBe(true);
    } finally {
      await small.close();
    }
  });

  it('remembers total_count from page 0 when later pages omit it, and stops once exactly that many were read and an empty page confirms it', async () => {
    const small = await startWdtEmulator({ shops: 102, totalCount: 'first', numbers: 'string' });
    try {
      const { records, pages } = await readAll(openSession(qimenConnection(small), testContext()), spec('wdt.shop.query', 50));
      expect(records.length).toBe(100);
      expect(pages.map((p) => p.records.length)).toEqual([50, 50, 0]); // the total falls on a page boundary: confirmed
      expect(pages[0]!.totalCount).toBe(100); // "100" coerced
      expect(records[0]!.shop_id).toBe('1'); // records are passed through as the vendor wrote them
    } finally {
      await small.close();
    }
  });
});
