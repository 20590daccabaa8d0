import { z } from 'zod';
import type { ChannelDriver } from './driver.ts';
import { DeliveryError, urlOrigin } from './driver.ts';
import { numberField, postJson, stringField } from './http-post.ts';
import { truncateUtf8 } from './limits.ts';

/**
 * WeCom (企业微信) group robot. Documented in "群机器人配置说明"
 * (developer.work.weixin.qq.com/document/path/91770; copies found via the search tool, e.g.
 * cnblogs.com/tiandi/p/17768525.html and blog.csdn.net/cnzt0/article/details/144470384):
 *   POST https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=KEY, JSON body
 *   text:     {"msgtype":"text","text":{"content":"…","mentioned_mobile_list":["138…","@all"]}}  (content ≤ 2048 bytes, UTF-8)
 *   markdown: {"msgtype":"markdown","markdown":{"content":"…"}}                               (content ≤ 4096 bytes)
 *   answer:   {"errcode":0,"errmsg":"ok"}; a robot may send 20 messages a minute.
 * The key in the URL is the only credential, so the whole URL is a secret.
 */
export const WecomConfig = z
  .object({
    webhookUrl: z.url().describe('Robot webhook URL including ?key=… (secret).'),
    format: z.enum(['markdown', 'text']).default('markdown'),
    mentionedMobiles: z.array(z.string().min(1)).optional().describe('Text format only: mobiles to @ ("@all" for everyone).'),
  })
  .strict();
export type WecomConfig = z.infer<typeof WecomConfig>;

/** errcode 45009: call frequency over the limit — worth retrying later. */
const RETRYABLE_CODES = new Set([45009, -1]);

export const wecomDriver: ChannelDriver<WecomConfig> = {
  type: 'wecom',
  label: { 'zh-CN': '企业微信群机器人', en: 'WeCom group robot' },
  configSchema: WecomConfig,
  secretKeys: ['webhookUrl'],
  destinationKeys: ['webhookUrl'],
  describeTarget: (c) => `${urlOrigin(c.webhookUrl)} (${c.format})`,
  async send(config, message, ctx) {
    const body =
      config.format === 'markdown'
        ? { msgtype: 'markdown', markdown: { content: truncateUtf8(message.markdown, 4096) } }
        : {
            msgtype: 'text',
            text: {
              content: truncateUtf8(message.text, 2048),
              ...(config.mentionedMobiles?.length ? { mentioned_mobile_list: config.mentionedMobiles } : {}),
            },
          };
    const res = await postJson(config.webhookUrl, body, ctx);
    const code = numberField(res.json, 'errcode');
    if (code !== 0) {
      const msg = stringField(res.json, 'errmsg') ?? res.text.slice(0, 200);
      throw new DeliveryError(`WeCom answered errcode ${code ?? '(none)'}: ${msg}`, { retryable: code !== undefined && RETRYABLE_CODES.has(code) });
    }
    return { detail: 'errcode 0' };
  },
};
