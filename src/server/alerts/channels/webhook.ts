import { createHmac } from 'node:crypto';
import { z } from 'zod';
import type { RenderedAlert } from '../types.ts';
import type { ChannelDriver } from './driver.ts';
import { urlOrigin } from './driver.ts';
import { postJson } from './http-post.ts';

/**
 * Generic webhook: POSTs the alert as JSON (shape below, `version: 1`). With `hmacSecret`, adds
 *   x-ferry-timestamp: <ms since epoch>
 *   x-ferry-signature: sha256=<hex HMAC-SHA256(key = hmacSecret, message = timestamp + "." + raw body)>
 * so the receiver can check origin and freshness (the same scheme as Stripe/GitHub-style signatures).
 * Any 2xx is success. The URL and extra headers are treated as secrets (they usually carry tokens).
 */
export const WebhookConfig = z
  .object({
    url: z.url().describe('Receiver URL (secret: it often carries a token).'),
    headers: z.record(z.string().min(1), z.string()).optional().describe('Extra request headers, e.g. Authorization (secret).'),
    hmacSecret: z.string().min(8).optional().describe('Signs each body (secret).'),
    signatureHeader: z.string().min(1).default('x-ferry-signature'),
  })
  .strict();
export type WebhookConfig = z.infer<typeof WebhookConfig>;

/** The JSON a generic webhook receives. */
export function webhookBody(m: RenderedAlert): Record<string, unknown> {
  const a = m.alert;
  return {
    source: 'ferry',
    version: 1,
    alert: {
      id: a.id,
      state: a.state,
      severity: a.severity,
      rule: { id: a.ruleId, name: a.ruleName, type: a.ruleType },
      scheme: a.scheme ?? null,
      runId: a.runId ?? null,
      key: a.key,
      at: new Date(a.at).toISOString(),
      link: a.link ?? null,
      facts: a.facts,
    },
    message: { language: m.language, title: m.title, text: m.text, markdown: m.markdown },
  };
}

export function webhookSignature(secret: string, timestampMs: number, rawBody: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestampMs}.${rawBody}`, 'utf8').digest('hex')}`;
}

export const webhookDriver: ChannelDriver<WebhookConfig> = {
  type: 'webhook',
  label: { 'zh-CN': '通用 Webhook', en: 'Generic webhook' },
  configSchema: WebhookConfig,
  secretKeys: ['url', 'headers', 'hmacSecret'],
  destinationKeys: ['url'],
  describeTarget: (c) => `${urlOrigin(c.url)}${c.hmacSecret ? ' (signed)' : ''}`,
  async send(config, message, ctx) {
    const raw = JSON.stringify(webhookBody(message));
    const headers: Record<string, string> = { 'user-agent': 'ferry-alerts/1', ...(config.headers ?? {}) };
    if (config.hmacSecret) {
      const ts = ctx.now();
      headers['x-ferry-timestamp'] = String(ts);
      headers[config.signatureHeader.toLowerCase()] = webhookSignature(config.hmacSecret, ts, raw);
    }
    const res = await postJson(config.url, raw, ctx, headers);
    return { detail: `HTTP ${res.status}` };
  },
};
