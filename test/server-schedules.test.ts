import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, startServerWorld, until, type ServerWorld } from './server-support.ts';

const SEED = JSON.parse(readFileSync(new URL('../examples/shop-to-customer.json', import.meta.url), 'utf8')) as Record<string, unknown>;

/** Issue 7 inside `ferry serve`: a scheme's cron schedule starts runs through the run manager. */
describe('ferry serve: schedules', () => {
  let w: ServerWorld;
  let api: Awaited<ReturnType<typeof apiClient>>;
  beforeAll(async () => {
    w = await startServerWorld({ shops: 30, orgNumbers: ['100'] });
    api = await apiClient(w.url);
  });
  afterAll(async () => w?.close());

  it('runs a scheduled scheme on its cron, and stops when the scheme is disabled', async () => {
    expect((await api.put('/api/connections/wdt', { platform: 'wdt', config: w.connections.wdt })).status).toBe(200);
    expect((await api.put('/api/connections/kingdee', { platform: 'kingdee', config: w.connections.kingdee })).status).toBe(200);
    const scheme = { ...SEED, schedule: { cron: '*/2 * * * * *', overlap: 'skip' } };
    expect((await api.post('/api/schemes', { text: JSON.stringify(scheme) })).status).toBe(201);
    const listed = await api.get('/api/schedules');
    expect((listed.json as { scheme: string; next: string | null }[]).map((s) => s.scheme)).toEqual(['店铺同步客户']);
    expect((listed.json as { next: string | null }[])[0]!.next).toBeTruthy();

    const scheduled = () => api.get(`/api/runs?scheme=${encodeURIComponent('店铺同步客户')}`).then((r) => (r.json.rows ?? r.json) as { trigger: string; status: string; counts: { created: number; skipped: number } }[]);
    const runs = await until(async () => {
      const rows = (await scheduled()).filter((r) => r.trigger === 'schedule' && r.status !== 'running');
      return rows.length >= 2 ? rows : undefined;
    });
    const created = runs.reduce((a, r) => a + r.counts.created, 0);
    expect(created).toBe(30); // the first scheduled run creates them; later ones skip them unchanged
    expect(runs.every((r) => r.status === 'succeeded')).toBe(true);

    expect((await api.post(`/api/schemes/${encodeURIComponent('店铺同步客户')}/enabled`, { enabled: false })).status).toBe(200);
    expect((await api.get('/api/schedules')).json).toEqual([]);
  }, 60_000);
});
