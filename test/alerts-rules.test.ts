import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AlertService, MemoryAlertStore, type AlertRuleInput } from '../src/server/alerts/index.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../src/server/alerts/testing/webhook-receiver.ts';
import { apiCall, counts, fakeClock, finished, started, testCipher, type FakeClock } from '../src/server/alerts/testing/fixtures.ts';

/** Each rule type fires when it should and stays quiet when it should not (fake clock, real HTTP). */
const MIN = 60_000;
const HOUR = 60 * MIN;

let rx: WebhookReceiver;
let clock: FakeClock;
let svc: AlertService;
let channelId: string;
let t0: number;

type Received = { alert: { state: string; scheme: string | null; runId: string | null; rule: { type: string; name: string }; facts: Record<string, unknown> }; message: { text: string } };
const received = (): Received[] => rx.requests.map((r) => r.json as Received);

beforeEach(async () => {
  rx = await startWebhookReceiver();
  clock = fakeClock();
  t0 = clock.now();
  svc = await AlertService.create({ store: new MemoryAlertStore(testCipher), clock, language: 'en', consoleBaseUrl: 'http://console.local' });
  channelId = (await svc.config.createChannel({ type: 'webhook', name: 'rx', config: { url: `${rx.url}/hook` } })).id;
});

afterEach(async () => {
  await svc.close();
  await rx.close();
});

/** A rule on the receiver channel; the body is validated by the service like an API request. */
async function rule(r: { type: AlertRuleInput['type'] } & Record<string, unknown>) {
  return svc.config.createRule({ name: r.type, channels: [channelId], ...r });
}

function run(runId: string, scheme: string, status: 'succeeded' | 'failed' | 'cancelled', c: Parameters<typeof counts>[0]) {
  svc.onRunEvent(started(runId, scheme, clock.now()));
  svc.onRunEvent(finished(runId, status, counts(c)));
}

describe('rejection rate over X% within a window (across runs of a scheme)', () => {
  beforeEach(async () => {
    await rule({ type: 'rejection_rate', thresholdPercent: 5, windowMinutes: 60, minRecords: 20 });
  });

  it('fires when the runs in the window add up to more than X%, quoting the numbers', async () => {
    run('a', 'shops', 'succeeded', { read: 100, created: 96, rejected: 4 });
    await svc.idle();
    expect(rx.requests).toHaveLength(0); // 4 %
    clock.advance(30 * MIN);
    run('b', 'shops', 'succeeded', { read: 50, created: 45, rejected: 5 });
    await svc.idle();
    expect(rx.requests).toHaveLength(1); // 9 / 150 = 6 %
    const a = received()[0]!.alert;
    expect(a.rule.type).toBe('rejection_rate');
    expect(a.scheme).toBe('shops');
    expect(a.runId).toBe('b');
    expect(a.facts).toMatchObject({ rejected: 9, processed: 150, runs: 2, thresholdPercent: 5, windowMinutes: 60 });
    expect(a.facts.ratePercent).toBeCloseTo(6, 5);
    expect(received()[0]!.message.text).toContain('6.00% > 5.00%');
  });

  it('does not fire when earlier runs in the window dilute a bad run below X%', async () => {
    run('a', 'shops', 'succeeded', { read: 100, created: 96, rejected: 4 });
    clock.advance(30 * MIN);
    run('b', 'shops', 'succeeded', { read: 30, created: 28, rejected: 2 }); // alone 6.7 %, together 6 / 130 = 4.6 %
    await svc.idle();
    expect(rx.requests).toHaveLength(0);
  });

  it('forgets runs that ended before the window', async () => {
    run('a', 'shops', 'succeeded', { read: 100, created: 96, rejected: 4 });
    clock.advance(90 * MIN);
    run('b', 'shops', 'succeeded', { read: 30, created: 28, rejected: 2 });
    await svc.idle();
    expect(rx.requests).toHaveLength(1);
    expect(received()[0]!.alert.facts).toMatchObject({ rejected: 2, processed: 30, runs: 1 });
  });

  it('gives no verdict below minRecords, and does not mix schemes', async () => {
    run('a', 'shops', 'succeeded', { read: 2, created: 1, rejected: 1 }); // 50 % of 2 records
    run('b', 'orders', 'succeeded', { read: 100, created: 100 });
    run('c', 'shops', 'succeeded', { read: 15, created: 15 }); // shops: 1 / 17 processed, still < 20
    await svc.idle();
    expect(rx.requests).toHaveLength(0);
  });
});

describe('no records for N hours', () => {
  beforeEach(async () => {
    await rule({ type: 'no_records', hours: 6, schemes: ['shops'] });
  });

  it('fires for a watched scheme that never delivered records once N hours passed since start', async () => {
    await svc.tick(t0 + 5 * HOUR);
    expect(rx.requests).toHaveLength(0);
    await svc.tick(t0 + 6 * HOUR + MIN);
    expect(rx.requests).toHaveLength(1);
    const a = received()[0]!.alert;
    expect(a.rule.type).toBe('no_records');
    expect(a.scheme).toBe('shops');
    expect(received()[0]!.message.text).toContain('Last records: never');
    await svc.tick(t0 + 7 * HOUR); // same condition, same N-hour period: nothing new
    expect(rx.requests).toHaveLength(1);
  });

  it('counts only successful runs that read records; runs that read 0 or failed do not reset it', async () => {
    clock.advance(HOUR);
    run('a', 'shops', 'succeeded', { read: 50, created: 50 });
    const lastRecords = clock.now();
    clock.advance(4 * HOUR);
    run('b', 'shops', 'succeeded', { read: 0 });
    run('c', 'shops', 'failed', { read: 80, created: 10, failed: 70 });
    await svc.tick(lastRecords + 6 * HOUR - MIN);
    expect(rx.requests).toHaveLength(0);
    await svc.tick(lastRecords + 6 * HOUR + MIN);
    expect(rx.requests).toHaveLength(1);
    expect(received()[0]!.alert.facts).toMatchObject({ hours: 6, lastRecordsAt: lastRecords, lastRunStatus: 'failed' });
    expect(received()[0]!.alert.runId).toBe('c');
  });

  it('is resolved by a run that reads records and only watches the schemes in scope', async () => {
    run('x', 'orders', 'succeeded', { read: 0 }); // not in scope
    await svc.tick(t0 + 7 * HOUR);
    expect(received().map((r) => r.alert.scheme)).toEqual(['shops']);
    clock.advance(7 * HOUR);
    run('a', 'shops', 'succeeded', { read: 5, created: 5 });
    await svc.tick(clock.now() + HOUR);
    expect(rx.requests).toHaveLength(1);
    const incidents = await svc.config.listIncidents({ open: 'true' });
    expect(incidents).toHaveLength(0);
  });
});

describe('API error rate over X% in a window (per connection and API, from api.call events)', () => {
  beforeEach(async () => {
    await rule({ type: 'api_error_rate', thresholdPercent: 20, windowMinutes: 10, minCalls: 10 });
    svc.onRunEvent(started('r1', 'shops', clock.now()));
  });

  const calls = (n: number, ok: boolean, api = 'Save', connection = 'kingdee-prod') => {
    for (let i = 0; i < n; i++) svc.onRunEvent(apiCall('r1', connection, api, ok, clock.now()));
  };

  it('waits for minCalls, then fires once for the connection + API', async () => {
    calls(4, true);
    calls(5, false); // 9 calls: below minCalls
    await svc.idle();
    expect(rx.requests).toHaveLength(0);
    calls(1, false); // 6 / 10 = 60 %
    calls(5, false);
    await svc.idle();
    expect(rx.requests).toHaveLength(1);
    const a = received()[0]!.alert;
    expect(a.rule.type).toBe('api_error_rate');
    expect(a.facts).toMatchObject({ connection: 'kingdee-prod', api: 'Save', calls: 10, errors: 6, schemes: ['shops'] });
    expect(a.facts.lastError).toContain('HTTP 500');
    expect(received()[0]!.message.text).toContain('kingdee-prod / Save');
  });

  it('stays quiet at or under the threshold and keeps APIs apart', async () => {
    calls(90, true);
    calls(10, false); // 10 %
    calls(10, true, 'ExecuteBillQuery');
    calls(2, false, 'ExecuteBillQuery'); // 2 / 12 = 16.7 %
    await svc.idle();
    expect(rx.requests).toHaveLength(0);
  });

  it('errors age out of the window; a later burst is a new alert', async () => {
    calls(10, false);
    await svc.idle();
    expect(rx.requests).toHaveLength(1);
    clock.advance(11 * MIN);
    await svc.tick(); // window empty → resolved
    calls(10, true);
    await svc.idle();
    expect(rx.requests).toHaveLength(1);
    calls(10, false); // 10 / 20 = 50 % again, condition was resolved → sent at once
    await svc.idle();
    expect(rx.requests).toHaveLength(2);
  });

  it('respects scheme scope and the connection filter', async () => {
    await svc.close();
    svc = await AlertService.create({ store: new MemoryAlertStore(testCipher), clock, language: 'en' });
    const ch = (await svc.config.createChannel({ type: 'webhook', name: 'rx', config: { url: `${rx.url}/hook` } })).id;
    await svc.config.createRule({ type: 'api_error_rate', name: 'orders only', channels: [ch], schemes: ['orders'], thresholdPercent: 20, minCalls: 5 });
    await svc.config.createRule({ type: 'api_error_rate', name: 'wdt only', channels: [ch], connections: ['wdt-main'], thresholdPercent: 20, minCalls: 5 });
    svc.onRunEvent(started('r1', 'shops', clock.now()));
    calls(10, false, 'Save', 'kingdee-prod');
    await svc.idle();
    expect(rx.requests).toHaveLength(0);
    calls(10, false, 'shops.query', 'wdt-main');
    await svc.idle();
    expect(received().map((r) => r.alert.rule.name)).toEqual(['wdt only']);
  });
});

describe('run longer than T (checked on tick)', () => {
  beforeEach(async () => {
    await rule({ type: 'long_run', maxMinutes: 30, silenceMinutes: 30 });
  });

  it('fires for a run still running after T, once per multiple of T, and not after it finished', async () => {
    svc.onRunEvent(started('slow', 'shops', t0));
    svc.onRunEvent({ type: 'progress', runId: 'slow', counts: counts({ read: 4000, created: 3900 }), elapsedMs: 29 * MIN });
    await svc.tick(t0 + 29 * MIN);
    expect(rx.requests).toHaveLength(0);
    await svc.tick(t0 + 31 * MIN);
    expect(rx.requests).toHaveLength(1);
    const a = received()[0]!.alert;
    expect(a).toMatchObject({ scheme: 'shops', runId: 'slow' });
    expect(a.facts).toMatchObject({ startedAt: t0, elapsedMs: 31 * MIN, maxMinutes: 30, counts: { read: 4000 } });
    await svc.tick(t0 + 45 * MIN);
    expect(rx.requests).toHaveLength(1);
    await svc.tick(t0 + 61 * MIN); // 2 × T and the silence window has passed
    expect(rx.requests).toHaveLength(2);
    svc.onRunEvent(finished('slow', 'succeeded', counts({ read: 9000 })));
    await svc.tick(t0 + 95 * MIN);
    expect(rx.requests).toHaveLength(2);
  });

  it('does not fire for runs that ended in time', async () => {
    svc.onRunEvent(started('quick', 'shops', t0));
    clock.advance(20 * MIN);
    svc.onRunEvent(finished('quick', 'succeeded', counts({ read: 10 })));
    await svc.tick(t0 + 120 * MIN);
    expect(rx.requests).toHaveLength(0);
  });

  it('knows runs that were running before a restart (prime)', async () => {
    svc.prime([{ id: 'old', scheme: 'orders', status: 'running', startedAt: t0 - 40 * MIN, counts: counts({ read: 7 }) }]);
    await svc.tick(t0);
    expect(received().map((r) => r.alert.runId)).toEqual(['old']);
  });
});

describe('run failed: statuses, silences, resolution messages, disabled parts', () => {
  it('only the configured end states count', async () => {
    await rule({ type: 'run_failed' });
    run('c', 'shops', 'cancelled', { read: 1 });
    await svc.idle();
    expect(rx.requests).toHaveLength(0);
    run('f', 'shops', 'failed', { read: 1 });
    await svc.idle();
    expect(rx.requests).toHaveLength(1);
  });

  it('an operator silence suppresses (and records) matching alerts until it ends', async () => {
    await rule({ type: 'run_failed', silenceMinutes: 0 });
    await svc.config.createSilence({ scheme: 'shops', minutes: 60, reason: 'Kingdee maintenance' });
    run('a', 'shops', 'failed', { read: 1 });
    run('b', 'orders', 'failed', { read: 1 });
    await svc.idle();
    expect(received().map((r) => r.alert.scheme)).toEqual(['orders']);
    const sup = await svc.config.listHistory({ status: 'suppressed' });
    expect(sup.map((h) => [h.scheme, h.error])).toEqual([['shops', expect.stringContaining('Kingdee maintenance')]]);
    clock.advance(61 * MIN);
    run('c', 'shops', 'failed', { read: 1 });
    await svc.idle();
    expect(received().map((r) => r.alert.scheme)).toEqual(['orders', 'shops']);
  });

  it('notifyResolved sends a resolved message when a later run succeeds', async () => {
    await rule({ type: 'run_failed', notifyResolved: true });
    run('a', 'shops', 'failed', { read: 1 });
    run('b', 'shops', 'succeeded', { read: 1, created: 1 });
    await svc.idle();
    expect(received().map((r) => r.alert.state)).toEqual(['firing', 'resolved']);
    expect(received()[1]!.message.text).toMatch(/^\[ferry\] Resolved · Run failed · shops/);
  });

  it('a disabled rule is silent; a rule whose channels are all disabled records a failure', async () => {
    const r = await rule({ type: 'run_failed', enabled: false });
    run('a', 'shops', 'failed', { read: 1 });
    await svc.idle();
    expect(rx.requests).toHaveLength(0);
    await svc.config.updateRule(r.id, { type: 'run_failed', name: 'x', channels: [channelId] });
    await svc.config.updateChannel(channelId, { type: 'webhook', name: 'rx', enabled: false, config: {} });
    run('b', 'shops', 'failed', { read: 1 });
    await svc.idle();
    expect(rx.requests).toHaveLength(0);
    const failed = await svc.config.listHistory({ status: 'failed' });
    expect(failed.map((h) => h.error)).toEqual(['no enabled channel for this rule']);
  });
});

describe('runs seen only through the state store (other processes)', () => {
  it('observeRuns seeds runs that ended before start, alerts on newer ones once, tracks running ones', async () => {
    await rule({ type: 'run_failed' });
    await rule({ type: 'long_run', maxMinutes: 30 });
    const rows = [
      { id: 'old', scheme: 'shops', status: 'failed' as const, startedAt: t0 - 2 * HOUR, endedAt: t0 - HOUR, counts: counts({ read: 1 }) },
      { id: 'worker-1', scheme: 'shops', status: 'failed' as const, startedAt: t0 + MIN, endedAt: t0 + 2 * MIN, counts: counts({ read: 3 }), reason: 'target down' },
      { id: 'worker-2', scheme: 'orders', status: 'running' as const, startedAt: t0, counts: counts() },
    ];
    clock.advance(3 * MIN);
    svc.observeRuns(rows);
    svc.observeRuns(rows); // polled again: nothing new
    await svc.tick(t0 + 31 * MIN);
    expect(received().map((r) => [r.alert.rule.type, r.alert.runId])).toEqual([['run_failed', 'worker-1'], ['long_run', 'worker-2']]);
  });
});

