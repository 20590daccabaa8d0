import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AlertService, MemoryAlertStore, alertRoutes } from '../src/server/alerts/index.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../src/server/alerts/testing/webhook-receiver.ts';
import { fakeClock, testCipher } from '../src/server/alerts/testing/fixtures.ts';

/**
 * The route table mounted on fastify the way the server will (a few lines): validation answers 4xx
 * with a reason, never 500; channel secrets never come back; "***" keeps a stored secret.
 */
const KEY = 'wecom-key-route-test-7788';
const DING_SECRET = 'SECroute-ding-secret-99';

let app: FastifyInstance;
let svc: AlertService;
let rx: WebhookReceiver;
const bodies: string[] = [];

beforeEach(async () => {
  rx = await startWebhookReceiver();
  svc = await AlertService.create({ store: new MemoryAlertStore(testCipher), clock: fakeClock() });
  app = Fastify();
  for (const r of alertRoutes(svc)) {
    app.route({
      method: r.method,
      url: r.url,
      handler: async (req, reply) => {
        const res = await r.handle({ params: req.params, query: req.query, body: req.body, user: 'tester' });
        return reply.code(res.status).send(res.body);
      },
    });
  }
  await app.ready();
});
afterEach(async () => {
  await app.close();
  await svc.close();
  await rx.close();
});

async function call(method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown) {
  const res = await app.inject({ method, url, ...(payload !== undefined ? { payload: payload as object } : {}) });
  bodies.push(res.body);
  return { status: res.statusCode, json: res.body ? (JSON.parse(res.body) as Record<string, unknown> & { issues?: { path: string }[] }) : null };
}

const wecom = () => ({ type: 'wecom', name: '企业微信', config: { webhookUrl: `${rx.url}/cgi-bin/webhook/send?key=${KEY}` } });

describe('alert routes', () => {
  it('refuse malformed bodies with a 400 and a reason', async () => {
    const cases: unknown[] = [
      {},
      { type: 'run_failed', name: 'x' },
      { type: 'run_failed', name: 'x', channels: ['c'], extra: 1 },
      { type: 'rejection_rate', name: 'x', channels: ['c'], thresholdPercent: 'high' },
      { type: 'nope', name: 'x', channels: ['c'] },
      [1, 2, 3],
    ];
    for (const body of cases) {
      const r = await call('POST', '/api/alerts/rules', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.json!.error).toMatch(/^invalid alert rule: /);
    }
    const r = await call('POST', '/api/alerts/rules', { type: 'run_failed', name: 'x', channels: ['nope'] });
    expect(r).toMatchObject({ status: 400, json: { error: 'invalid alert rule: unknown channel id(s) "nope"' } });
    expect((await call('POST', '/api/alerts/channels', { type: 'wecom', name: 'w', config: { webhookUrl: 'not a url' } })).json!.issues![0]!.path).toBe('config.webhookUrl');
    expect((await call('GET', '/api/alerts/history?limit=abc')).status).toBe(400);
    expect((await call('GET', '/api/alerts/history?color=red')).status).toBe(400);
    expect((await call('POST', '/api/alerts/silences', { minutes: 10, until: 5 })).json!.error).toContain('exactly one');
    expect((await call('POST', '/api/alerts/channels/x/test', { language: 'fr' })).status).toBe(400);
  });

  it('404 for unknown ids, 409 for a channel still in use, 204 on delete', async () => {
    expect((await call('GET', '/api/alerts/rules/nope')).status).toBe(404);
    expect((await call('PUT', '/api/alerts/channels/nope', wecom())).status).toBe(404);
    expect((await call('POST', '/api/alerts/channels/nope/test')).status).toBe(404);
    expect((await call('DELETE', '/api/alerts/silences/nope')).status).toBe(404);
    const ch = (await call('POST', '/api/alerts/channels', wecom())).json!;
    const rule = (await call('POST', '/api/alerts/rules', { type: 'long_run', name: 'slow', channels: [ch.id], maxMinutes: 90 })).json!;
    expect(rule).toMatchObject({ type: 'long_run', enabled: true, schemes: 'all', severity: 'warning', silenceMinutes: 60 });
    const del = await call('DELETE', `/api/alerts/channels/${ch.id as string}`);
    expect(del.status).toBe(409);
    expect(del.json!.error).toContain('"slow"');
    expect((await call('DELETE', `/api/alerts/rules/${rule.id as string}`)).status).toBe(204);
    expect((await call('DELETE', `/api/alerts/channels/${ch.id as string}`)).status).toBe(204);
    expect((await call('GET', '/api/alerts/channels')).json).toEqual([]);
  });

  it('mask secrets, keep them on "***" or omission, remove them on null; test-send uses the stored ones', async () => {
    const created = await call('POST', '/api/alerts/channels', wecom());
    expect(created.status).toBe(201);
    const id = created.json!.id as string;
    expect(created.json!.config).toEqual({ webhookUrl: '***', format: 'markdown' });
    expect(created.json!.target).toBe(`${rx.url} (markdown)`);

    const upd = await call('PUT', `/api/alerts/channels/${id}`, { type: 'wecom', name: 'renamed', config: { webhookUrl: '***', format: 'text' } });
    expect(upd).toMatchObject({ status: 200, json: { name: 'renamed', config: { webhookUrl: '***', format: 'text' } } });
    const test = await call('POST', `/api/alerts/channels/${id}/test`);
    expect(test).toMatchObject({ status: 200, json: { ok: true, attempts: 1 } });
    expect(rx.requests[0]!.url).toBe(`/cgi-bin/webhook/send?key=${KEY}`);
    expect((rx.requests[0]!.json as { msgtype: string }).msgtype).toBe('text');

    const ding = (await call('POST', '/api/alerts/channels', { type: 'dingtalk', name: 'd', config: { webhookUrl: `${rx.url}/robot/send?access_token=tok-route-1`, secret: DING_SECRET } })).json!;
    await call('POST', `/api/alerts/channels/${ding.id as string}/test`, { language: 'en' });
    expect(rx.requests[1]!.url).toMatch(/&sign=/);
    await call('PUT', `/api/alerts/channels/${ding.id as string}`, { type: 'dingtalk', name: 'd', config: { secret: null } });
    await call('POST', `/api/alerts/channels/${ding.id as string}/test`);
    expect(rx.requests[2]!.url).toBe('/robot/send?access_token=tok-route-1');

    const history = await call('GET', '/api/alerts/history?status=sent');
    expect((history.json as unknown as unknown[]).length).toBe(3);
    await call('GET', '/api/alerts/channels');
    await call('GET', `/api/alerts/channels/${ding.id as string}`);
    const all = bodies.join('\n');
    for (const s of [KEY, DING_SECRET, 'tok-route-1']) expect(all).not.toContain(s);
  });

  it('test-sends an unsaved channel without storing it', async () => {
    const r = await call('POST', '/api/alerts/channels/test', { ...wecom(), language: 'en' });
    expect(r).toMatchObject({ status: 200, json: { ok: true, channelId: null } });
    expect((rx.requests[0]!.json as { markdown: { content: string } }).markdown.content).toContain('Test message');
    expect((await call('GET', '/api/alerts/channels')).json).toEqual([]);
    expect((await call('POST', '/api/alerts/channels/test', { type: 'wecom', name: 'x', config: {} })).status).toBe(400);
    expect(bodies.join('\n')).not.toContain(KEY);
  });

  it('silences and meta', async () => {
    const s = await call('POST', '/api/alerts/silences', { scheme: 'shops', minutes: 30, reason: 'upgrade' });
    expect(s).toMatchObject({ status: 201, json: { scheme: 'shops', ruleId: null, reason: 'upgrade', createdBy: 'tester' } });
    expect((await call('GET', '/api/alerts/silences')).json).toHaveLength(1);
    expect((await call('DELETE', `/api/alerts/silences/${s.json!.id as string}`)).status).toBe(204);
    const meta = (await call('GET', '/api/alerts/meta')).json as { channelTypes: { type: string; secretKeys: string[]; configSchema: { properties: object } }[] };
    expect(meta.channelTypes.map((c) => c.type)).toEqual(['wecom', 'dingtalk', 'feishu', 'webhook', 'email']);
    expect(meta.channelTypes.find((c) => c.type === 'email')!.secretKeys).toEqual(['password']);
    expect(Object.keys(meta.channelTypes[0]!.configSchema.properties)).toContain('webhookUrl');
  });
});
