import type { z } from 'zod';
import type { Transporter } from 'nodemailer';
import type { RenderedAlert } from '../types.ts';

/**
 * A channel type: its config schema, which config keys are secrets, and how to deliver one rendered
 * alert. Drivers do one attempt and throw `DeliveryError` on failure; `delivery.ts` owns retries and
 * backoff, the service owns history. Drivers never put a secret into an error message (the service
 * also redacts every error with the channel's secret values before storing it).
 */
export interface ChannelDriver<C = unknown> {
  type: string;
  /** Human label for the console. */
  label: { 'zh-CN': string; en: string };
  configSchema: z.ZodType<C>;
  /** Top-level config keys holding secrets: encrypted at rest, masked in views, redacted from errors. */
  secretKeys: readonly string[];
  /**
   * Top-level config keys that decide where the secrets go (robot URL, SMTP host, port and TLS settings):
   * an edit that keeps a stored secret while changing one of these is refused — the secret must be entered again.
   */
  destinationKeys: readonly string[];
  /** A non-secret description of where messages go (host name, recipients), for the console. */
  describeTarget(config: C): string;
  send(config: C, message: RenderedAlert, ctx: SendContext): Promise<DeliveryReceipt>;
}

export interface SendContext {
  fetch: typeof fetch;
  /** ms since epoch (signing timestamps). */
  now: () => number;
  /** Per-attempt timeout. */
  timeoutMs: number;
  signal?: AbortSignal;
  /** Builds the nodemailer transport for an e-mail channel (tests inject jsonTransport/streamTransport). */
  mailTransport?: (options: MailServerOptions) => Transporter;
}

export interface MailServerOptions {
  host: string;
  port: number;
  secure: boolean;
  requireTLS: boolean;
  ignoreTLS: boolean;
  rejectUnauthorized: boolean;
  auth?: { user: string; pass: string };
  timeoutMs: number;
}

export interface DeliveryReceipt {
  /** Vendor answer summary for history ("errcode 0", "250 OK"). */
  detail?: string;
}

/** A failed attempt. `retryable` decides whether `delivery.ts` tries again. */
export class DeliveryError extends Error {
  readonly retryable: boolean;
  readonly status?: number;
  constructor(message: string, opts: { retryable: boolean; status?: number }) {
    super(message);
    this.name = 'DeliveryError';
    this.retryable = opts.retryable;
    if (opts.status !== undefined) this.status = opts.status;
  }
}

/** The non-secret part of a URL for messages and views: scheme + host (+ port). Never path or query. */
export function urlOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '(invalid url)';
  }
}
