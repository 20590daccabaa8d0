import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteServerStore } from '../src/store/sqlite/server-store.ts';
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

  it('refuses a bad cron or time zone on save (400 with the path) and one bad stored schedule never breaks the list', async () => {
    for (const [schedule, path] of [
      [{ cron: '61 * * * *' }, '$.schedule.cron'],
      [{ cron: 'every minute' }, '$.schedule.cron'],
      [{ cron: '0 3 * * *', timezone: 'Mars/Base' }, '$.schedule.timezone'],
    ] as const) {
      const r = await api.post('/api/schemes', { text: JSON.stringify({ ...SEED, name: 'bad-schedule', schedule }) });
      expect(r.status, JSON.stringify(schedule)).toBe(400);
      expect(JSON.stringify(r.json)).toContain(path);
    }
    // A scheme stored before schedules were checked (written to the store directly, as an old version did).
    const store = new SqliteServerStore(join(w.dir, 'ferry.sqlite'));
    const at = Date.now();
    await store.putScheme({ name: 'legacy-bad', text: JSON.stringify({ ...SEED, name: 'legacy-bad', schedule: { cron: '61 * * * *', timezone: 'Mars/Base' } }), enabled: true, createdAt: at, updatedAt: at });
    await store.close();
    expect((await api.post('/api/schemes', { text: JSON.stringify({ ...SEED, name: 'good-schedule', schedule: { cron: '0 3 * * *', timezone: 'UTC' } }) })).status).toBe(201);
    const listed = await api.get('/api/schedules');
    expect(listed.status).toBe(200);
    const rows = listed.json as { scheme: string; next: string | null; problem?: string; timezone: string }[];
    expect(rows.map((r) => r.scheme).sort()).toEqual(['good-schedule', 'legacy-bad']);
    const bad = rows.find((r) => r.scheme === 'legacy-bad')!;
    expect(bad.next).toBeNull();
    expect(bad.timezone).toBe('Mars/Base');
    expect(bad.problem).toMatch(/\$\.schedule\.cron: "61 \* \* \* \*" is not a valid cron expression/);
    expect(bad.problem).toMatch(/\$\.schedule\.timezone: "Mars\/Base" is not an IANA time zone/);
    expect(rows.find((r) => r.scheme === 'good-schedule')!.next).toMatch(/T03:00:00/);
  }, 30_000);

  it('POST /api/schemes refuses what a run would refuse: platform options, duplicate keys, text that was not UTF-8', async () => {
    const post = (text: string) => api.post('/api/schemes', { text });
    const wdtPage = await post(JSON.stringify({ ...SEED, name: 'page-1000', source: { ...(SEED.source as object), pagination: { pageSize: 1000 } } }));
    expect(wdtPage.status).toBe(400);
    expect(JSON.stringify(wdtPage.json)).toContain('$.source.pagination.pageSize: WDT pages hold 1–100 records');
    const target = SEED.target as { otherRequest: unknown[] };
    const noForm = await post(JSON.stringify({ ...SEED, name: 'no-form', target: { ...target, otherRequest: target.otherRequest.slice(1) } }));
    expect(noForm.status).toBe(400);
    expect(JSON.stringify(noForm.json)).toContain('a Kingdee target needs a FormId');
    const dup = await post(JSON.stringify(SEED, null, 2).replace('"name": "店铺同步客户",', '"name": "a",\n  "name": "b",'));
    expect(dup.status).toBe(400);
    expect(JSON.stringify(dup.json)).toContain('duplicate key \\"name\\" at line 3, column 3 and line 4, column 3');
    const garbled = await post(JSON.stringify({ ...SEED, name: '\uFFFD\uFFFD同步' }));
    expect(garbled.status).toBe(400);
    expect(JSON.stringify(garbled.json)).toContain('not UTF-8');
    const bom = await post('\uFEFF' + JSON.stringify({ ...SEED, name: 'with-bom' }));
    expect(bom.status).toBe(201);
  });
});
