import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AlertService, MemoryAlertStore } from '../src/server/alerts/index.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../src/server/alerts/testing/webhook-receiver.ts';
import { counts, fakeClock, finished, started, testCipher, type FakeClock } from '../src/server/alerts/testing/fixtures.ts';

/** Delivery over real HTTP: bounded retries with backoff on the injected clock, timeouts, failures recorded. */
let rx: WebhookReceiver;
let clock: FakeClock;
let svc: AlertService;

beforeEach(async () => {
  rx = await startWebhookReceiver();
  clock = fakeClock();
  svc = await AlertService.create({ store: new MemoryAlertStore(testCipher), clock, delivery: { maxAttempts: 3, backoffMs: 1000, timeoutMs: 2000 } });
});
afterEach(async () => {
  await svc.close();
  await rx.close();
});

async function failingRunAlert(url: string, type: 'webhook' | 'dingtalk' = 'webhook', runId = 'r1') {
  if (!svc.config.listRules().length) {
    const ch = await svc.config.createChannel(type === 'webhook' ? { type, name: 'c', config: { url } } : { type, name: 'c', config: { webhookUrl: url } });
    await svc.config.createRule({ type: 'run_failed', name: 'f', channels: [ch.id], silenceMinutes: 60 });
  }
  svc.onRunEvent(started(runId, 'shops', clock.now()));
  svc.onRunEvent(finished(runId, 'failed', counts({ read: 1 })));
  await svc.idle();
  return svc.config.listHistory({});
}

describe('retries', () => {
  it('retries 5xx with doubling backoff and records the attempts', async () => {
    let n = 0;
    rx.respond = () => (++n <= 2 ? { status: 503, body: { busy: true } } : undefined);
    const history = await failingRunAlert(`${rx.url}/hook`);
    expect(rx.requests).toHaveLength(3);
    expect(clock.sleeps).toEqual([1000, 2000]);
    expect(history.map((h) => [h.status, h.attempts])).toEqual([['sent', 3]]);
  });

  it('gives up after maxAttempts, records the error, and does not count the alert as sent', async () => {
    rx.respond = () => ({ status: 500, body: { error: 'down' } });
    const history = await failingRunAlert(`${rx.url}/hook`);
    expect(rx.requests).toHaveLength(3);
    expect(history[0]).toMatchObject({ status: 'failed', attempts: 3 });
    expect(history[0]!.error).toMatch(/^HTTP 500 from http:\/\/127\.0\.0\.1:\d+: \{"error":"down"\}$/);
    rx.respond = undefined;
    clock.advance(60_000);
    const after = await failingRunAlert(`${rx.url}/hook`, 'webhook', 'r2'); // inside the silence window, but nothing was delivered before
    expect(after[0]).toMatchObject({ status: 'sent', runId: 'r2' });
  });

  it('does not retry a 4xx, nor a vendor error that retrying cannot fix', async () => {
    rx.respond = () => ({ status: 404, body: {} });
    await failingRunAlert(`${rx.url}/hook`);
    expect(rx.requests).toHaveLength(1);
    rx.respond = () => ({ status: 200, body: { errcode: 310000, errmsg: 'sign not match' } });
    const ding = await svc.config.createChannel({ type: 'dingtalk', name: 'd', config: { webhookUrl: `${rx.url}/robot/send?access_token=t0k3n-xyz` } });
    const r = await svc.config.testChannel(ding.id);
    expect(r).toMatchObject({ ok: false, attempts: 1 });
    expect(r.error).toBe('DingTalk answered errcode 310000: sign not match');
  });

  it('retries a vendor rate-limit answer (DingTalk errcode 130101)', async () => {
    let n = 0;
    rx.respond = () => (++n === 1 ? { status: 200, body: { errcode: 130101, errmsg: 'send too fast' } } : undefined);
    const history = await failingRunAlert(`${rx.url}/robot/send?access_token=abc`, 'dingtalk');
    expect(history.map((h) => [h.status, h.attempts])).toEqual([['sent', 2]]);
  });

  it('a receiver that cannot be reached is retried, then failed', async () => {
    const closed = await startWebhookReceiver();
    await closed.close();
    const history = await failingRunAlert(`${closed.url}/hook`);
    expect(history[0]).toMatchObject({ status: 'failed', attempts: 3 });
    expect(history[0]!.error).toMatch(/^cannot reach http:\/\/127\.0\.0\.1:\d+/);
  });
});

describe('timeout', () => {
  let silent: Server;
  beforeEach(async () => {
    silent = createServer(() => {}); // accepts, never answers
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  });
  afterEach(async () => {
    silent.closeAllConnections();
    await new Promise<void>((r) => silent.close(() => r()));
  });

  it('an attempt that gets no answer is aborted after timeoutMs and counted as failed', async () => {
    await svc.close();
    svc = await AlertService.create({ store: new MemoryAlertStore(testCipher), clock, delivery: { maxAttempts: 2, backoffMs: 500, timeoutMs: 150 } });
    const port = (silent.address() as AddressInfo).port;
    const history = await failingRunAlert(`http://127.0.0.1:${port}/hook`);
    expect(history[0]).toMatchObject({ status: 'failed', attempts: 2 });
    expect(history[0]!.error).toBe(`no answer from http://127.0.0.1:${port} within 150 ms`);
    expect(clock.sleeps).toEqual([500]);
  });
});
