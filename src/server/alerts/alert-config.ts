import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Clock } from '../../core/policy/rate-limiter.ts';
import type { AlertStore } from './alert-store.ts';
import { AlertInputError, HistoryQuerySchema, IncidentQuerySchema, SilenceInput, TestSendBody, parseInput } from './api-schemas.ts';
import { AlertChannelInput, CHANNEL_TYPES, changedDestinationKeys, channelView, keepStoredSecrets, keptSecretKeys, maskedSecretKeys, type AlertChannel, type AlertChannelView } from './channel-schema.ts';
import { driverFor } from './channels/index.ts';
import type { Dispatcher } from './dispatcher.ts';
import { AlertRuleInput, RULE_TYPES, type AlertRule } from './rule-schema.ts';
import type { Alert, AlertHistoryEntry, AlertIncident, AlertSilence } from './types.ts';

export interface TestSendResult {
  ok: boolean;
  channelId: string | null;
  attempts: number;
  error?: string;
  detail?: string;
}

/**
 * Rules, channels and silences: validation (zod, 400 with reasons), referential checks (404/409),
 * the in-memory copy the evaluator reads synchronously, and the test-send. Channel views never carry
 * secret values; errors never carry them either.
 */
export class AlertConfig {
  rules: AlertRule[] = [];
  silences: AlertSilence[] = [];
  private readonly channels = new Map<string, AlertChannel>();

  constructor(
    private readonly store: AlertStore,
    private readonly clock: Clock,
    private readonly dispatcher: Dispatcher,
    private readonly hooks: { onRuleChanged(id: string): void },
  ) {}

  async load(): Promise<void> {
    this.rules = await this.store.listRules();
    this.channels.clear();
    for (const c of await this.store.listChannels()) this.channels.set(c.id, c);
    this.silences = await this.store.listSilences();
  }

  /** The rule's channels that exist and are enabled. */
  channelsFor(rule: AlertRule): AlertChannel[] {
    return rule.channels.map((id) => this.channels.get(id)).filter((c): c is AlertChannel => c !== undefined && c.enabled);
  }

  // ---- rules

  listRules(): AlertRule[] {
    return this.rules.map((r) => structuredClone(r));
  }

  getRule(id: string): AlertRule {
    const r = this.rules.find((x) => x.id === id);
    if (!r) throw new AlertInputError(404, `no alert rule "${id}"`);
    return structuredClone(r);
  }

  async createRule(raw: unknown): Promise<AlertRule> {
    const body = parseInput(AlertRuleInput, 'alert rule', raw);
    this.checkChannelsExist(body.channels);
    const now = this.clock.now();
    const rule = { ...body, id: `rule-${randomUUID().slice(0, 8)}`, createdAt: now, updatedAt: now } as AlertRule;
    await this.store.putRule(rule);
    this.rules.push(rule);
    return structuredClone(rule);
  }

  async updateRule(id: string, raw: unknown): Promise<AlertRule> {
    const old = this.getRule(id);
    const body = parseInput(AlertRuleInput, 'alert rule', raw);
    this.checkChannelsExist(body.channels);
    const rule = { ...body, id, createdAt: old.createdAt, updatedAt: this.clock.now() } as AlertRule;
    await this.store.putRule(rule);
    this.rules = this.rules.map((r) => (r.id === id ? rule : r));
    this.hooks.onRuleChanged(id);
    return structuredClone(rule);
  }

  async deleteRule(id: string): Promise<void> {
    this.getRule(id);
    await this.store.deleteRule(id);
    this.rules = this.rules.filter((r) => r.id !== id);
    this.hooks.onRuleChanged(id);
  }

  private checkChannelsExist(ids: readonly string[]): void {
    const missing = ids.filter((id) => !this.channels.has(id));
    if (missing.length) throw new AlertInputError(400, `invalid alert rule: unknown channel id(s) ${missing.map((m) => `"${m}"`).join(', ')}`);
  }

  // ---- channels

  listChannels(): AlertChannelView[] {
    return [...this.channels.values()].map(channelView);
  }

  getChannel(id: string): AlertChannelView {
    return channelView(this.channel(id));
  }

  private channel(id: string): AlertChannel {
    const c = this.channels.get(id);
    if (!c) throw new AlertInputError(404, `no alert channel "${id}"`);
    return c;
  }

  async createChannel(raw: unknown): Promise<AlertChannelView> {
    const body = parseInput(AlertChannelInput, 'alert channel', raw);
    const now = this.clock.now();
    const channel = { ...body, id: `ch-${randomUUID().slice(0, 8)}`, createdAt: now, updatedAt: now } as AlertChannel;
    await this.store.putChannel(channel);
    this.channels.set(channel.id, channel);
    return channelView(channel);
  }

  /** Replaces a channel; secret fields left out or sent as "***" keep their stored values. */
  async updateChannel(id: string, raw: unknown): Promise<AlertChannelView> {
    const old = this.channel(id);
    const body = parseInput(AlertChannelInput, 'alert channel', keepStoredSecrets(raw, old));
    const kept = keptSecretKeys(raw, old);
    const changed = kept.length ? changedDestinationKeys(old, body) : [];
    if (changed.length)
      throw new AlertInputError(
        400,
        `alert channel "${old.name}": ${changed.join(', ')} changed, so the stored secret${kept.length > 1 ? 's' : ''} ${kept.join(', ')} cannot be kept — enter ${kept.length > 1 ? 'them' : 'it'} again, or send null to remove an optional one (a stored secret is only sent where it was entered for)`,
        [...changed.map((k) => ({ path: `config.${k}`, message: 'changed' })), ...kept.map((k) => ({ path: `config.${k}`, message: 'enter it again' }))],
        'secrets_must_be_reentered',
      );
    const channel = { ...body, id, createdAt: old.createdAt, updatedAt: this.clock.now() } as AlertChannel;
    await this.store.putChannel(channel);
    this.channels.set(id, channel);
    return channelView(channel);
  }

  async deleteChannel(id: string): Promise<void> {
    this.channel(id);
    const users = this.rules.filter((r) => r.channels.includes(id));
    if (users.length) throw new AlertInputError(409, `alert channel "${id}" is used by rule(s) ${users.map((r) => `"${r.name}"`).join(', ')}; remove it from them first`);
    await this.store.deleteChannel(id);
    this.channels.delete(id);
  }

  /** Sends a test message through a stored channel (one attempt) and records it in history. */
  async testChannel(id: string, rawBody: unknown = {}): Promise<TestSendResult> {
    const body = parseInput(TestSendBody, 'test-send body', rawBody ?? {});
    const stored = this.channel(id);
    const channel = body.language ? { ...stored, language: body.language } : stored;
    const [r] = await this.dispatcher.send(this.testAlert(id), [channel], { maxAttempts: 1 });
    return { ok: r!.ok, channelId: id, attempts: r!.attempts, ...(r!.error ? { error: r!.error } : {}), ...(r!.detail ? { detail: r!.detail } : {}) };
  }

  /** Test-sends an unsaved channel (the console's "test before saving"); history records it under channel id "(unsaved)". */
  async testChannelInput(raw: unknown): Promise<TestSendResult> {
    const masked = maskedSecretKeys(raw);
    if (masked.length)
      throw new AlertInputError(
        400,
        `an unsaved channel is sent exactly as given: enter ${masked.join(', ')} (a stored secret is never filled into an unsaved channel; save the channel, then test the stored one)`,
        masked.map((k) => ({ path: `config.${k}`, message: 'enter it again' })),
        'secrets_must_be_reentered',
      );
    const body = parseInput(AlertChannelInput, 'alert channel', raw);
    const now = this.clock.now();
    const channel = { ...body, id: '(unsaved)', createdAt: now, updatedAt: now } as AlertChannel;
    const [r] = await this.dispatcher.send(this.testAlert(channel.id), [channel], { maxAttempts: 1 });
    return { ok: r!.ok, channelId: null, attempts: r!.attempts, ...(r!.error ? { error: r!.error } : {}), ...(r!.detail ? { detail: r!.detail } : {}) };
  }

  private testAlert(channelId: string): Alert {
    return { id: randomUUID(), state: 'firing', ruleId: null, ruleName: 'test', ruleType: 'test', severity: 'info', key: `test|${channelId}`, at: this.clock.now(), facts: { type: 'test' } };
  }

  // ---- silences

  async createSilence(raw: unknown, createdBy: string | null = null): Promise<AlertSilence> {
    const body = parseInput(SilenceInput, 'silence', raw);
    if (body.ruleId !== null) this.getRule(body.ruleId);
    const now = this.clock.now();
    const silence: AlertSilence = {
      id: `sil-${randomUUID().slice(0, 8)}`,
      ruleId: body.ruleId,
      scheme: body.scheme,
      until: body.until ?? now + body.minutes! * 60_000,
      reason: body.reason,
      createdAt: now,
      createdBy,
    };
    await this.store.putSilence(silence);
    this.silences.push(silence);
    return { ...silence };
  }

  listSilences(): AlertSilence[] {
    return this.silences.map((s) => ({ ...s }));
  }

  async deleteSilence(id: string): Promise<void> {
    if (!(await this.store.deleteSilence(id))) throw new AlertInputError(404, `no silence "${id}"`);
    this.silences = this.silences.filter((s) => s.id !== id);
  }

  // ---- history and incidents

  listHistory(rawQuery: unknown = {}): Promise<AlertHistoryEntry[]> {
    return this.store.listHistory(parseInput(HistoryQuerySchema, 'history query', rawQuery ?? {}));
  }

  listIncidents(rawQuery: unknown = {}): Promise<AlertIncident[]> {
    const q = parseInput(IncidentQuerySchema, 'incident query', rawQuery ?? {});
    return this.store.listIncidents({ limit: q.limit, ...(q.open !== undefined ? { open: q.open } : {}) });
  }

  /** Rule and channel types with their JSON Schemas, for the console's forms. */
  describe(): { ruleTypes: readonly string[]; ruleSchema: unknown; channelTypes: { type: string; label: { 'zh-CN': string; en: string }; secretKeys: readonly string[]; configSchema: unknown }[] } {
    return {
      ruleTypes: RULE_TYPES,
      ruleSchema: z.toJSONSchema(AlertRuleInput, { io: 'input' }),
      channelTypes: CHANNEL_TYPES.map((t) => {
        const d = driverFor(t)!;
        return { type: t, label: d.label, secretKeys: d.secretKeys, configSchema: z.toJSONSchema(d.configSchema, { io: 'input' }) };
      }),
    };
  }
}
