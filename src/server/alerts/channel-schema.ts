import { z } from 'zod';
import { DingtalkConfig } from './channels/dingtalk.ts';
import { EmailConfig } from './channels/email.ts';
import { FeishuConfig } from './channels/feishu.ts';
import { driverFor } from './channels/index.ts';
import { WebhookConfig } from './channels/webhook.ts';
import { WecomConfig } from './channels/wecom.ts';

/**
 * A notification channel as data: `{name, type, config}` where `config` is the type's strict schema.
 * Secrets live inside `config` (see each driver's `secretKeys`); the store encrypts them, views mask
 * them as "***", and an update that sends "***" (or leaves a secret out) keeps the stored value;
 * `null` removes an optional secret.
 */
export const AlertLanguageSchema = z.enum(['zh-CN', 'en']);

const base = {
  name: z.string().min(1).max(120),
  enabled: z.boolean().default(true),
  language: AlertLanguageSchema.optional().describe('Message language for this channel (default: the server setting).'),
};

export const AlertChannelInput = z.discriminatedUnion('type', [
  z.object({ type: z.literal('wecom'), ...base, config: WecomConfig }).strict(),
  z.object({ type: z.literal('dingtalk'), ...base, config: DingtalkConfig }).strict(),
  z.object({ type: z.literal('feishu'), ...base, config: FeishuConfig }).strict(),
  z.object({ type: z.literal('webhook'), ...base, config: WebhookConfig }).strict(),
  z.object({ type: z.literal('email'), ...base, config: EmailConfig }).strict(),
]);
export type AlertChannelInput = z.input<typeof AlertChannelInput>;
export type AlertChannelBody = z.output<typeof AlertChannelInput>;
export type ChannelType = AlertChannelBody['type'];
export const CHANNEL_TYPES: readonly ChannelType[] = ['wecom', 'dingtalk', 'feishu', 'webhook', 'email'];

/** A stored channel (secrets decrypted — only inside the service). */
export type AlertChannel = AlertChannelBody & { id: string; createdAt: number; updatedAt: number };

/** What the API returns: secret values masked, plus a non-secret description of the target. */
export type AlertChannelView = Omit<AlertChannel, 'config'> & { config: Record<string, unknown>; target: string; secretKeys: readonly string[] };

export const SECRET_MASK = '***';

export function secretKeysOf(type: string): readonly string[] {
  return driverFor(type)?.secretKeys ?? [];
}

/** The channel's secret values (strings, and the values of secret maps such as webhook headers). */
export function secretValuesOf(channel: Pick<AlertChannel, 'type' | 'config'>): string[] {
  const cfg = channel.config as Record<string, unknown>;
  const out: string[] = [];
  for (const k of secretKeysOf(channel.type)) {
    const v = cfg[k];
    if (typeof v === 'string') {
      out.push(v);
      // A webhook URL's key also travels percent-encoded or on its own (query value / last path segment).
      try {
        const u = new URL(v);
        for (const q of u.searchParams.values()) out.push(q, encodeURIComponent(q));
        const last = u.pathname.split('/').pop();
        if (last) out.push(last);
      } catch {
        /* not a URL */
      }
    } else if (v && typeof v === 'object') {
      for (const x of Object.values(v as Record<string, unknown>)) if (typeof x === 'string') out.push(x);
    }
  }
  return out.filter((s) => s.length >= 4);
}

export function channelView(channel: AlertChannel): AlertChannelView {
  const keys = secretKeysOf(channel.type);
  const cfg: Record<string, unknown> = { ...(channel.config as Record<string, unknown>) };
  for (const k of keys) if (cfg[k] !== undefined) cfg[k] = SECRET_MASK;
  const driver = driverFor(channel.type);
  const target = driver ? driver.describeTarget(channel.config) : channel.type;
  return { ...channel, config: cfg, target, secretKeys: keys };
}

/**
 * For an update: secret fields that are missing or "***" in the raw input take the stored value, so a
 * client can edit a channel without ever seeing (or re-typing) its secrets.
 */
export function keepStoredSecrets(raw: unknown, stored: AlertChannel | undefined): unknown {
  if (!stored || !raw || typeof raw !== 'object') return raw;
  const input = raw as { type?: unknown; config?: unknown };
  if (input.type !== undefined && input.type !== stored.type) return raw;
  const cfg = input.config && typeof input.config === 'object' ? { ...(input.config as Record<string, unknown>) } : {};
  const old = stored.config as Record<string, unknown>;
  for (const k of secretKeysOf(stored.type)) {
    if (cfg[k] === null) delete cfg[k]; // explicit null removes an optional secret (e.g. turn signing off)
    else if ((cfg[k] === undefined || cfg[k] === SECRET_MASK) && old[k] !== undefined) cfg[k] = old[k];
  }
  return { ...input, type: stored.type, config: cfg };
}

/** The stored secrets an update keeps (left out or sent as "***"). */
export function keptSecretKeys(raw: unknown, stored: AlertChannel): string[] {
  const input = raw && typeof raw === 'object' ? (raw as { type?: unknown; config?: unknown }) : {};
  if (input.type !== undefined && input.type !== stored.type) return [];
  const cfg = input.config && typeof input.config === 'object' ? (input.config as Record<string, unknown>) : {};
  const old = stored.config as Record<string, unknown>;
  return secretKeysOf(stored.type).filter((k) => old[k] !== undefined && (cfg[k] === undefined || cfg[k] === SECRET_MASK));
}

/**
 * The destination fields (robot URL, SMTP host/port/TLS) an update changes. With any stored secret kept,
 * a change is refused: a secret is only ever sent where it was entered for.
 */
export function changedDestinationKeys(stored: AlertChannel, next: Pick<AlertChannel, 'type' | 'config'>): string[] {
  if (next.type !== stored.type) return [];
  const before = stored.config as Record<string, unknown>;
  const after = next.config as Record<string, unknown>;
  return (driverFor(stored.type)?.destinationKeys ?? []).filter((k) => JSON.stringify(before[k] ?? null) !== JSON.stringify(after[k] ?? null));
}

/** Secret fields of an unsaved channel still holding the mask: a test-send never fills them from a stored channel. */
export function maskedSecretKeys(raw: unknown): string[] {
  const input = raw && typeof raw === 'object' ? (raw as { type?: unknown; config?: unknown }) : {};
  const cfg = input.config && typeof input.config === 'object' ? (input.config as Record<string, unknown>) : {};
  return secretKeysOf(String(input.type ?? '')).filter((k) => cfg[k] === SECRET_MASK || (cfg[k] && typeof cfg[k] === 'object' && Object.values(cfg[k] as object).includes(SECRET_MASK)));
}
