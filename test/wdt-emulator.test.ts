import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WdtEmulator } from '../src/emulators/wdt/index.ts';
import { startWdtEmulator } from '../src/emulators/wdt/index.ts';
import { formatBeijingTime, signOpenApi, signQimen } from '../src/platforms/wdt/index.ts';
import { openSession, openapiConnection, readAll, spec, testContext } from './wdt-support.ts';

/** The emulator's own behaviour, over raw HTTP: what the vendor does, as the reference describes it. */

let emu: WdtEmulator;
beforeAll(async () => {
  emu = await startWdtEmulator({ shops: 300, trades: 1000, orgNumbers: ['200', '300'] });
});
afterAll(async () => {
  await emu.close();
});

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function openapi(e: WdtEmulator, endpoint: string, business: Record<string, string>, opts: { secret?: string; unit?: 'char' | 'byte'; now?: number } = {}): Promise<Json> {
  const a = e.accounts[0]!;
  const p: Record<string, string> = { ...business, sid: a.sid, appkey: a.appkey, timestamp: String(Math.floor((opts.now ?? Date.now()) / 1000)) };
  p.sign = signOpenApi(p, opts.secret ?? a.appsecret, opts.unit);
  const res = await fetch(`${e.openapiUrl}${endpoint}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(p) });
  return (await res.json()) as Json;
}

async function qimen(e: WdtEmulator, method: string, business: Record<string, string>, opts: { path?: string; timestamp?: string; get?: boolean; signMethod?: 'md5' | 'hmac' } = {}): Promise<Json> {
  const app = e.qimenApps[0]!;
  const p: Record<string, string> = {
    ...business, method, app_key: app.appKey, target_app_key: e.targetAppKey, sid: e.accounts[0]!.sid, format: 'json', v: '2.0',
    sign_method: opts.signMethod ?? 'md5', timestamp: opts.timestamp ?? formatBeijingTime(Date.now()),
  };
  p.sign = signQimen(p, app.appSecret, opts.signMethod ?? 'md5');
  const url = `${e.url}${opts.path ?? '/router/qm'}?${new URLSearchParams(p)}`;
  const res = await fetch(url, { method: opts.get ? 'GET' : 'POST' });
  return (await res.json()) as Json;
}

describe('enterprise open API', () => {
  it('answers the documented envelope with shops, remark from orgNumbers', async () => {
    const r = await openapi(emu, 'shop.php', { page_no: '0', page_size: '3' });
    expect(r).toMatchObject({ code: 0, message: '', total_count: 294 });
    expect(r.shoplist).toHaveLength(3);
    expect(r.shoplist.map((s: Json) => s.remark)).toEqual(['200', '300', '200']);
    expect(Object.keys(r.shoplist[0])).toEqual(expect.arrayContaining(['shop_id', 'shop_no', 'shop_name', 'platform_id', 'province', 'city', 'district', 'contact', 'modified', 'is_disabled']));
  });

  it('counts characters; byte-length signs only pass behind the option', async () => {
    const business = { shop_no: '店铺000014', page_no: '0', page_size: '10' };
    expect((await openapi(emu, 'shop.php', business)).shoplist).toHaveLength(1); // the Chinese shop_no
    expect(await openapi(emu, 'shop.php', business, { unit: 'byte' })).toMatchObject({ code: 1, message: expect.stringContaining('签名') });
    const lenient = await startWdtEmulator({ shops: 20, acceptByteLengthSign: true });
    try {
      expect((await openapi(lenient, 'shop.php', business, { unit: 'byte' })).code).toBe(0);
      expect((await openapi(lenient, 'shop.php', business)).code).toBe(0);
    } finally {
      await lenient.close();
    }
  });

  it('checks the ±5 minute timestamp window', async () => {
    expect((await openapi(emu, 'shop.php', {}, { now: Date.now() - 4 * 60_000 })).code).toBe(0);
    expect(await openapi(emu, 'shop.php', {}, { now: Date.now() + 6 * 60_000 })).toMatchObject({ code: 7 });
  });

  it('rejects page_size outside 1–100, or clamps when configured', async () => {
    expect(await openapi(emu, 'shop.php', { page_size: '101' })).toMatchObject({ code: 100, message: expect.stringContaining('page_size') });
    expect(await openapi(emu, 'shop.php', { page_size: '0' })).toMatchObject({ code: 100 });
    const clamp = await startWdtEmulator({ shops: 300, pageSizeOutOfRange: 'clamp' });
    try {
      expect((await openapi(clamp, 'shop.php', { page_size: '500' })).shoplist).toHaveLength(100);
    } finally {
      await clamp.close();
    }
  });

  it('trade_query needs start/end, enforces 60 minutes, and returns [] past the last page', async () => {
    expect(await openapi(emu, 'trade_query.php', {})).toMatchObject({ code: 100, message: '参数中必须包含起止时间' });
    const hour = { start_time: '2025-01-01 00:00:00', end_time: '2025-01-01 01:00:00' };
    expect((await openapi(emu, 'trade_query.php', hour)).code).toBe(0);
    expect(await openapi(emu, 'trade_query.php', { ...hour, end_time: '2025-01-01 01:00:01' })).toMatchObject({ code: 100, message: expect.stringContaining('60分钟') });
    const past = await openapi(emu, 'trade_query.php', { ...hour, page_no: '50' });
    expect(past).toMatchObject({ code: 0, trades: [] });
  });

  it('an unknown endpoint is an HTTP 404', async () => {
    const res = await fetch(`${emu.openapiUrl}nothing_here.php`, { method: 'POST' });
    expect(res.status).toBe(404);
  });
});

describe('Qimen', () => {
  it('answers {response:{errorcode:0,…}} for both method spellings, POST or GET, md5 or hmac', async () => {
    for (const method of ['wdt.shop.query', 'hu3cgwt0tc.wdt.shop.query']) {
      const r = await qimen(emu, method, { page_size: '2' });
      expect(r.response).toMatchObject({ errorcode: 0, total_count: 294 });
      expect(r.response.shoplist).toHaveLength(2);
    }
    expect((await qimen(emu, 'wdt.shop.query', {}, { get: true, signMethod: 'hmac' })).response.errorcode).toBe(0);
    expect((await qimen(emu, 'wdt.shop.query', {}, { timestamp: String(Date.now()) })).response.errorcode).toBe(0);
  });

  it('gateway refusals in the Qimen and TOP shapes', async () => {
    const app = emu.qimenApps[0]!;
    const p = { method: 'wdt.shop.query', app_key: app.appKey, target_app_key: emu.targetAppKey, sid: 'apidevnew2', sign_method: 'md5', timestamp: formatBeijingTime(Date.now()), sign: 'BAD' };
    const qm = (await (await fetch(`${emu.qimenUrl}?${new URLSearchParams(p)}`, { method: 'POST' })).json()) as Json;
    expect(qm).toEqual({ response: { flag: 'failure', code: 'sign-check-failure', message: 'Illegal request', sub_code: 'sign-check-failure', sub_message: 'Illegal request' } });
    const rest = (await (await fetch(`${emu.url}/router/rest?${new URLSearchParams(p)}`, { method: 'POST' })).json()) as Json;
    expect(rest.error_response).toMatchObject({ code: 25, sub_code: 'isv.sign-check-failure' });
    expect((await qimen(emu, 'wdt.nothing.query', {})).response).toMatchObject({ flag: 'failure', code: 'invalid-method' });
  });

  it('vendor errors keep the enterprise codes', async () => {
    const r = await qimen(emu, 'wdt.trade.query', { start_time: '2025-01-01 00:00:00', end_time: '2025-01-01 03:00:00' });
    expect(r.response).toMatchObject({ errorcode: 100, message: expect.stringContaining('60分钟') });
  });
});

describe('options and control', () => {
  it('numbers as strings and total_count only on page 0', async () => {
    const e = await startWdtEmulator({ shops: 30, numbers: 'string', totalCount: 'first' });
    try {
      const p0 = await openapi(e, 'shop.php', { page_size: '10' });
      expect(p0).toMatchObject({ code: 0, total_count: '30' });
      expect(p0.shoplist[0].shop_id).toBe('1');
      const p1 = await openapi(e, 'shop.php', { page_size: '10', page_no: '1' });
      expect(p1).not.toHaveProperty('total_count');
    } finally {
      await e.close();
    }
  });

  it('is deterministic from the seed', async () => {
    const [a, b, c] = await Promise.all([startWdtEmulator({ seed: 5 }), startWdtEmulator({ seed: 5 }), startWdtEmulator({ seed: 6 })]);
    try {
      expect(a.control.get('trades', 17)).toEqual(b.control.get('trades', 17));
      expect(a.control.get('trades', 17)).not.toEqual(c.control.get('trades', 17));
    } finally {
      await Promise.all([a.close(), b.close(), c.close()]);
    }
  });

  it('control endpoints: faults, stats (per API and sid), data changes', async () => {
    const e = await startWdtEmulator({ shops: 20 });
    try {
      const post = async (path: string, body: unknown) =>
        (await (await fetch(`${e.url}${path}`, { method: 'POST', body: JSON.stringify(body) })).json()) as Json;
      expect(await post('/__control/faults', { script: ['5xx'] })).toMatchObject({ script: ['5xx'] });
      expect(await post('/__control/faults', { rate5xx: 3 })).toMatchObject({ error: expect.stringContaining('rate5xx') });
      const failed = await fetch(`${e.openapiUrl}shop.php`, { method: 'POST' });
      expect(failed.status).toBe(502);
      await openapi(e, 'shop.php', {});
      await qimen(e, 'wdt.shop.query', {});
      const stats = (await (await fetch(`${e.url}/__control/stats`)).json()) as Json;
      expect(stats.byApi['wdt.shop.query']).toEqual({ calls: 3, ok: 2, errors: 0, faults: 1 });
      expect(stats.bySid).toEqual({ apidevnew2: 2 });
      expect(stats.byTransport).toEqual({ openapi: 2, qimen: 1 });

      const changed = await post('/__control/data', { dataset: 'shops', modify: [{ id: 2, set: { shop_name: '改名旗舰店' } }], add: [{ shop_no: 'NEW01', shop_name: '新开旗舰店' }] });
      expect(changed.modified[0]).toMatchObject({ shop_id: 2, shop_name: '改名旗舰店' });
      expect(changed.added[0]).toMatchObject({ shop_id: 21, shop_no: 'NEW01' });
      const all = (await openapi(e, 'shop.php', { page_size: '100' })).shoplist as Json[];
      expect(all.find((s) => s.shop_id === 2)!.shop_name).toBe('改名旗舰店');
      expect(all.some((s) => s.shop_no === 'NEW01')).toBe(true);
      expect(await post('/__control/data', { dataset: 'nope' })).toHaveProperty('error');
    } finally {
      await e.close();
    }
  });

  it('churn: a record modified mid-read moves, so a forward read of a window misses one (the §6 gotcha)', async () => {
    const e = await startWdtEmulator({ trades: 3000, churn: { everyCalls: 1, dataset: 'trades' } });
    try {
      let expected = 0;
      for (let id = 1; id <= 100; id++) if (String(e.control.get('trades', id)!.modified) < '2025-01-01 01:00:00') expected++;
      expect(expected).toBe(42); // 3000 trades over 3 days
      const session = openSession(openapiConnection(e), testContext());
      const window = { start: new Date('2024-12-31T16:00:00Z'), end: new Date('2024-12-31T17:00:00Z') };
      const { records } = await readAll(session, spec('wdt.trade.query', 5, { window }));
      expect(records.length).toBeLessThan(expected);
      expect(new Set(records.map((r) => r.trade_id)).size).toBe(records.length);
      expect(e.control.get('trades', 1)!.modified).not.toBe('2025-01-01 00:00:00'); // first record of page 0 moved
    } finally {
      await e.close();
    }
  });
});
