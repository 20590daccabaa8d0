import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AlertService, MemoryAlertStore, alertRoutes } from '../src/server/alerts/index.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../src/server/alerts/testing/webhook-receiver.ts';
import { apiCall, counts, fakeClock, finished, testCipher, type FakeClock } from '../src/server/alerts/testing/fixtures.ts';
import type { RunStatus } from '../src/core/contracts/state-store.ts';

/**
 * Issue 18, item 4: anomaly rules compare a run with the median of the scheme's own last N runs. Real alert
 * service (fake clock, memory store) delivering to a local webhook server.
 */
const DAY = 24 * 3600_000;

let rx: WebhookReceiver;
let clock: FakeClock;
let svc: AlertService;
let channelId: string;

type Received = { alert: { state: string; scheme: string | null; runId: string | null; rule: { type: string }; facts: Record<string, unknown> }; message: { text: string } };
const received = (): Received[] => rx.requests.map((r) => r.json as Received);

beforeEach(async () => {
  rx = await startWebhookReceiver();
  clock = fakeClock();
  svc = await AlertService.create({ store: new MemoryAlertStore(testCipher), clock, language: 'en', consoleBaseUrl: 'http://console.local' });
  channelId = (await svc.config.createChannel({ type: 'webhook', name: 'rx', config: { url: `${rx.url}/hook` } })).id;
});

afterEach(async () => {
  await svc.close();
  await rx.close();
});

async function rule(r: Record<string, unknown> = {}) {
  return svc.config.createRule({ name: 'volume', type: 'anomaly', channels: [channelId], silenceMinutes: 0, ...r });
}

let n = 0;
/** One daily run of `scheme`; `calls` vendor calls of `callMs` each are fed as api.call events. */
function run(scheme: string, c: Parameters<typeof counts>[0], o: { status?: RunStatus; trigger?: string; calls?: number; callMs?: number } = {}): string {
  clock.advance(DAY);
  const id = `r${++n}`;
  svc.onRunEvent({ type: 'run.started', runId: id, scheme, trigger: o.trigger ?? 'schedule', at: clock.now(), resumed: false });
  for (let i = 0; i < (o.calls ?? 0); i++) svc.onRunEvent(apiCall(id, 'wdt', 'wdt.trade.query', true, clock.now(), { durationMs: o.callMs ?? 40 }));
  svc.onRunEvent(finished(id, o.status ?? 'succeeded', counts(c)));
  return id;
}

const normal = [2950, 3100, 3000, 2880, 3040];

describe('anomaly rule on records read (defaults: N = 10, minHistory 5, below 0.2, above 5)', () => {
  it('stays quiet while there is no history, even for a tiny run, then fires on a tenth of the usual volume', async () => {
    await rule();
    for (const read of normal.slice(0, 4)) run('orders', { read, created: read });
    run('orders', { read: 12, created: 12 }); // 5th run, only 4 earlier runs: no verdict
    await svc.idle();
    expect(rx.requests).toHaveLength(0);

    for (const read of normal) run('orders', { read, created: read });
    await svc.idle();
    expect(rx.requests).toHaveLength(0); // normal runs (the earlier tiny one is among the 10, the median barely moves)

    const low = run('orders', { read: 300, created: 300 });
    await svc.idle();
    expect(rx.requests).toHaveLength(1);
    const a = received()[0]!.alert;
    expect(a).toMatchObject({ state: 'firing', scheme: 'orders', runId: low, rule: { type: 'anomaly' } });
    expect(a.facts).toMatchObject({ type: 'anomaly', metric: 'records_read', direction: 'below', value: 300, median: 2975, thresholdRatio: 0.2, history: 10, lookbackRuns: 10 });
    const text = received()[0]!.message.text;
    expect(text).toContain('[ferry] Unusual run · orders');
    expect(text).toContain('This run: 300');
    expect(text).toContain('Usual: 2975 (median of the last 10 runs)');
    expect(text).toContain('10% of usual, below the 20% floor');

    for (const read of normal) run('orders', { read, created: read });
    await svc.idle();
    expect(rx.requests).toHaveLength(1); // back to normal: quiet
  });

  it('fires on a run that read nothing when the scheme usually reads something, and on 5× the usual', async () => {
    await rule();
    for (const read of normal) run('orders', { read, created: read });
    run('orders', { read: 0 });
    const high = run('orders', { read: 20_000, created: 20_000 });
    await svc.idle();
    expect(received().map((r) => [r.alert.facts.direction, r.alert.facts.value, r.alert.facts.zero ?? false])).toEqual([
      ['below', 0, true],
      ['above', 20_000, false],
    ]);
    expect(received()[0]!.message.text).toContain('nothing read, though');
    expect(received()[1]!.alert.runId).toBe(high);
  });

  it('ignores small schemes below minDelta, failed runs, other schemes and other triggers when asked', async () => {
    await rule({ schemes: ['orders'], triggers: ['schedule'] });
    for (const read of normal) run('orders', { read, created: read });
    run('orders', { read: 40, failed: 40 }, { status: 'failed' }); // a failed run is run_failed's business
    run('orders', { read: 25, created: 25 }, { trigger: 'manual' }); // a manual re-run of one shop
    for (let i = 0; i < 6; i++) run('refunds', { read: 3000 });
    run('refunds', { read: 1 }); // not in scope
    await svc.idle();
    expect(rx.requests).toHaveLength(0);

    await rule({ name: 'tiny', schemes: ['tiny'] });
    for (const read of [6, 5, 7, 6, 5]) run('tiny', { read, created: read });
    run('tiny', { read: 1, created: 1 }); // 1 < 6 × 0.2, but only 5 records fewer (minDelta 10)
    await svc.idle();
    expect(rx.requests).toHaveLength(0);
  });

  it('remembers the history of a restart from the stored runs (prime)', async () => {
    await rule();
    const t = clock.now();
    svc.prime(normal.map((read, i) => ({ id: `old${i}`, scheme: 'orders', status: 'succeeded' as const, trigger: 'schedule', startedAt: t - (i + 1) * DAY, endedAt: t - (i + 1) * DAY + 60_000, counts: counts({ read }) })));
    run('orders', { read: 290, created: 290 });
    await svc.idle();
    expect(rx.requests).toHaveLength(1);
    expect(received()[0]!.alert.facts).toMatchObject({ history: 5, median: 3000 });
  });
});

describe('anomaly rule on rejection rate and API latency', () => {
  it('fires when the rejection rate is far above the usual (ratio and minDelta in points)', async () => {
    await rule({ metric: 'rejection_rate' });
    for (const rej of [10, 20, 15, 10, 0]) run('orders', { read: 1000, created: 1000 - rej, rejected: rej }); // 0–2 %
    run('orders', { read: 1000, created: 970, rejected: 30 }); // 3 %: above 5 × 1 % but only 2 points up
    await svc.idle();
    expect(rx.requests).toHaveLength(0);
    run('orders', { read: 1000, created: 700, rejected: 300 });
    await svc.idle();
    expect(rx.requests).toHaveLength(1);
    expect(received()[0]!.alert.facts).toMatchObject({ metric: 'rejection_rate', direction: 'above', value: 30 });
    expect(received()[0]!.message.text).toContain('This run: 30.0%');
  });

  it('fires when the mean vendor call time is far above the usual', async () => {
    await rule({ metric: 'api_latency', aboveRatio: 3 });
    for (let i = 0; i < 5; i++) run('orders', { read: 300, created: 300 }, { calls: 4, callMs: 40 + i * 5 });
    run('orders', { read: 300, created: 300 }, { calls: 4, callMs: 100 }); // 2× usual: quiet
    await svc.idle();
    expect(rx.requests).toHaveLength(0);
    run('orders', { read: 300, created: 300 }, { calls: 4, callMs: 1500 });
    await svc.idle();
    expect(rx.requests).toHaveLength(1);
    expect(received()[0]!.alert.facts).toMatchObject({ metric: 'api_latency', direction: 'above', value: 1500 });
    expect(received()[0]!.message.text).toContain('Mean API call time');
  });
});

describe('anomaly rules through the API', () => {
  it('are created with defaults filled in, and bad settings are refused with 400', async () => {
    const routes = alertRoutes(svc);
    const post = routes.find((r) => r.method === 'POST' && r.url === '/api/alerts/rules')!;
    const ok = await post.handle({ body: { type: 'anomaly', name: 'orders volume', channels: [channelId], schemes: ['orders'] } });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ type: 'anomaly', metric: 'records_read', lookbackRuns: 10, minHistory: 5, belowRatio: 0.2, aboveRatio: 5 });
    const bad = await post.handle({ body: { type: 'anomaly', name: 'x', channels: [channelId], belowRatio: 2 } });
    expect(bad.status).toBe(400);
    const meta = await routes.find((r) => r.url === '/api/alerts/meta')!.handle({});
    expect(JSON.stringify(meta.body)).toContain('anomaly');
  });
});
