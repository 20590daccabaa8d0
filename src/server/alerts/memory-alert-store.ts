import type { AlertChannel } from './channel-schema.ts';
import type { AlertRule } from './rule-schema.ts';
import type { AlertHistoryEntry, AlertIncident, AlertSilence, HistoryQuery } from './types.ts';
import { clampLimit, openChannel, sealChannel, type AlertStore, type SealedChannel, type SecretCipher } from './alert-store.ts';

/**
 * In-memory AlertStore (tests, `ferry serve --memory`). Channels are sealed with the cipher exactly as
 * the SQLite store does, so both behave the same and a dump of either holds no plaintext secret.
 */
export class MemoryAlertStore implements AlertStore {
  private readonly rules = new Map<string, AlertRule>();
  /** Exposed for tests: what is "at rest". */
  readonly sealedChannels = new Map<string, SealedChannel>();
  private history: AlertHistoryEntry[] = [];
  private readonly incidents = new Map<string, AlertIncident>();
  private readonly silences = new Map<string, AlertSilence>();

  constructor(private readonly cipher: SecretCipher) {}

  async listRules(): Promise<AlertRule[]> {
    return [...this.rules.values()].sort((a, b) => a.createdAt - b.createdAt).map((r) => structuredClone(r));
  }
  async getRule(id: string): Promise<AlertRule | undefined> {
    const r = this.rules.get(id);
    return r && structuredClone(r);
  }
  async putRule(rule: AlertRule): Promise<void> {
    this.rules.set(rule.id, structuredClone(rule));
  }
  async deleteRule(id: string): Promise<boolean> {
    return this.rules.delete(id);
  }

  async listChannels(): Promise<AlertChannel[]> {
    return [...this.sealedChannels.values()].sort((a, b) => a.channel.createdAt - b.channel.createdAt).map((s) => openChannel(s, this.cipher));
  }
  async getChannel(id: string): Promise<AlertChannel | undefined> {
    const s = this.sealedChannels.get(id);
    return s && openChannel(structuredClone(s), this.cipher);
  }
  async putChannel(channel: AlertChannel): Promise<void> {
    this.sealedChannels.set(channel.id, structuredClone(sealChannel(channel, this.cipher)));
  }
  async deleteChannel(id: string): Promise<boolean> {
    return this.sealedChannels.delete(id);
  }

  async appendHistory(entry: AlertHistoryEntry): Promise<void> {
    this.history.push(structuredClone(entry));
  }
  async listHistory(q: HistoryQuery): Promise<AlertHistoryEntry[]> {
    const rows = this.history.filter(
      (h) =>
        (q.status === undefined || h.status === q.status) &&
        (q.ruleId === undefined || h.ruleId === q.ruleId) &&
        (q.scheme === undefined || h.scheme === q.scheme) &&
        (q.channelId === undefined || h.channelId === q.channelId) &&
        (q.since === undefined || h.at >= q.since),
    );
    // Newest first; insertion order breaks ties so equal timestamps stay stable.
    const ordered = rows.map((h, i) => ({ h, i })).sort((a, b) => b.h.at - a.h.at || b.i - a.i).map((x) => x.h);
    const offset = Math.max(0, q.offset ?? 0);
    return ordered.slice(offset, offset + clampLimit(q.limit)).map((h) => structuredClone(h));
  }
  async pruneHistory(before: number): Promise<number> {
    const n = this.history.length;
    this.history = this.history.filter((h) => h.at >= before);
    return n - this.history.length;
  }

  async getIncident(key: string): Promise<AlertIncident | undefined> {
    const i = this.incidents.get(key);
    return i && { ...i };
  }
  async putIncident(incident: AlertIncident): Promise<void> {
    this.incidents.set(incident.key, { ...incident });
  }
  async listIncidents(q: { open?: boolean; limit?: number }): Promise<AlertIncident[]> {
    return [...this.incidents.values()]
      .filter((i) => q.open === undefined || (i.resolvedAt === null) === q.open)
      .sort((a, b) => b.lastSeenAt - a.lastSeenAt)
      .slice(0, clampLimit(q.limit))
      .map((i) => ({ ...i }));
  }

  async listSilences(): Promise<AlertSilence[]> {
    return [...this.silences.values()].sort((a, b) => a.createdAt - b.createdAt).map((s) => ({ ...s }));
  }
  async putSilence(silence: AlertSilence): Promise<void> {
    this.silences.set(silence.id, { ...silence });
  }
  async deleteSilence(id: string): Promise<boolean> {
    return this.silences.delete(id);
  }
}
