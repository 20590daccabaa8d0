import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { renderAlert } from '../render.ts';
import type { Alert } from '../types.ts';
import { dingtalkDriver } from './dingtalk.ts';
import type { SendContext } from './driver.ts';
import { feishuDriver } from './feishu.ts';
import { webhookDriver } from './webhook.ts';
import { wecomDriver } from './wecom.ts';

/** Payload variants per vendor (the default formats go over real HTTP in test/alerts-robots.test.ts). */
const alert: Alert = {
  id: 'a', state: 'firing', ruleId: 'r', ruleName: 'slow', ruleType: 'long_run', severity: 'warning', scheme: 'orders', runId: 'run-9', key: 'k', at: 1_736_125_323_000,
  facts: { type: 'long_run', startedAt: 1_736_120_000_000, elapsedMs: 5_323_000, maxMinutes: 60 }, link: 'http://c/runs/run-9',
};

function capture(answer: unknown = { errcode: 0, errmsg: 'ok', code: 0 }) {
  const calls: { url: string; body: Record<string, unknown>; headers: Record<string, string> }[] = [];
  const ctx: SendContext = {
    now: () => 1_736_125_400_123,
    timeoutMs: 1000,
    fetch: (async (url: string, init: RequestInit) => {
      calls.push({ url, body: JSON.parse(init.body as string), headers: init.headers as Record<string, string> });
      return new Response(JSON.stringify(answer), { status: 200 });
    }) as typeof fetch,
  };
  return { ctx, calls };
}

describe('WeCom', () => {
  it('text: content within 2048 bytes plus mentioned_mobile_list', async () => {
    const { ctx, calls } = capture();
    const long = renderAlert({ ...alert, ruleName: '很长的规则名'.repeat(200) }, { language: 'zh-CN' });
    await wecomDriver.send({ webhookUrl: 'http://x/cgi-bin/webhook/send?key=k', format: 'text', mentionedMobiles: ['13800001111'] }, long, ctx);
    const body = calls[0]!.body as { msgtype: string; text: { content: string; mentioned_mobile_list: string[] } };
    expect(body.msgtype).toBe('text');
    expect(Buffer.byteLength(body.text.content)).toBeLessThanOrEqual(2048);
    expect(body.text.content.endsWith('…')).toBe(true);
    expect(body.text.mentioned_mobile_list).toEqual(['13800001111']);
  });

  it('a non-zero errcode is a failure; 45009 (rate limit) is retryable', async () => {
    const { ctx } = capture({ errcode: 45009, errmsg: 'api freq out of limit' });
    await expect(wecomDriver.send({ webhookUrl: 'http://x/?key=k', format: 'markdown' }, renderAlert(alert, { language: 'en' }), ctx)).rejects.toMatchObject({ retryable: true, message: 'WeCom answered errcode 45009: api freq out of limit' });
  });
});

describe('DingTalk', () => {
  it('text with @mobiles appended and at.atMobiles; unsigned URL left alone', async () => {
    const { ctx, calls } = capture();
    await dingtalkDriver.send({ webhookUrl: 'http://x/robot/send?access_token=t', format: 'text', atMobiles: ['13900002222'], atAll: false }, renderAlert(alert, { language: 'en' }), ctx);
    expect(calls[0]!.url).toBe('http://x/robot/send?access_token=t');
    const body = calls[0]!.body as { msgtype: string; text: { content: string }; at: { atMobiles: string[] } };
    expect(body.msgtype).toBe('text');
    expect(body.text.content.endsWith('@13900002222')).toBe(true);
    expect(body.at.atMobiles).toEqual(['13900002222']);
  });

  it('signs with the millisecond timestamp', async () => {
    const { ctx, calls } = capture();
    await dingtalkDriver.send({ webhookUrl: 'http://x/robot/send?access_token=t', secret: 'SECabc', format: 'markdown', atAll: true }, renderAlert(alert, { language: 'en' }), ctx);
    const u = new URL(calls[0]!.url);
    expect(u.searchParams.get('timestamp')).toBe('1736125400123');
    expect(u.searchParams.get('sign')).toBe(createHmac('sha256', 'SECabc').update('1736125400123\nSECabc').digest('base64'));
    expect((calls[0]!.body as { at: { isAtAll: boolean } }).at.isAtAll).toBe(true);
  });
});

describe('Feishu', () => {
  it('text and post shapes; post uses the language key and an "a" link', async () => {
    const { ctx, calls } = capture();
    await feishuDriver.send({ webhookUrl: 'http://x/open-apis/bot/v2/hook/h', format: 'text' }, renderAlert(alert, { language: 'zh-CN' }), ctx);
    await feishuDriver.send({ webhookUrl: 'http://x/open-apis/bot/v2/hook/h', format: 'post', secret: 's' }, renderAlert(alert, { language: 'en' }), ctx);
    expect(calls[0]!.body).toEqual({ msg_type: 'text', content: { text: renderAlert(alert, { language: 'zh-CN' }).text } });
    const post = calls[1]!.body as { timestamp: string; sign: string; msg_type: string; content: { post: Record<string, { title: string; content: { tag: string; href?: string }[][] }> } };
    expect(post.msg_type).toBe('post');
    expect(post.timestamp).toBe('1736125400');
    expect(Object.keys(post.content.post)).toEqual(['en_us']);
    const rows = post.content.post.en_us!.content;
    expect(post.content.post.en_us!.title).toBe('[ferry] Run takes too long · orders');
    expect(rows.at(-1)).toEqual([{ tag: 'a', text: 'Open run', href: 'http://c/runs/run-9' }]);
    expect(rows.slice(0, -1).every((r) => r.length === 1 && r[0]!.tag === 'text')).toBe(true);
  });

  it('code 19021 (bad signature) fails without retry', async () => {
    const { ctx } = capture({ code: 19021, msg: 'sign match fail or timestamp is not within one hour from current time' });
    await expect(feishuDriver.send({ webhookUrl: 'http://x/h', format: 'text', secret: 's' }, renderAlert(alert, { language: 'en' }), ctx)).rejects.toMatchObject({ retryable: false });
  });
});

describe('generic webhook', () => {
  it('sends extra headers and no signature headers without hmacSecret', async () => {
    const { ctx, calls } = capture({});
    await webhookDriver.send({ url: 'http://x/h', headers: { authorization: 'Bearer zzz' }, signatureHeader: 'x-ferry-signature' }, renderAlert(alert, { language: 'en' }), ctx);
    expect(calls[0]!.headers.authorization).toBe('Bearer zzz');
    expect(calls[0]!.headers['x-ferry-signature']).toBeUndefined();
    expect((calls[0]!.body as { alert: { facts: { type: string } } }).alert.facts.type).toBe('long_run');
  });
});
