import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, startServerWorld, until, type ServerWorld } from './server-support.ts';

/**
 * Issue 18, item 5: two schemes whose connections reach the same WDT account (different connection names, same
 * sid and app key) run at once in one `ferry serve` against the WDT emulator's per-second limit (4 calls/s per
 * sid). Their connection sets the account's budget (3/s); they share it, so the emulator never answers 1012 and
 * no calendar second carries more than 4 calls to it. With one bucket per run (before) they sent ~6/s together.
 */
const SEED = readFileSync(new URL('../examples/shop-to-customer.json', import.meta.url), 'utf8');
const LIMIT = 4;

describe('one rate limit per vendor account in ferry serve', () => {
  let w: ServerWorld;
  const sent: { url: string; at: number }[] = [];
  const counting: typeof fetch = (input, init) => {
    sent.push({ url: typeof input === 'string' ? input : input instanceof URL ? input.href : input.url, at: Date.now() });
    return fetch(input, init);
  };
  beforeAll(async () => {
    w = await startServerWorld({ shops: 800, orgNumbers: ['100'], wdt: { rateLimit: LIMIT }, server: { fetch: counting } });
  });
  afterAll(async () => w?.close());

  it('two schemes on one WDT account run at once without a 1012 and within the per-second limit', async () => {
    const api = await apiClient(w.url);
    const account = { ...w.connections.wdt, rateLimit: { perSecond: LIMIT - 1 }, rateLimitRetryMs: 1000 };
    expect((await api.put('/api/connections/wdt', { platform: 'wdt', config: account })).status).toBe(200);
    expect((await api.put('/api/connections/wdt-second', { platform: 'wdt', config: account })).status).toBe(200);
    expect((await api.put('/api/connections/kingdee', { platform: 'kingdee', config: w.connections.kingdee })).status).toBe(200);
    const second = JSON.parse(SEED) as { name: string; source: { connection: string } };
    second.name = '店铺同步客户-副本';
    second.source.connection = 'wdt-second';
    expect((await api.post('/api/schemes', { text: SEED })).status).toBe(201);
    expect((await api.post('/api/schemes', { text: JSON.stringify(second) })).status).toBe(201);

    const ids = await Promise.all(['店铺同步客户', '店铺同步客户-副本'].map(async (s) => String((await api.post(`/api/schemes/${encodeURIComponent(s)}/run`)).json.runId)));
    const runs = await Promise.all(ids.map((id) => until(async () => {
      const r = await api.get(`/api/runs/${id}`);
      return r.json.status !== 'running' ? r.json : undefined;
    })));
    for (const r of runs) expect(r.counts.read, JSON.stringify(r.counts)).toBe(800 - 16); // every 50th shop disabled

    const stats = w.wdt.control.stats();
    expect(stats.byCode['1012'] ?? 0).toBe(0);
    const wdtCalls = sent.filter((s) => s.url.startsWith(w.wdt.qimenUrl));
    expect(wdtCalls.length).toBeGreaterThanOrEqual(2 * 8);
    const perSecond = new Map<number, number>();
    for (const c of wdtCalls) perSecond.set(Math.floor(c.at / 1000), (perSecond.get(Math.floor(c.at / 1000)) ?? 0) + 1);
    expect(Math.max(...perSecond.values())).toBeLessThanOrEqual(LIMIT);
  });
});
