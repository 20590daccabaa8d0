/**
 * Tables of `ferry serve` (migration 2 of the SQLite schema, see schema.ts). Written to keep the run's
 * hot path cheap: events, API calls, statistics, lineage and quality counts arrive in batches from the
 * server's recorder, one transaction per flush.
 */
export const SERVER_TABLES = `
  CREATE TABLE users (
    id TEXT PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0
  );
  CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
  );
  CREATE INDEX sessions_user ON sessions (user_id);
  CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    user_id TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    prefix TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_used_at INTEGER,
    expires_at INTEGER
  );
  CREATE TABLE connections (
    name TEXT PRIMARY KEY,
    platform TEXT NOT NULL,
    description TEXT,
    sealed TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE TABLE schemes (
    name TEXT PRIMARY KEY,
    text TEXT NOT NULL,
    enabled INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
  );
  CREATE TABLE run_events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id TEXT NOT NULL,
    scheme TEXT NOT NULL,
    at INTEGER NOT NULL,
    type TEXT NOT NULL,
    level TEXT NOT NULL,
    message TEXT NOT NULL,
    data TEXT
  );
  CREATE INDEX run_events_run ON run_events (run_id, seq);
  CREATE INDEX run_events_scheme ON run_events (scheme, at);
  CREATE TABLE api_calls (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id TEXT NOT NULL,
    scheme TEXT NOT NULL,
    at INTEGER NOT NULL,
    platform TEXT NOT NULL,
    connection TEXT NOT NULL,
    api TEXT NOT NULL,
    endpoint TEXT NOT NULL,
    duration_ms INTEGER NOT NULL,
    ok INTEGER NOT NULL,
    status INTEGER,
    code TEXT,
    message TEXT
  );
  CREATE INDEX api_calls_run ON api_calls (run_id, seq);
  CREATE INDEX api_calls_at ON api_calls (at);
  CREATE TABLE api_stats (
    connection TEXT NOT NULL,
    platform TEXT NOT NULL,
    api TEXT NOT NULL,
    bucket_start INTEGER NOT NULL,
    calls INTEGER NOT NULL,
    errors INTEGER NOT NULL,
    total_ms INTEGER NOT NULL,
    hist TEXT NOT NULL,
    PRIMARY KEY (connection, api, bucket_start)
  );
  CREATE TABLE record_lineage (
    scheme TEXT NOT NULL,
    source_id TEXT NOT NULL,
    run_id TEXT NOT NULL,
    source_data TEXT,
    payload TEXT,
    response TEXT,
    target_id TEXT,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (scheme, source_id)
  ) WITHOUT ROWID;
  CREATE TABLE quality_counts (
    run_id TEXT NOT NULL,
    scheme TEXT NOT NULL,
    error_code TEXT NOT NULL,
    error_field TEXT NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (run_id, error_code, error_field)
  );
  CREATE INDEX quality_counts_scheme ON quality_counts (scheme);
`;
