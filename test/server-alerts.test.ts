import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebhookReceiver, type WebhookReceiver } from '../src/server/alerts/testing/webhook-receiver.ts';
import { apiClient, startServerWorld, until, type ServerWorld } from './server-support.ts';

const SEED = readFileSync(new URL('../examples/shop-to-customer.json', import.meta.url), 'utf8');
const SCHEME = encodeURIComponent('店铺同步客户');

/**
 * Issue 6, end to end through `ferry serve`: alert rules and robot channels created over the API; a run that
 * fails (the Kingdee app secret is wrong) sends exactly one alert to each robot, and a second failure inside the
 * silence window sends nothing more.
 */
describe('ferry serve: alerts on a failing run', () => {
  let w: ServerWorld;
  let rx: WebhookReceiver;
  let api: Awaited<ReturnType<typeof apiClient>>;
  beforeAll(async () => {
    rx = await startWebhookReceiver();
    w = await startServerWorld({ shops: 10, orgNumbers: ['100'], server: { consoleBaseUrl: 'http://ferry.local/' } });
    api = await apiClient(w.url);
  });
  afterAll(async () => {
    await w?.close();
    await rx?.close();
  });

  const finished = (runId: string) =>
    until(async () => {
      const r = await api.get(`/api/runs/${runId}`);
      return r.json.status !== 'running' ? r.json : undefined;
    });

  it('sends one alert per robot for a failed run, and none again inside the silence window', async () => {
    const channels = [
      { type: 'wecom', name: '企业微信运维群', config: { webhookUrl: `${rx.url}/cgi-bin/webhook/send?key=wecom-key-123` } },
      { type: 'dingtalk', name: '钉钉', config: { webhookUrl: `${rx.url}/robot/send?access_token=ding-token-123`, secret: 'SECding-signing-1' } },
      { type: 'feishu', name: '飞书', config: { webhookUrl: `${rx.url}/open-apis/bot/v2/hook/feishu-hook-1`, secret: 'feishu-signing-1' } },
      { type: 'webhook', name: 'ops', config: { url: `${rx.url}/hooks/ferry` } },
    ];
    const ids: string[] = [];
    for (const c of channels) {
      const r = await api.post('/api/alerts/channels', c);
      expect(r.status, r.text).toBe(201);
      ids.push(String(r.json.id));
    }
    const rule = await api.post('/api/alerts/rules', { type: 'run_failed', name: '同步失败', severity: 'critical', channels: ids, silenceMinutes: 30 });
    expect(rule.status, rule.text).toBe(201);

    expect((await api.put('/api/connections/wdt', { platform: 'wdt', config: w.connections.wdt })).status).toBe(200);
    expect((await api.put('/api/connections/kingdee', { platform: 'kingdee', config: { ...w.connections.kingdee, appSecret: 'not-the-right-secret' } })).status).toBe(200);
    expect((await api.post('/api/schemes', { text: SEED })).status).toBe(201);

    const first = await finished(String((await api.post(`/api/schemes/${SCHEME}/run`)).json.runId));
    expect(first.status).toBe('failed');
    await until(async () => (rx.requests.length >= 4 ? true : undefined));
    await new Promise((r) => setTimeout(r, 300));
    const paths = rx.requests.map((r) => new URL(r.url, 'http://x').pathname).sort();
    expect(paths).toEqual(['/cgi-bin/webhook/send', '/hooks/ferry', '/open-apis/bot/v2/hook/feishu-hook-1', '/robot/send']);
    const wecom = rx.requests.find((r) => r.url.startsWith('/cgi-bin'))!;
    const body = JSON.parse(wecom.body) as { msgtype: string; markdown: { content: string } };
    expect(body.msgtype).toBe('markdown');
    expect(body.markdown.content).toContain('店铺同步客户');
    expect(body.markdown.content).toContain(String(first.id));

    const second = await finished(String((await api.post(`/api/schemes/${SCHEME}/run`)).json.runId));
    expect(second.status).toBe('failed');
    await new Promise((r) => setTimeout(r, 800));
    expect(rx.requests.length).toBe(4);
    const history = await api.get('/api/alerts/history');
    const outcomes = (history.json as { status: string }[]).map((h) => h.status);
    expect(outcomes).toContain('suppressed');
    expect(history.text).not.toContain('not-the-right-secret');
    expect(history.text).not.toContain('SECding-signing-1');
  });
});
