import { createHmac } from 'node:crypto';
import { z } from 'zod';
import type { ChannelDriver } from './driver.ts';
import { DeliveryError, urlOrigin } from './driver.ts';
import { numberField, postJson, stringField } from './http-post.ts';
import { truncateUtf8 } from './limits.ts';

/**
 * DingTalk (钉钉) custom robot. Documented in "自定义机器人接入" / "自定义机器人安全设置"
 * (open.dingtalk.com/document/robots/custom-robot-access, …/customize-robot-security-settings; copies
 * found via the search tool: apifox.com/apidoc/docs-site/467052/doc-3550006, cnblogs.com/huawublog/p/12186923.html,
 * rubydoc.info/gems/dingbot/DingBot/Message/Markdown):
 *   POST https://oapi.dingtalk.com/robot/send?access_token=TOKEN[&timestamp=T&sign=S]
 *   markdown: {"msgtype":"markdown","markdown":{"title":"…","text":"…"},"at":{"atMobiles":[…],"isAtAll":false}}
 *   text:     {"msgtype":"text","text":{"content":"…"},"at":{…}}
 *   signing ("加签"): T = now in MILLISECONDS; S = urlEncode(base64(HmacSHA256(key = secret, message = T + "\n" + secret)));
 *   the server refuses T more than one hour off. Answer: {"errcode":0,"errmsg":"ok"}; 20 messages a minute per robot.
 * A mentioned mobile must also appear as "@mobile" in the text, so we append it.
 */
export const DingtalkConfig = z
  .object({
    webhookUrl: z.url().describe('Robot webhook URL including ?access_token=… (secret).'),
    secret: z.string().min(1).optional().describe('Signing secret ("SEC…") when the robot uses 加签 (secret).'),
    format: z.enum(['markdown', 'text']).default('markdown'),
    atMobiles: z.array(z.string().min(1)).optional(),
    atAll: z.boolean().default(false),
  })
  .strict();
export type DingtalkConfig = z.infer<typeof DingtalkConfig>;

/** errcode 130101: sending too fast (over 20 a minute) — retry later. */
const RETRYABLE_CODES = new Set([130101, -1]);

/** The signed webhook URL for a given millisecond timestamp. */
export function dingtalkSignedUrl(webhookUrl: string, secret: string | undefined, timestampMs: number): string {
  if (!secret) return webhookUrl;
  const ts = String(timestampMs);
  const sign = createHmac('sha256', secret).update(`${ts}\n${secret}`, 'utf8').digest('base64');
  const sep = webhookUrl.includes('?') ? '&' : '?';
  return `${webhookUrl}${sep}timestamp=${ts}&sign=${encodeURIComponent(sign)}`;
}

export const dingtalkDriver: ChannelDriver<DingtalkConfig> = {
  type: 'dingtalk',
  label: { 'zh-CN': '钉钉群机器人', en: 'DingTalk robot' },
  configSchema: DingtalkConfig,
  secretKeys: ['webhookUrl', 'secret'],
  destinationKeys: ['webhookUrl'],
  describeTarget: (c) => `${urlOrigin(c.webhookUrl)} (${c.format}${c.secret ? ', signed' : ''})`,
  async send(config, message, ctx) {
    const mentions = (config.atMobiles ?? []).map((m) => `@${m}`).join(' ');
    const at = { atMobiles: config.atMobiles ?? [], isAtAll: config.atAll };
    const body =
      config.format === 'markdown'
        ? {
            msgtype: 'markdown',
            markdown: { title: message.title, text: truncateUtf8(mentions ? `${message.markdown}\n\n${mentions}` : message.markdown, 18000) },
            at,
          }
        : { msgtype: 'text', text: { content: truncateUtf8(mentions ? `${message.text}\n${mentions}` : message.text, 18000) }, at };
    const res = await postJson(dingtalkSignedUrl(config.webhookUrl, config.secret, ctx.now()), body, ctx);
    const code = numberField(res.json, 'errcode');
    if (code !== 0) {
      const msg = stringField(res.json, 'errmsg') ?? res.text.slice(0, 200);
      throw new DeliveryError(`DingTalk answered errcode ${code ?? '(none)'}: ${msg}`, { retryable: code !== undefined && RETRYABLE_CODES.has(code) });
    }
    return { detail: 'errcode 0' };
  },
};
