import Database from 'better-sqlite3';
import type {
  ApiCallQuery,
  ApiCallRow,
  ApiStatBucket,
  ApiTokenRow,
  EventQuery,
  LineageRow,
  PruneCounts,
  PruneCutoffs,
  QualityCount,
  RunEventRow,
  ServerStore,
  SessionRow,
  StoredConnection,
  StoredScheme,
  ThroughputBucket,
  UserRow,
} from '../../core/contracts/server-store.ts';
import type { Row } from './rows.ts';
import { applyMigrations } from './schema.ts';
import { ServerLogs } from './server-logs.ts';
import { pruneServerLogs } from './server-prune.ts';
import { connectionFromRow, schemeFromRow, tokenFromRow, userFromRow } from './server-rows.ts';
import { preparePrivateFile } from './private-file.ts';

/**
 * The server's tables in the same SQLite file as the SqliteStore (its own connection; WAL lets both
 * work on one file). Runs the shared migrations itself, so either store may open the file first.
 */
export class SqliteServerStore implements ServerStore {
  private readonly db: Database.Database;
  private readonly logs: ServerLogs;

  constructor(file: string) {
    preparePrivateFile(file);
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    applyMigrations(this.db);
    this.logs = new ServerLogs(this.db);
  }

  async migrate(): Promise<void> {
    applyMigrations(this.db);
  }

  // users
  async countUsers(): Promise<number> {
    return Number((this.db.prepare('SELECT COUNT(*) n FROM users').get() as Row).n);
  }
  async getUser(id: string): Promise<UserRow | undefined> {
    const r = this.db.prepare('SELECT * FROM users WHERE id = ?').get(id) as Row | undefined;
    return r ? userFromRow(r) : undefined;
  }
  async getUserByName(username: string): Promise<UserRow | undefined> {
    const r = this.db.prepare('SELECT * FROM users WHERE username = ?').get(username) as Row | undefined;
    return r ? userFromRow(r) : undefined;
  }
  async listUsers(): Promise<UserRow[]> {
    return (this.db.prepare('SELECT * FROM users ORDER BY username').all() as Row[]).map(userFromRow);
  }
  async createUser(u: UserRow): Promise<void> {
    this.db
      .prepare('INSERT INTO users (id, username, password_hash, role, created_at, disabled, must_change_password) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(u.id, u.username, u.passwordHash, u.role, u.createdAt, u.disabled ? 1 : 0, u.mustChangePassword ? 1 : 0);
  }
  async updateUser(id: string, patch: Partial<Pick<UserRow, 'passwordHash' | 'role' | 'disabled' | 'mustChangePassword'>>): Promise<void> {
    if (patch.passwordHash !== undefined) this.db.prepare('UPDATE users SET password_hash = ? WHERE id = ?').run(patch.passwordHash, id);
    if (patch.role !== undefined) this.db.prepare('UPDATE users SET role = ? WHERE id = ?').run(patch.role, id);
    if (patch.disabled !== undefined) this.db.prepare('UPDATE users SET disabled = ? WHERE id = ?').run(patch.disabled ? 1 : 0, id);
    if (patch.mustChangePassword !== undefined) this.db.prepare('UPDATE users SET must_change_password = ? WHERE id = ?').run(patch.mustChangePassword ? 1 : 0, id);
  }
  async deleteUser(id: string): Promise<void> {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM sessions WHERE user_id = ?').run(id);
      this.db.prepare('DELETE FROM api_tokens WHERE user_id = ?').run(id);
      this.db.prepare('DELETE FROM users WHERE id = ?').run(id);
    })();
  }

  // sessions
  async createSession(s: SessionRow): Promise<void> {
    this.db.prepare('INSERT INTO sessions (id_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)').run(s.idHash, s.userId, s.createdAt, s.expiresAt);
  }
  async getSession(idHash: string): Promise<SessionRow | undefined> {
    const r = this.db.prepare('SELECT * FROM sessions WHERE id_hash = ?').get(idHash) as Row | undefined;
    return r ? { idHash: String(r.id_hash), userId: String(r.user_id), createdAt: Number(r.created_at), expiresAt: Number(r.expires_at) } : undefined;
  }
  async deleteSession(idHash: string): Promise<void> {
    this.db.prepare('DELETE FROM sessions WHERE id_hash = ?').run(idHash);
  }
  async deleteUserSessions(userId: string): Promise<void> {
    this.db.prepare('DELETE FROM sessions WHERE user_id = ?').run(userId);
  }
  async purgeSessions(now: number): Promise<void> {
    this.db.prepare('DELETE FROM sessions WHERE expires_at < ?').run(now);
  }

  // API tokens
  async createToken(t: ApiTokenRow): Promise<void> {
    this.db
      .prepare('INSERT INTO api_tokens (id, name, user_id, token_hash, prefix, created_at, last_used_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(t.id, t.name, t.userId, t.tokenHash, t.prefix, t.createdAt, t.lastUsedAt, t.expiresAt);
  }
  async getTokenByHash(tokenHash: string): Promise<ApiTokenRow | undefined> {
    const r = this.db.prepare('SELECT * FROM api_tokens WHERE token_hash = ?').get(tokenHash) as Row | undefined;
    return r ? tokenFromRow(r) : undefined;
  }
  async listTokens(userId?: string): Promise<ApiTokenRow[]> {
    const rows = userId ? this.db.prepare('SELECT * FROM api_tokens WHERE user_id = ? ORDER BY created_at').all(userId) : this.db.prepare('SELECT * FROM api_tokens ORDER BY created_at').all();
    return (rows as Row[]).map(tokenFromRow);
  }
  async touchToken(id: string, at: number): Promise<void> {
    this.db.prepare('UPDATE api_tokens SET last_used_at = ? WHERE id = ?').run(at, id);
  }
  async deleteToken(id: string): Promise<void> {
    this.db.prepare('DELETE FROM api_tokens WHERE id = ?').run(id);
  }

  // connections
  async listConnections(): Promise<StoredConnection[]> {
    return (this.db.prepare('SELECT * FROM connections ORDER BY name').all() as Row[]).map(connectionFromRow);
  }
  async getConnection(name: string): Promise<StoredConnection | undefined> {
    const r = this.db.prepare('SELECT * FROM connections WHERE name = ?').get(name) as Row | undefined;
    return r ? connectionFromRow(r) : undefined;
  }
  async putConnection(c: StoredConnection): Promise<void> {
    this.db
      .prepare(`INSERT INTO connections (name, platform, description, sealed, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (name) DO UPDATE SET platform = excluded.platform, description = excluded.description, sealed = excluded.sealed, updated_at = excluded.updated_at`)
      .run(c.name, c.platform, c.description, c.sealed, c.createdAt, c.updatedAt);
  }
  async deleteConnection(name: string): Promise<void> {
    this.db.prepare('DELETE FROM connections WHERE name = ?').run(name);
  }

  // schemes
  async listSchemes(): Promise<StoredScheme[]> {
    return (this.db.prepare('SELECT * FROM schemes ORDER BY name').all() as Row[]).map(schemeFromRow);
  }
  async getScheme(name: string): Promise<StoredScheme | undefined> {
    const r = this.db.prepare('SELECT * FROM schemes WHERE name = ?').get(name) as Row | undefined;
    return r ? schemeFromRow(r) : undefined;
  }
  async putScheme(s: Omit<StoredScheme, 'version'>): Promise<StoredScheme> {
    this.db
      .prepare(`INSERT INTO schemes (name, text, enabled, created_at, updated_at, version) VALUES (?, ?, ?, ?, ?, 1)
        ON CONFLICT (name) DO UPDATE SET text = excluded.text, enabled = excluded.enabled, updated_at = excluded.updated_at, version = schemes.version + 1`)
      .run(s.name, s.text, s.enabled ? 1 : 0, s.createdAt, s.updatedAt);
    return (await this.getScheme(s.name))!;
  }
  async setSchemeEnabled(name: string, enabled: boolean, at: number): Promise<void> {
    this.db.prepare('UPDATE schemes SET enabled = ?, updated_at = ? WHERE name = ?').run(enabled ? 1 : 0, at, name);
  }
  async deleteScheme(name: string): Promise<void> {
    this.db.prepare('DELETE FROM schemes WHERE name = ?').run(name);
  }

  // logs, statistics, lineage, quality
  async appendEvents(rows: RunEventRow[]): Promise<void> {
    if (rows.length) this.logs.appendEvents(rows);
  }
  async queryEvents(q: EventQuery): Promise<RunEventRow[]> {
    return this.logs.queryEvents(q);
  }
  async appendApiCalls(rows: ApiCallRow[]): Promise<void> {
    if (rows.length) this.logs.appendApiCalls(rows);
  }
  async queryApiCalls(q: ApiCallQuery): Promise<ApiCallRow[]> {
    return this.logs.queryApiCalls(q);
  }
  async addApiStats(buckets: ApiStatBucket[]): Promise<void> {
    if (buckets.length) this.logs.addApiStats(buckets);
  }
  async queryApiStats(q: { since: number; connection?: string }): Promise<ApiStatBucket[]> {
    return this.logs.queryApiStats(q);
  }
  async saveLineage(rows: LineageRow[]): Promise<void> {
    if (rows.length) this.logs.saveLineage(rows);
  }
  async getLineage(scheme: string, sourceId: string): Promise<LineageRow | undefined> {
    return this.logs.getLineage(scheme, sourceId);
  }
  async addQualityCounts(rows: QualityCount[]): Promise<void> {
    if (rows.length) this.logs.addQualityCounts(rows);
  }
  async qualitySummary(q: { scheme: string; runId?: string; since?: number }): Promise<{ errorCode: string; errorField: string; count: number }[]> {
    return this.logs.qualitySummary(q);
  }
  async throughput(q: { since: number; bucketMs: number; scheme?: string }): Promise<ThroughputBucket[]> {
    return this.logs.throughput(q);
  }
  async listRunningRuns(): Promise<{ id: string; scheme: string; owner: string | null }[]> {
    return this.logs.listRunningRuns();
  }

  async prune(before: PruneCutoffs): Promise<PruneCounts> {
    return pruneServerLogs(this.db, before);
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
