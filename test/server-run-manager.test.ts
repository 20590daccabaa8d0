import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '../src/engine/events.ts';
import { apiClient, startServerWorld, until, type ServerWorld } from './server-support.ts';

const SEED = readFileSync(new URL('../examples/shop-to-customer.json', import.meta.url), 'utf8');
const NAME = '店铺同步客户';

/** The RunManager inside the server: one run per scheme, cancel, live events over SSE, then resume. */
describe('ferry serve: running schemes', () => {
  let w: ServerWorld;
  let api: Awaited<ReturnType<typeof apiClient>>;
  beforeAll(async () => {
    // 30 pages of 100 shops, each WDT call slowed down, so the run is still going when we act on it.
    w = await startServerWorld({ shops: 3000, orgNumbers: ['100'], wdt: { faults: { latencyMs: 150 } } });
    api = await apiClient(w.url);
    await api.put('/api/connections/wdt', { platform: 'wdt', config: w.connections.wdt });
    await api.put('/api/connections/kingdee', { platform: 'kingdee', config: w.connections.kingdee });
    await api.post('/api/schemes', { text: SEED });
  });
  afterAll(async () => w?.close());

  it('runs one run per scheme, streams its events, cancels it, and the next run resumes from the checkpoint', async () => {
    const events: RunEvent[] = [];
    const off = w.server.runs.on((e) => events.push(e));
    const { runId } = await w.server.runs.startRun(NAME, 'manual');
    expect(w.server.runs.isRunning(NAME)).toBe(true);
    await expect(w.server.runs.startRun(NAME, 'schedule')).rejects.toMatchObject({ statusCode: 409 });
    expect((await api.post(`/api/schemes/${encodeURIComponent(NAME)}/run`)).status).toBe(409);

    // Server-Sent Events of the run, read until a committed page and a progress event arrived.
    const ac = new AbortController();
    const res = await fetch(`${w.url}/api/runs/${runId}/stream`, { headers: { cookie: api.cookie }, signal: ac.signal });
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const reader = res.body!.getReader();
    let sse = '';
    while (!(sse.includes('event: page.committed') && sse.includes('event: progress'))) sse += new TextDecoder().decode((await reader.read()).value);
    ac.abort();

    const live = (await api.get('/api/runs/active')).json as { runId: string; counts: { read: number } }[];
    expect(live.map((r) => r.runId)).toEqual([runId]);
    expect((await api.post(`/api/runs/${runId}/cancel`)).json).toEqual({ cancelled: true });
    const cancelled = await until(async () => {
      const r = (await api.get(`/api/runs/${runId}`)).json;
      return r.status === 'running' ? undefined : r;
    });
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.counts.read).toBeLessThan(2940);
    expect(w.server.runs.isRunning(NAME)).toBe(false);
    expect((await api.post(`/api/runs/${runId}/cancel`)).status).toBe(404);

    const second = await w.server.runs.startRun(NAME, 'schedule');
    const report = await second.done;
    off();
    expect(report?.status).toBe('succeeded');
    // Every 50th shop is disabled and not listed: 2940 active shops, each created exactly once over both runs.
    expect(cancelled.counts.created + report!.counts.created).toBe(2940);
    expect([...w.kingdee.records('BD_Customer')].length).toBe(2940);
    expect(events.find((e) => e.type === 'run.started' && e.runId === second.runId)).toMatchObject({ trigger: 'schedule', resumed: true });
    const runs = (await api.get(`/api/runs?scheme=${encodeURIComponent(NAME)}`)).json as { status: string; trigger: string }[];
    expect(runs.map((r) => `${r.trigger}:${r.status}`)).toEqual(['schedule:succeeded', 'manual:cancelled']);
    const finished = (await api.get(`/api/runs/${runId}/events?type=run.finished`)).json as { message: string; level: string }[];
    expect(finished[0]).toMatchObject({ level: 'error' });
    expect(finished[0]!.message).toMatch(/cancelled/);
  });
});
