import { createHmac } from 'node:crypto';
import { z } from 'zod';
import type { RenderedAlert } from '../types.ts';
import type { ChannelDriver } from './driver.ts';
import { DeliveryError, urlOrigin } from './driver.ts';
import { numberField, postJson, stringField } from './http-post.ts';
import { truncateUtf8 } from './limits.ts';

/**
 * Feishu / Lark (飞书) custom bot. Documented in "自定义机器人使用指南"
 * (open.feishu.cn/document/client-docs/bot-v3/add-custom-bot, mirrored at
 * open.larkoffice.com/document/ukTMukTMukTM/ucTM5YjL3ETO24yNxkjN; copies found via the search tool, e.g.
 * blog.csdn.net/qq_43108153/article/details/136166075):
 *   POST https://open.feishu.cn/open-apis/bot/v2/hook/TOKEN, JSON body
 *   text:        {"msg_type":"text","content":{"text":"…"}}
 *   post:        {"msg_type":"post","content":{"post":{"zh_cn":{"title":"…","content":[[{"tag":"text","text":"…"}]]}}}}
 *   interactive: {"msg_type":"interactive","card":{header, elements}} (message card JSON)
 *   signing ("签名校验"): the BODY gets "timestamp" (SECONDS, as a string) and
 *   "sign" = base64(HmacSHA256(key = timestamp + "\n" + secret, message = empty)) — note the key/message
 *   order is the reverse of DingTalk's. Answer {"code":0,"msg":"success"}; 19021 = sign mismatch or
 *   timestamp over an hour off, 9499 = bad request, 11232 = rate limited (100/min, 5/s per bot); body ≤ 20 KB.
 */
export const FeishuConfig = z
  .object({
    webhookUrl: z.url().describe('Bot webhook URL …/open-apis/bot/v2/hook/<token> (secret).'),
    secret: z.string().min(1).optional().describe('Signing secret when 签名校验 is on (secret).'),
    format: z.enum(['interactive', 'post', 'text']).default('interactive'),
  })
  .strict();
export type FeishuConfig = z.infer<typeof FeishuConfig>;

const RETRYABLE_CODES = new Set([11232]);

/** `{timestamp, sign}` for a given time in ms (the timestamp sent is in seconds). */
export function feishuSignature(secret: string, nowMs: number): { timestamp: string; sign: string } {
  const timestamp = String(Math.floor(nowMs / 1000));
  const sign = createHmac('sha256', `${timestamp}\n${secret}`).update('').digest('base64');
  return { timestamp, sign };
}

const CARD_COLOR = { critical: 'red', warning: 'orange', info: 'blue' } as const;

function feishuBody(config: FeishuConfig, m: RenderedAlert): Record<string, unknown> {
  const link = m.alert.link;
  if (config.format === 'text') return { msg_type: 'text', content: { text: truncateUtf8(m.text, 15000) } };
  if (config.format === 'post') {
    const rows: unknown[][] = m.lines.map((l) => [{ tag: 'text', text: `${l.label}: ${l.value}` }]);
    if (link) rows.push([{ tag: 'a', text: m.linkLabel, href: link }]);
    return { msg_type: 'post', content: { post: { [m.language === 'en' ? 'en_us' : 'zh_cn']: { title: m.title, content: rows } } } };
  }
  const elements: unknown[] = [{ tag: 'div', text: { tag: 'lark_md', content: truncateUtf8(m.markdownBody, 15000) } }];
  if (link) elements.push({ tag: 'action', actions: [{ tag: 'button', text: { tag: 'plain_text', content: m.linkLabel }, type: 'primary', url: link }] });
  const template = m.alert.state === 'resolved' ? 'green' : CARD_COLOR[m.alert.severity];
  return { msg_type: 'interactive', card: { config: { wide_screen_mode: true }, header: { title: { tag: 'plain_text', content: m.title }, template }, elements } };
}

export const feishuDriver: ChannelDriver<FeishuConfig> = {
  type: 'feishu',
  label: { 'zh-CN': '飞书群机器人', en: 'Feishu / Lark bot' },
  configSchema: FeishuConfig,
  secretKeys: ['webhookUrl', 'secret'],
  destinationKeys: ['webhookUrl'],
  describeTarget: (c) => `${urlOrigin(c.webhookUrl)} (${c.format}${c.secret ? ', signed' : ''})`,
  async send(config, message, ctx) {
    const body = { ...(config.secret ? feishuSignature(config.secret, ctx.now()) : {}), ...feishuBody(config, message) };
    const res = await postJson(config.webhookUrl, body, ctx);
    const code = numberField(res.json, 'code') ?? numberField(res.json, 'StatusCode');
    if (code !== 0) {
      const msg = stringField(res.json, 'msg') ?? stringField(res.json, 'StatusMessage') ?? res.text.slice(0, 200);
      throw new DeliveryError(`Feishu answered code ${code ?? '(none)'}: ${msg}`, { retryable: code !== undefined && RETRYABLE_CODES.has(code) });
    }
    return { detail: 'code 0' };
  },
};
