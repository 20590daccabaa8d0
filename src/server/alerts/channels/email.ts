import nodemailer, { type Transporter } from 'nodemailer';
import { z } from 'zod';
import type { RenderedAlert } from '../types.ts';
import type { ChannelDriver, MailServerOptions } from './driver.ts';
import { DeliveryError } from './driver.ts';

/**
 * E-mail over SMTP with nodemailer. `secure: true` is implicit TLS (port 465); otherwise STARTTLS is
 * used when the server offers it (`tls: 'require'` insists on it, `'never'` skips it — only for a
 * trusted local relay). The password is a secret.
 */
export const EmailConfig = z
  .object({
    host: z.string().min(1),
    port: z.number().int().min(1).max(65535).optional().describe('Default 465 when secure, else 587.'),
    secure: z.boolean().default(false).describe('Implicit TLS from the first byte (SMTPS, usually port 465).'),
    tls: z.enum(['auto', 'require', 'never']).default('auto').describe('STARTTLS when not secure.'),
    rejectUnauthorized: z.boolean().default(true).describe('Check the server certificate.'),
    username: z.string().min(1).optional(),
    password: z.string().min(1).optional().describe('SMTP password or app token (secret).'),
    from: z.string().min(3),
    to: z.array(z.string().min(3)).min(1),
    cc: z.array(z.string().min(3)).optional(),
  })
  .strict();
export type EmailConfig = z.infer<typeof EmailConfig>;

export function defaultMailTransport(o: MailServerOptions): Transporter {
  return nodemailer.createTransport({
    host: o.host,
    port: o.port,
    secure: o.secure,
    requireTLS: o.requireTLS,
    ignoreTLS: o.ignoreTLS,
    ...(o.auth ? { auth: o.auth } : {}),
    tls: { rejectUnauthorized: o.rejectUnauthorized },
    connectionTimeout: o.timeoutMs,
    greetingTimeout: o.timeoutMs,
    socketTimeout: o.timeoutMs,
  });
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export function emailHtml(m: RenderedAlert): string {
  const rows = m.lines.map((l) => `<tr><th align="left" style="padding-right:12px">${escapeHtml(l.label)}</th><td>${escapeHtml(l.value)}</td></tr>`).join('');
  const link = m.alert.link ? `<p><a href="${escapeHtml(m.alert.link)}">${escapeHtml(m.linkLabel)}</a></p>` : '';
  return `<html><body><h3>${escapeHtml(m.title)}</h3><table>${rows}</table>${link}</body></html>`;
}

/** nodemailer error codes that a later attempt may get past (network trouble, greylisting 4xx). */
const RETRYABLE = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ECONNRESET', 'ECONNREFUSED']);

export const emailDriver: ChannelDriver<EmailConfig> = {
  type: 'email',
  label: { 'zh-CN': '电子邮件 (SMTP)', en: 'E-mail (SMTP)' },
  configSchema: EmailConfig,
  secretKeys: ['password'],
  destinationKeys: ['host', 'port', 'secure', 'tls', 'rejectUnauthorized'],
  describeTarget: (c) => `${c.host}:${c.port ?? (c.secure ? 465 : 587)} → ${c.to.join(', ')}`,
  async send(config, message, ctx) {
    const make = ctx.mailTransport ?? defaultMailTransport;
    const transport = make({
      host: config.host,
      port: config.port ?? (config.secure ? 465 : 587),
      secure: config.secure,
      requireTLS: config.tls === 'require',
      ignoreTLS: config.tls === 'never',
      rejectUnauthorized: config.rejectUnauthorized,
      ...(config.username ? { auth: { user: config.username, pass: config.password ?? '' } } : {}),
      timeoutMs: ctx.timeoutMs,
    });
    try {
      const info = (await transport.sendMail({
        from: config.from,
        to: config.to,
        ...(config.cc?.length ? { cc: config.cc } : {}),
        subject: message.title,
        text: message.text,
        html: emailHtml(message),
      })) as { response?: string; messageId?: string };
      return { detail: typeof info.response === 'string' ? info.response.slice(0, 120) : 'accepted' };
    } catch (e) {
      const err = e as { code?: string; responseCode?: number; message?: string };
      const retryable = (err.code !== undefined && RETRYABLE.has(err.code)) || (err.responseCode !== undefined && err.responseCode >= 400 && err.responseCode < 500);
      throw new DeliveryError(`SMTP ${config.host}: ${err.code ? `${err.code} ` : ''}${err.message ?? String(e)}`, { retryable });
    } finally {
      transport.close();
    }
  },
};
