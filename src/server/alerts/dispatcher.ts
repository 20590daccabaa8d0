import type { Transporter } from 'nodemailer';
import type { Clock } from '../../core/policy/rate-limiter.ts';
import { makeRedactor } from '../../core/redact.ts';
import type { AlertStore } from './alert-store.ts';
import type { AlertChannel } from './channel-schema.ts';
import { secretValuesOf } from './channel-schema.ts';
import { driverFor } from './channels/index.ts';
import type { MailServerOptions } from './channels/driver.ts';
import { deliver, type DeliveryPolicy } from './delivery.ts';
import { renderAlert } from './render.ts';
import type { Alert, AlertHistoryEntry, AlertLanguage, HistoryStatus } from './types.ts';

/** Logger shape (pino's `logger.warn(obj, msg)` fits). Fields never include channel config. */
export interface AlertLogger {
  info(obj: Record<string, unknown>, msg: string): void;
  warn(obj: Record<string, unknown>, msg: string): void;
  error(obj: Record<string, unknown>, msg: string): void;
}

export const silentLogger: AlertLogger = { info() {}, warn() {}, error() {} };

export interface DispatcherDeps {
  store: AlertStore;
  clock: Clock;
  fetch: typeof fetch;
  policy: DeliveryPolicy;
  language: AlertLanguage;
  timeZone: string;
  mailTransport?: (o: MailServerOptions) => Transporter;
  log: AlertLogger;
  newId: () => string;
  signal: AbortSignal;
}

export interface ChannelResult {
  channelId: string;
  channelName: string;
  ok: boolean;
  attempts: number;
  error?: string;
  detail?: string;
}

/**
 * Renders an alert per channel language, delivers it (with retries) to each channel in parallel and
 * writes one history row per channel. Every error is passed through a redactor built from that
 * channel's secret values before it reaches history or the log.
 */
export class Dispatcher {
  constructor(private readonly d: DispatcherDeps) {}

  async send(alert: Alert, channels: readonly AlertChannel[], policy: Partial<DeliveryPolicy> = {}): Promise<ChannelResult[]> {
    return Promise.all(channels.map((c) => this.sendOne(alert, c, { ...this.d.policy, ...policy })));
  }

  private async sendOne(alert: Alert, channel: AlertChannel, policy: DeliveryPolicy): Promise<ChannelResult> {
    const redact = makeRedactor(secretValuesOf(channel));
    const message = renderAlert(alert, { language: channel.language ?? this.d.language, timeZone: this.d.timeZone });
    const driver = driverFor(channel.type);
    const outcome = driver
      ? await deliver(
          driver,
          channel.config,
          message,
          { fetch: this.d.fetch, now: () => this.d.clock.now(), signal: this.d.signal, ...(this.d.mailTransport ? { mailTransport: this.d.mailTransport } : {}) },
          policy,
          this.d.clock,
        )
      : ({ ok: false, attempts: 0, error: `unknown channel type "${channel.type}"`, retryable: false } as const);
    const error = outcome.ok ? undefined : redact(outcome.error);
    await this.record(alert, outcome.ok ? 'sent' : 'failed', { channel, attempts: outcome.attempts, error: error ?? null, title: message.title, text: message.text });
    if (!outcome.ok) this.d.log.warn({ alertId: alert.id, ruleId: alert.ruleId, channelId: channel.id, channelType: channel.type, attempts: outcome.attempts, error }, 'alert delivery failed');
    return {
      channelId: channel.id,
      channelName: channel.name,
      ok: outcome.ok,
      attempts: outcome.attempts,
      ...(error !== undefined ? { error } : {}),
      ...(outcome.ok && outcome.detail ? { detail: redact(outcome.detail) } : {}),
    };
  }

  /** One history row that is not a delivery: suppressed, or failed before any channel (no channel usable). */
  async note(alert: Alert, status: Exclude<HistoryStatus, 'sent'>, reason: string): Promise<void> {
    const m = renderAlert(alert, { language: this.d.language, timeZone: this.d.timeZone });
    await this.record(alert, status, { attempts: 0, error: reason, title: m.title, text: m.text });
  }

  private async record(
    alert: Alert,
    status: HistoryStatus,
    x: { channel?: AlertChannel; attempts: number; error: string | null; title: string; text: string },
  ): Promise<void> {
    const entry: AlertHistoryEntry = {
      id: this.d.newId(),
      at: this.d.clock.now(),
      status,
      state: alert.state,
      alertId: alert.id,
      ruleId: alert.ruleId,
      ruleName: alert.ruleName,
      ruleType: alert.ruleType,
      severity: alert.severity,
      scheme: alert.scheme ?? null,
      runId: alert.runId ?? null,
      key: alert.key,
      channelId: x.channel?.id ?? null,
      channelName: x.channel?.name ?? null,
      channelType: x.channel?.type ?? null,
      attempts: x.attempts,
      error: x.error,
      title: x.title,
      text: x.text,
    };
    await this.d.store.appendHistory(entry);
  }
}
