import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, startServerWorld, until, type ServerWorld } from './server-support.ts';

const SEED = readFileSync(new URL('../examples/shop-to-customer.json', import.meta.url), 'utf8');
const SCHEME = encodeURIComponent('店铺同步客户');

describe('ferry serve: the seed scheme through the API', () => {
  let w: ServerWorld;
  let api: Awaited<ReturnType<typeof apiClient>>;
  beforeAll(async () => {
    w = await startServerWorld({ shops: 40, orgNumbers: ['100', '999'] });
    api = await apiClient(w.url);
  });
  afterAll(async () => w?.close());

  const finished = (runId: string) =>
    until(async () => {
      const r = await api.get(`/api/runs/${runId}`);
      return r.json.status !== 'running' ? r.json : undefined;
    });

  it('creates connections, tests them, stores the scheme, runs it, and replays a fixed rejected record', async () => {
    expect((await api.put('/api/connections/wdt', { platform: 'wdt', config: w.connections.wdt })).status).toBe(200);
    expect((await api.put('/api/connections/kingdee', { platform: 'kingdee', config: w.connections.kingdee })).status).toBe(200);
    const tw = await api.post('/api/connections/wdt/test');
    expect(tw.json).toMatchObject({ ok: true, side: 'source', api: 'wdt.shop.query' });
    const tk = await api.post('/api/connections/kingdee/test');
    expect(tk.json).toMatchObject({ ok: true, side: 'target' });

    const bad = await api.put('/api/connections/kingdee2', { platform: 'kingdee', config: { ...w.connections.kingdee, appSecret: 'wrong-secret-value' } });
    expect(bad.status).toBe(200);
    const tb = await api.post('/api/connections/kingdee2/test');
    expect(tb.json.ok).toBe(false);
    expect(String(tb.json.message).length).toBeGreaterThan(0);
    expect(tb.text).not.toContain('wrong-secret-value');

    const v = await api.post('/api/schemes/validate', { text: SEED });
    expect(v.json).toMatchObject({ ok: true, problems: [], warnings: [] });
    const created = await api.post('/api/schemes', { text: SEED });
    expect(created.status).toBe(201);

    const preview = await api.post('/api/schemes/preview', { text: SEED, sample: 4 });
    expect(preview.json.ok).toBe(true);
    expect((preview.json.rows as unknown[]).length).toBe(4);

    const started = await api.post(`/api/schemes/${SCHEME}/run`);
    expect(started.status).toBe(202);
    const again = await api.post(`/api/schemes/${SCHEME}/run`);
    expect([202, 409]).toContain(again.status); // 409 while the first run is going
    const run = await finished(String(started.json.runId));
    expect(run.status).toBe('partial'); // half the records rejected: never a plain success
    // 40 shops, every 50th disabled (none of the first 40 is the 50th), remarks alternate 100 / 999.
    expect(run.counts.read).toBe(40);
    expect(run.counts.created).toBe(20);
    expect(run.counts.rejected).toBe(20);
    expect(run.report.reconciliation).toMatchObject({ written: 20, rejected: 20 });

    const events = await api.get(`/api/runs/${run.id}/events?limit=1000`);
    const types = new Set((events.json as { type: string }[]).map((e) => e.type));
    expect(types).toEqual(new Set(['run.started', 'page.committed', 'record.rejected', 'run.finished']));
    const calls = await api.get(`/api/runs/${run.id}/calls`);
    expect((calls.json as { api: string }[]).some((c) => c.api === 'wdt.shop.query')).toBe(true);

    const quality = await api.get(`/api/runs/${run.id}/quality`);
    expect((quality.json as { count: number }[]).reduce((a, b) => a + b.count, 0)).toBe(20);

    const rejected = await api.get(`/api/records?scheme=${SCHEME}&status=rejected`);
    const rows = rejected.json.rows as { sourceId: string; sourceNumber: string; message: string }[];
    expect(rows).toHaveLength(20);
    const one = rows[0]!;
    const detail = await api.get(`/api/records/${SCHEME}/${one.sourceId}`);
    expect(detail.json.lineage.source.remark).toBe('999');
    expect(detail.json.lineage.payload.FUseOrgId).toEqual({ FNumber: '999' });

    const written = (await api.get(`/api/records?scheme=${SCHEME}&status=written&limit=1`)).json.rows[0];
    const wd = await api.get(`/api/records/${SCHEME}/${written.sourceId}`);
    expect(wd.json.lineage.source.shop_no).toBe(written.sourceNumber);
    expect(wd.json.lineage.payload.FNumber).toBe(written.sourceNumber);
    expect(wd.json.lineage.targetId).toBeTruthy();

    const found = await api.get(`/api/records?scheme=${SCHEME}&search=${encodeURIComponent(one.sourceNumber)}`);
    expect(found.json.rows).toHaveLength(1);

    expect((await api.put(`/api/records/${SCHEME}/${one.sourceId}/source`, { data: { ...detail.json.lineage.source, remark: '100' } })).status).toBe(200);
    const remap = await api.post(`/api/records/${SCHEME}/${one.sourceId}/remap`);
    expect(remap.json.rows[0].payload.FUseOrgId).toEqual({ FNumber: '100' });
    const replay = await api.post(`/api/records/${SCHEME}/replay`, { ids: [one.sourceId] });
    expect(replay.status).toBe(202);
    const rr = await finished(String(replay.json.runId));
    expect(rr.counts).toMatchObject({ read: 1, created: 1, rejected: 0 });
    const after = await api.get(`/api/records/${SCHEME}/${one.sourceId}`);
    expect(after.json.status).toBe('written');
    expect(after.json.lineage.source.remark).toBe('100');
    expect([...w.kingdee.records('BD_Customer')].length).toBe(21);

    const apis = await api.get('/api/apis');
    const shop = (apis.json.apis as { api: string; calls: number; p50Ms: number | null; usedBy: unknown[] }[]).find((a) => a.api === 'wdt.shop.query')!;
    expect(shop.calls).toBeGreaterThan(0);
    expect(shop.p50Ms).not.toBeNull();
    expect(shop.usedBy).toEqual([{ scheme: '店铺同步客户', side: 'source' }]);

    const metrics = await api.get('/metrics');
    expect(metrics.text).toMatch(/ferry_records_total\{scheme="店铺同步客户",outcome="created"\} 21/);
    expect(metrics.text).toMatch(/ferry_runs_total\{scheme="店铺同步客户",status="partial",trigger="manual"\} 1/);
    expect(metrics.text).toMatch(/ferry_api_call_duration_seconds_bucket\{le="[\d.]+",platform="wdt",api="wdt.shop.query"\}/);

    const dash = await api.get('/api/dashboard');
    expect(dash.json.totals).toMatchObject({ runs: 2, read: 41, written: 21, rejected: 20, openRejected: 19 });

    const q = await api.get(`/api/schemes/${SCHEME}/quality`);
    expect(q.json.ledger).toMatchObject({ written: 21, rejected: 19 });
  });

  it('refuses to run a disabled scheme', async () => {
    expect((await api.post(`/api/schemes/${SCHEME}/enabled`, { enabled: false })).status).toBe(200);
    const r = await api.post(`/api/schemes/${SCHEME}/run`);
    expect(r.status).toBe(409);
    expect(r.json.error).toMatch(/disabled/);
    await api.post(`/api/schemes/${SCHEME}/enabled`, { enabled: true });
  });
});
