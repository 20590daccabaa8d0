/**
 * What `ferry serve` keeps beside the engine's StateStore: users, sessions and API tokens, connections
 * (credentials sealed by the server before they get here — the store never sees a plain secret), schemes,
 * the run event log, the per-run API call log, API latency statistics, record lineage and quality counts.
 *
 * SQLite implements it in the same database file as the StateStore (new tables in its own migration);
 * a PostgreSQL implementation can follow the same contract. Every method is async for that reason.
 */

export type UserRole = 'admin' | 'operator' | 'viewer';

export interface UserRow {
  id: string;
  username: string;
  /** `scrypt$N$r$p$salt$hash` (base64); never the password. */
  passwordHash: string;
  role: UserRole;
  createdAt: number;
  disabled: boolean;
  /** Set for a generated (printed) password: every call but changing it is refused until it is changed. */
  mustChangePassword?: boolean;
}

export interface SessionRow {
  /** SHA-256 of the cookie value: a stolen database does not yield live sessions. */
  idHash: string;
  userId: string;
  createdAt: number;
  expiresAt: number;
}

export interface ApiTokenRow {
  id: string;
  name: string;
  userId: string;
  /** SHA-256 of the token; the token itself is shown once, when created. */
  tokenHash: string;
  /** First characters of the token, to recognise it in the list. */
  prefix: string;
  createdAt: number;
  lastUsedAt: number | null;
  expiresAt: number | null;
}

export interface StoredConnection {
  name: string;
  platform: string;
  description: string | null;
  /** The whole connection config, sealed (AES-256-GCM) by the server. */
  sealed: string;
  createdAt: number;
  updatedAt: number;
}

export interface StoredScheme {
  name: string;
  /** The scheme document as the user wrote it (JSON text). */
  text: string;
  enabled: boolean;
  createdAt: number;
  updatedAt: number;
  /** Increments on every save. */
  version: number;
}

export type EventLevel = 'info' | 'warn' | 'error';

export interface RunEventRow {
  runId: string;
  scheme: string;
  at: number;
  type: string;
  level: EventLevel;
  message: string;
  /** Event details as JSON (already redacted). */
  data: string | null;
}

export interface ApiCallRow {
  runId: string;
  scheme: string;
  at: number;
  platform: string;
  connection: string;
  api: string;
  endpoint: string;
  durationMs: number;
  ok: boolean;
  status: number | null;
  code: string | null;
  message: string | null;
}

/** Latency histogram bucket upper bounds (ms) of ApiStatBucket.hist; the last bucket is open. */
export const LATENCY_BOUNDS_MS = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 30_000] as const;

/** Calls of one API on one connection within one hour; `hist[i]` counts calls ≤ LATENCY_BOUNDS_MS[i] (last: above). */
export interface ApiStatBucket {
  connection: string;
  platform: string;
  api: string;
  /** Start of the hour (ms since epoch). */
  bucketStart: number;
  calls: number;
  errors: number;
  totalMs: number;
  hist: number[];
}

export interface LineageRow {
  scheme: string;
  sourceId: string;
  runId: string;
  /** Source record as read (JSON). */
  sourceData: string | null;
  /** Mapped payload as sent to the target (JSON). */
  payload: string | null;
  /** Target's answer for this record (JSON), when it gave one. */
  response: string | null;
  targetId: string | null;
  updatedAt: number;
}

/** Rejections of one run by code (`quality:<rule>`, `mapping`, vendor code) and field. */
export interface QualityCount {
  runId: string;
  scheme: string;
  errorCode: string;
  errorField: string;
  count: number;
}

export interface EventQuery {
  runId?: string;
  scheme?: string;
  type?: string;
  level?: EventLevel;
  /** Substring of the message. */
  search?: string;
  limit?: number;
  offset?: number;
}

export interface ApiCallQuery {
  runId?: string;
  connection?: string;
  api?: string;
  ok?: boolean;
  search?: string;
  since?: number;
  limit?: number;
  offset?: number;
}

export interface ThroughputBucket {
  bucketStart: number;
  runs: number;
  failedRuns: number;
  read: number;
  written: number;
  rejected: number;
  failed: number;
}

/**
 * What retention removes (times in ms since epoch: rows older than each are deleted). Never the ledger or the
 * checkpoints: exactly-once needs every record's status, payload hash and target id for ever.
 */
export interface PruneCutoffs {
  /** Run events (`at`). */
  events: number;
  /** API call records (`at`) and hourly API statistics (`bucketStart`). */
  apiCalls: number;
  /** Record lineage: source, payload and response of a record (`updatedAt`). */
  lineage: number;
  /**
   * Finished runs started before this, with their quality counts — except each scheme's latest run and runs a
   * checkpoint names. Only where the runs live in the same database (one process); absent: runs are kept.
   */
  runs?: number;
}

export interface PruneCounts {
  events: number;
  apiCalls: number;
  apiStats: number;
  lineage: number;
  runs: number;
  qualityCounts: number;
}

export interface ServerStore {
  migrate(): Promise<void>;

  countUsers(): Promise<number>;
  getUser(id: string): Promise<UserRow | undefined>;
  getUserByName(username: string): Promise<UserRow | undefined>;
  listUsers(): Promise<UserRow[]>;
  createUser(u: UserRow): Promise<void>;
  updateUser(id: string, patch: Partial<Pick<UserRow, 'passwordHash' | 'role' | 'disabled' | 'mustChangePassword'>>): Promise<void>;
  deleteUser(id: string): Promise<void>;

  createSession(s: SessionRow): Promise<void>;
  getSession(idHash: string): Promise<SessionRow | undefined>;
  deleteSession(idHash: string): Promise<void>;
  deleteUserSessions(userId: string): Promise<void>;
  purgeSessions(now: number): Promise<void>;

  createToken(t: ApiTokenRow): Promise<void>;
  getTokenByHash(tokenHash: string): Promise<ApiTokenRow | undefined>;
  listTokens(userId?: string): Promise<ApiTokenRow[]>;
  touchToken(id: string, at: number): Promise<void>;
  deleteToken(id: string): Promise<void>;

  listConnections(): Promise<StoredConnection[]>;
  getConnection(name: string): Promise<StoredConnection | undefined>;
  putConnection(c: StoredConnection): Promise<void>;
  deleteConnection(name: string): Promise<void>;

  listSchemes(): Promise<StoredScheme[]>;
  getScheme(name: string): Promise<StoredScheme | undefined>;
  /** Inserts or replaces; `version` is set by the store (previous + 1). */
  putScheme(s: Omit<StoredScheme, 'version'>): Promise<StoredScheme>;
  setSchemeEnabled(name: string, enabled: boolean, at: number): Promise<void>;
  deleteScheme(name: string): Promise<void>;

  appendEvents(rows: RunEventRow[]): Promise<void>;
  queryEvents(q: EventQuery): Promise<RunEventRow[]>;
  appendApiCalls(rows: ApiCallRow[]): Promise<void>;
  queryApiCalls(q: ApiCallQuery): Promise<ApiCallRow[]>;
  /** Adds the buckets to the stored ones (same connection/api/hour are summed). */
  addApiStats(buckets: ApiStatBucket[]): Promise<void>;
  queryApiStats(q: { since: number; connection?: string }): Promise<ApiStatBucket[]>;

  saveLineage(rows: LineageRow[]): Promise<void>;
  getLineage(scheme: string, sourceId: string): Promise<LineageRow | undefined>;

  addQualityCounts(rows: QualityCount[]): Promise<void>;
  /** Per run when `runId` is given, else summed over the scheme's runs since `since`. */
  qualitySummary(q: { scheme: string; runId?: string; since?: number }): Promise<{ errorCode: string; errorField: string; count: number }[]>;

  /** Run totals per time bucket, from the runs table. */
  throughput(q: { since: number; bucketMs: number; scheme?: string }): Promise<ThroughputBucket[]>;
  /** Runs left `running` by a process that is gone. */
  listRunningRuns(): Promise<{ id: string; scheme: string; owner: string | null }[]>;
  /** Retention: deletes what is older than the cutoffs, in small batches (never a long write lock). */
  prune(before: PruneCutoffs): Promise<PruneCounts>;

  close(): Promise<void>;
}
