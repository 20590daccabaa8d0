import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AlertService, MemoryAlertStore } from '../src/server/alerts/index.ts';
import { startWebhookReceiver, type ReceivedRequest, type WebhookReceiver } from '../src/server/alerts/testing/webhook-receiver.ts';
import { counts, fakeClock, finished, memoryLogger, started, testCipher, type FakeClock } from '../src/server/alerts/testing/fixtures.ts';

/**
 * Issue 6 "done when": a failing run sends exactly one alert to a local receiver in each robot format
 * (checked against each vendor's documented payload shape, signatures recomputed here independently),
 * not again inside the silence window, and again once it has passed.
 */
const SECRETS = {
  wecomKey: 'WECOMKEY-6f1c-4b2a-9d77',
  dingToken: 'DTTOKEN-a1b2c3d4e5f6',
  dingSecret: 'SECdingtalk-signing-secret-0042',
  feishuHook: 'feishu-hook-token-7d3e9a',
  feishuSecret: 'feishu-signing-secret-88',
  genericToken: 'GENERIC-TOKEN-31415',
  genericHmac: 'generic-hmac-secret-2718',
};

let rx: WebhookReceiver;
let clock: FakeClock;
let svc: AlertService;
let store: MemoryAlertStore;
const log = memoryLogger();
const ids: Record<string, string> = {};

beforeEach(async () => {
  rx = await startWebhookReceiver();
  clock = fakeClock();
  store = new MemoryAlertStore(testCipher);
  svc = await AlertService.create({ store, clock, consoleBaseUrl: 'http://console.local/', log, delivery: { maxAttempts: 2, backoffMs: 1000 } });
  const c = svc.config;
  ids.wecom = (await c.createChannel({ type: 'wecom', name: '运维群(企业微信)', config: { webhookUrl: `${rx.url}/cgi-bin/webhook/send?key=${SECRETS.wecomKey}` } })).id;
  ids.dingtalk = (
    await c.createChannel({ type: 'dingtalk', name: '钉钉', config: { webhookUrl: `${rx.url}/robot/send?access_token=${SECRETS.dingToken}`, secret: SECRETS.dingSecret } })
  ).id;
  ids.feishu = (await c.createChannel({ type: 'feishu', name: '飞书', config: { webhookUrl: `${rx.url}/open-apis/bot/v2/hook/${SECRETS.feishuHook}`, secret: SECRETS.feishuSecret } })).id;
  ids.webhook = (
    await c.createChannel({ type: 'webhook', name: 'ops webhook', language: 'en', config: { url: `${rx.url}/hooks/ferry?token=${SECRETS.genericToken}`, hmacSecret: SECRETS.genericHmac } })
  ).id;
  await c.createRule({ type: 'run_failed', name: '同步失败', severity: 'critical', channels: Object.values(ids), silenceMinutes: 30 });
});

afterEach(async () => {
  await svc.close();
  await rx.close();
});

function failRun(runId: string, scheme = 'shops-to-customers') {
  svc.onRunEvent(started(runId, scheme, clock.now()));
  clock.advance(65_000);
  svc.onRunEvent(finished(runId, 'failed', counts({ read: 120, created: 100, updated: 5, rejected: 12, failed: 3 }), 'Kingdee answered HTTP 500 three times; fix the target and re-run'));
}

const byPath = (prefix: string) => rx.requests.filter((r) => r.url.startsWith(prefix));

function expectMessageContent(text: string, runId: string) {
  expect(text).toContain('shops-to-customers');
  expect(text).toContain(runId);
  expect(text).toContain('120');
  expect(text).toContain('Kingdee answered HTTP 500');
  expect(text).toContain(`http://console.local/#/runs/${runId}`);
}

describe('a failing run → one alert per robot format', () => {
  it('WeCom: {"msgtype":"markdown","markdown":{"content"}} to the key URL', async () => {
    failRun('r1');
    await svc.idle();
    const [req, ...more] = byPath('/cgi-bin/webhook/send');
    expect(more).toHaveLength(0);
    expect(req!.method).toBe('POST');
    expect(new URL(req!.url, rx.url).searchParams.get('key')).toBe(SECRETS.wecomKey);
    expect(req!.headers['content-type']).toMatch(/application\/json/);
    const body = req!.json as { msgtype: string; markdown: { content: string } };
    expect(Object.keys(body).sort()).toEqual(['markdown', 'msgtype']);
    expect(body.msgtype).toBe('markdown');
    expect(Object.keys(body.markdown)).toEqual(['content']);
    expect(Buffer.byteLength(body.markdown.content)).toBeLessThanOrEqual(4096);
    expect(body.markdown.content).toContain('运行失败');
    expectMessageContent(body.markdown.content, 'r1');
  });

  it('DingTalk: markdown {title,text} with timestamp (ms) and sign = urlencode(base64(HmacSHA256(secret, ts\\nsecret)))', async () => {
    failRun('r1');
    await svc.idle();
    const reqs = byPath('/robot/send');
    expect(reqs).toHaveLength(1);
    const req = reqs[0]!;
    const url = new URL(req.url, rx.url);
    expect(url.searchParams.get('access_token')).toBe(SECRETS.dingToken);
    const ts = url.searchParams.get('timestamp')!;
    expect(Number(ts)).toBe(clock.now()); // milliseconds
    const rawSign = /[?&]sign=([^&]+)/.exec(req.url)![1]!;
    expect(rawSign).not.toMatch(/[+/=]/); // base64 characters must arrive percent-encoded
    const expected = createHmac('sha256', SECRETS.dingSecret).update(`${ts}\n${SECRETS.dingSecret}`).digest('base64');
    expect(decodeURIComponent(rawSign)).toBe(expected);
    const body = req.json as { msgtype: string; markdown: { title: string; text: string }; at: { atMobiles: string[]; isAtAll: boolean } };
    expect(body.msgtype).toBe('markdown');
    expect(Object.keys(body.markdown).sort()).toEqual(['text', 'title']);
    expect(body.markdown.title).toContain('运行失败');
    expectMessageContent(body.markdown.text, 'r1');
    expect(body.at).toEqual({ atMobiles: [], isAtAll: false });
  });

  it('Feishu: interactive card with timestamp (s) and sign = base64(HmacSHA256(key = ts\\nsecret, "")) in the body', async () => {
    failRun('r1');
    await svc.idle();
    const reqs = byPath('/open-apis/bot/v2/hook/');
    expect(reqs).toHaveLength(1);
    const req = reqs[0]!;
    expect(req.url).toBe(`/open-apis/bot/v2/hook/${SECRETS.feishuHook}`);
    const body = req.json as { timestamp: string; sign: string; msg_type: string; card: { header: { title: { tag: string; content: string }; template: string }; elements: { tag: string; text?: { tag: string; content: string }; actions?: { url: string }[] }[] } };
    expect(typeof body.timestamp).toBe('string');
    expect(body.timestamp).toBe(String(Math.floor(clock.now() / 1000))); // seconds
    expect(body.sign).toBe(createHmac('sha256', `${body.timestamp}\n${SECRETS.feishuSecret}`).update('').digest('base64'));
    expect(body.msg_type).toBe('interactive');
    expect(body.card.header.title.tag).toBe('plain_text');
    expect(body.card.header.title.content).toContain('运行失败');
    expect(body.card.header.template).toBe('red');
    const div = body.card.elements.find((e) => e.tag === 'div')!;
    expect(div.text!.tag).toBe('lark_md');
    expectMessageContent(div.text!.content, 'r1');
    const action = body.card.elements.find((e) => e.tag === 'action')!;
    expect(action.actions![0]!.url).toBe('http://console.local/#/runs/r1');
  });

  it('generic webhook: JSON alert with an HMAC header over timestamp + "." + body', async () => {
    failRun('r1');
    await svc.idle();
    const reqs = byPath('/hooks/ferry');
    expect(reqs).toHaveLength(1);
    const req = reqs[0]!;
    const ts = req.headers['x-ferry-timestamp'] as string;
    expect(req.headers['x-ferry-signature']).toBe(`sha256=${createHmac('sha256', SECRETS.genericHmac).update(`${ts}.${req.body}`).digest('hex')}`);
    const body = req.json as { source: string; version: number; alert: Record<string, unknown> & { rule: { type: string }; facts: { counts: { read: number } } }; message: { language: string; title: string; text: string } };
    expect(body.source).toBe('ferry');
    expect(body.version).toBe(1);
    expect(body.alert.rule.type).toBe('run_failed');
    expect(body.alert.scheme).toBe('shops-to-customers');
    expect(body.alert.runId).toBe('r1');
    expect(body.alert.severity).toBe('critical');
    expect(body.alert.state).toBe('firing');
    expect(body.alert.link).toBe('http://console.local/#/runs/r1');
    expect(body.alert.facts.counts.read).toBe(120);
    expect(body.message.language).toBe('en');
    expect(body.message.title).toBe('[ferry] Run failed · shops-to-customers');
    expectMessageContent(body.message.text, 'r1');
  });
});

describe('de-duplication and the silence window (fake clock)', () => {
  it('sends once, suppresses a second failure inside 30 min, sends again after it', async () => {
    failRun('r1');
    await svc.idle();
    expect(rx.requests).toHaveLength(4);

    clock.advance(10 * 60_000);
    failRun('r2');
    await svc.idle();
    expect(rx.requests).toHaveLength(4);
    const suppressed = await svc.config.listHistory({ status: 'suppressed' });
    expect(suppressed).toHaveLength(1);
    expect(suppressed[0]!.runId).toBe('r2');
    expect(suppressed[0]!.error).toMatch(/duplicate/);

    clock.advance(20 * 60_000); // 31 min after the first send (each failRun also advances 65 s)
    failRun('r3');
    await svc.idle();
    expect(rx.requests).toHaveLength(8);
    expect(byPath('/cgi-bin/webhook/send').map((r) => (r.json as { markdown: { content: string } }).markdown.content.includes('r3'))).toEqual([false, true]);
    expect(await svc.config.listHistory({ status: 'sent' })).toHaveLength(8);
  });

  it('the same run reported twice (event and report) is one alert', async () => {
    failRun('r1');
    svc.onRunFinished({ runId: 'r1', scheme: 'shops-to-customers', status: 'failed', counts: counts({ read: 120 }), durationMs: 65_000 });
    await svc.idle();
    expect(rx.requests).toHaveLength(4);
    expect(await svc.config.listHistory({ status: 'suppressed' })).toHaveLength(0);
  });

  it('a successful run resolves the condition: the next failure is sent even inside the window', async () => {
    failRun('r1');
    svc.onRunEvent(started('r2', 'shops-to-customers', clock.now()));
    svc.onRunEvent(finished('r2', 'succeeded', counts({ read: 10, created: 10 })));
    clock.advance(60_000);
    failRun('r3');
    await svc.idle();
    expect(rx.requests).toHaveLength(8);
  });

  it('other schemes are other conditions', async () => {
    failRun('r1', 'shops-to-customers');
    failRun('r2', 'orders-to-outstock');
    await svc.idle();
    expect(rx.requests).toHaveLength(8);
  });
});

describe('secrets', () => {
  it('never appear in history, errors, logs or channel views — even when a vendor echoes them', async () => {
    rx.respond = (r: ReceivedRequest) =>
      r.url.startsWith('/cgi-bin') ? { status: 200, body: { errcode: 93000, errmsg: `invalid webhook url, key=${SECRETS.wecomKey}` } } : undefined;
    failRun('r1');
    await svc.idle();
    const failed = await svc.config.listHistory({ status: 'failed' });
    expect(failed).toHaveLength(1);
    expect(failed[0]!.channelType).toBe('wecom');
    expect(failed[0]!.error).toContain('errcode 93000');
    expect(failed[0]!.error).toContain('key=***');
    const dump = JSON.stringify([await svc.config.listHistory({ limit: 1000 }), svc.config.listChannels(), log.lines, [...store.sealedChannels.values()]]);
    for (const s of Object.values(SECRETS)) expect(dump).not.toContain(s);
    expect(svc.config.getChannel(ids.dingtalk!).config).toMatchObject({ webhookUrl: '***', secret: '***', format: 'markdown' });
  });
});
