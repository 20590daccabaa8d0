import type { AlertChannel } from './channel-schema.ts';
import { secretKeysOf } from './channel-schema.ts';
import type { AlertRule } from './rule-schema.ts';
import type { AlertHistoryEntry, AlertIncident, AlertSilence, HistoryQuery } from './types.ts';

/**
 * Reversible encryption of channel secrets, injected by the composition root (the server uses
 * AES-256-GCM with its key; tests pass anything reversible). Output must be a string.
 */
export interface SecretCipher {
  encrypt(plain: string): string;
  decrypt(sealed: string): string;
}

/**
 * Where alerting keeps its data: rules, channels (secrets encrypted with the injected cipher),
 * history, de-duplication incidents and operator silences. In-memory and SQLite implementations;
 * async so a PostgreSQL one can follow. Channels come back decrypted — only the service sees them.
 */
export interface AlertStore {
  listRules(): Promise<AlertRule[]>;
  getRule(id: string): Promise<AlertRule | undefined>;
  putRule(rule: AlertRule): Promise<void>;
  deleteRule(id: string): Promise<boolean>;

  listChannels(): Promise<AlertChannel[]>;
  getChannel(id: string): Promise<AlertChannel | undefined>;
  putChannel(channel: AlertChannel): Promise<void>;
  deleteChannel(id: string): Promise<boolean>;

  appendHistory(entry: AlertHistoryEntry): Promise<void>;
  /** Newest first. */
  listHistory(q: HistoryQuery): Promise<AlertHistoryEntry[]>;
  /** Deletes history older than `before`; returns how many rows went. */
  pruneHistory(before: number): Promise<number>;

  getIncident(key: string): Promise<AlertIncident | undefined>;
  putIncident(incident: AlertIncident): Promise<void>;
  listIncidents(q: { open?: boolean; limit?: number }): Promise<AlertIncident[]>;

  listSilences(): Promise<AlertSilence[]>;
  putSilence(silence: AlertSilence): Promise<void>;
  deleteSilence(id: string): Promise<boolean>;
}

/** A channel split for storage: public config (JSON) + the secret fields sealed into one string. */
export interface SealedChannel {
  channel: Omit<AlertChannel, 'config'> & { config: Record<string, unknown> };
  sealed: string | null;
}

export function sealChannel(channel: AlertChannel, cipher: SecretCipher): SealedChannel {
  const pub: Record<string, unknown> = { ...(channel.config as Record<string, unknown>) };
  const secret: Record<string, unknown> = {};
  for (const k of secretKeysOf(channel.type)) {
    if (pub[k] !== undefined) {
      secret[k] = pub[k];
      delete pub[k];
    }
  }
  const sealed = Object.keys(secret).length ? cipher.encrypt(JSON.stringify(secret)) : null;
  return { channel: { ...channel, config: pub }, sealed };
}

export function openChannel(s: SealedChannel, cipher: SecretCipher): AlertChannel {
  const secret = s.sealed ? (JSON.parse(cipher.decrypt(s.sealed)) as Record<string, unknown>) : {};
  return { ...s.channel, config: { ...s.channel.config, ...secret } } as AlertChannel;
}

export function clampLimit(limit: number | undefined, dflt = 100, max = 1000): number {
  if (limit === undefined || !Number.isFinite(limit)) return dflt;
  return Math.max(1, Math.min(max, Math.floor(limit)));
}
