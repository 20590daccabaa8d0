import type Database from 'better-sqlite3';
import type { AlertChannel } from './channel-schema.ts';
import type { AlertRule } from './rule-schema.ts';
import type { AlertHistoryEntry, AlertIncident, AlertSilence, HistoryQuery } from './types.ts';
import { clampLimit, openChannel, sealChannel, type AlertStore, type SecretCipher } from './alert-store.ts';

/**
 * AlertStore in the server's SQLite file. It owns only its `alert_*` tables, created IF NOT EXISTS on
 * construction (independent of the state store's migrations in src/store/sqlite/schema.ts), and does
 * not close the Database it was given. Channel secrets are stored sealed in `alert_channels.secrets`.
 */
const DDL = `
CREATE TABLE IF NOT EXISTS alert_rules (
  id TEXT PRIMARY KEY,
  body TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS alert_channels (
  id TEXT PRIMARY KEY,
  type TEXT NOT NULL,
  body TEXT NOT NULL,
  secrets TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS alert_history (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  at INTEGER NOT NULL,
  status TEXT NOT NULL,
  rule_id TEXT,
  scheme TEXT,
  channel_id TEXT,
  body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS alert_history_at ON alert_history (at);
CREATE INDEX IF NOT EXISTS alert_history_rule ON alert_history (rule_id, at);
CREATE INDEX IF NOT EXISTS alert_history_scheme ON alert_history (scheme, at);
CREATE TABLE IF NOT EXISTS alert_incidents (
  key TEXT PRIMARY KEY,
  resolved_at INTEGER,
  last_seen_at INTEGER NOT NULL,
  body TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS alert_silences (
  id TEXT PRIMARY KEY,
  created_at INTEGER NOT NULL,
  body TEXT NOT NULL
);
`;

type BodyRow = { body: string };
type ChannelRow = { body: string; secrets: string | null };

export class SqliteAlertStore implements AlertStore {
  constructor(
    private readonly db: Database.Database,
    private readonly cipher: SecretCipher,
  ) {
    db.exec(DDL);
  }

  async listRules(): Promise<AlertRule[]> {
    return (this.db.prepare('SELECT body FROM alert_rules ORDER BY created_at, id').all() as BodyRow[]).map((r) => JSON.parse(r.body) as AlertRule);
  }
  async getRule(id: string): Promise<AlertRule | undefined> {
    const r = this.db.prepare('SELECT body FROM alert_rules WHERE id = ?').get(id) as BodyRow | undefined;
    return r && (JSON.parse(r.body) as AlertRule);
  }
  async putRule(rule: AlertRule): Promise<void> {
    this.db
      .prepare(`INSERT INTO alert_rules (id, body, created_at, updated_at) VALUES (?, ?, ?, ?)
        ON CONFLICT (id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at`)
      .run(rule.id, JSON.stringify(rule), rule.createdAt, rule.updatedAt);
  }
  async deleteRule(id: string): Promise<boolean> {
    return this.db.prepare('DELETE FROM alert_rules WHERE id = ?').run(id).changes > 0;
  }

  private open(r: ChannelRow): AlertChannel {
    return openChannel({ channel: JSON.parse(r.body) as Parameters<typeof openChannel>[0]['channel'], sealed: r.secrets }, this.cipher);
  }
  async listChannels(): Promise<AlertChannel[]> {
    return (this.db.prepare('SELECT body, secrets FROM alert_channels ORDER BY created_at, id').all() as ChannelRow[]).map((r) => this.open(r));
  }
  async getChannel(id: string): Promise<AlertChannel | undefined> {
    const r = this.db.prepare('SELECT body, secrets FROM alert_channels WHERE id = ?').get(id) as ChannelRow | undefined;
    return r && this.open(r);
  }
  async putChannel(channel: AlertChannel): Promise<void> {
    const s = sealChannel(channel, this.cipher);
    this.db
      .prepare(`INSERT INTO alert_channels (id, type, body, secrets, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (id) DO UPDATE SET type = excluded.type, body = excluded.body, secrets = excluded.secrets, updated_at = excluded.updated_at`)
      .run(channel.id, channel.type, JSON.stringify(s.channel), s.sealed, channel.createdAt, channel.updatedAt);
  }
  async deleteChannel(id: string): Promise<boolean> {
    return this.db.prepare('DELETE FROM alert_channels WHERE id = ?').run(id).changes > 0;
  }

  async appendHistory(e: AlertHistoryEntry): Promise<void> {
    this.db
      .prepare('INSERT INTO alert_history (id, at, status, rule_id, scheme, channel_id, body) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(e.id, e.at, e.status, e.ruleId, e.scheme, e.channelId, JSON.stringify(e));
  }
  async listHistory(q: HistoryQuery): Promise<AlertHistoryEntry[]> {
    const where: string[] = [];
    const args: (string | number)[] = [];
    const filter = (sql: string, v: string | number | undefined) => {
      if (v === undefined) return;
      where.push(sql);
      args.push(v);
    };
    filter('status = ?', q.status);
    filter('rule_id = ?', q.ruleId);
    filter('scheme = ?', q.scheme);
    filter('channel_id = ?', q.channelId);
    filter('at >= ?', q.since);
    const sql = `SELECT body FROM alert_history ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY at DESC, seq DESC LIMIT ? OFFSET ?`;
    args.push(clampLimit(q.limit), Math.max(0, Math.floor(q.offset ?? 0)));
    return (this.db.prepare(sql).all(...args) as BodyRow[]).map((r) => JSON.parse(r.body) as AlertHistoryEntry);
  }
  async pruneHistory(before: number): Promise<number> {
    return this.db.prepare('DELETE FROM alert_history WHERE at < ?').run(before).changes;
  }

  async getIncident(key: string): Promise<AlertIncident | undefined> {
    const r = this.db.prepare('SELECT body FROM alert_incidents WHERE key = ?').get(key) as BodyRow | undefined;
    return r && (JSON.parse(r.body) as AlertIncident);
  }
  async putIncident(i: AlertIncident): Promise<void> {
    this.db
      .prepare(`INSERT INTO alert_incidents (key, resolved_at, last_seen_at, body) VALUES (?, ?, ?, ?)
        ON CONFLICT (key) DO UPDATE SET resolved_at = excluded.resolved_at, last_seen_at = excluded.last_seen_at, body = excluded.body`)
      .run(i.key, i.resolvedAt, i.lastSeenAt, JSON.stringify(i));
  }
  async listIncidents(q: { open?: boolean; limit?: number }): Promise<AlertIncident[]> {
    const filter = q.open === undefined ? '' : q.open ? 'WHERE resolved_at IS NULL' : 'WHERE resolved_at IS NOT NULL';
    return (this.db.prepare(`SELECT body FROM alert_incidents ${filter} ORDER BY last_seen_at DESC LIMIT ?`).all(clampLimit(q.limit)) as BodyRow[]).map(
      (r) => JSON.parse(r.body) as AlertIncident,
    );
  }

  async listSilences(): Promise<AlertSilence[]> {
    return (this.db.prepare('SELECT body FROM alert_silences ORDER BY created_at, id').all() as BodyRow[]).map((r) => JSON.parse(r.body) as AlertSilence);
  }
  async putSilence(s: AlertSilence): Promise<void> {
    this.db
      .prepare('INSERT INTO alert_silences (id, created_at, body) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET body = excluded.body')
      .run(s.id, s.createdAt, JSON.stringify(s));
  }
  async deleteSilence(id: string): Promise<boolean> {
    return this.db.prepare('DELETE FROM alert_silences WHERE id = ?').run(id).changes > 0;
  }
}
