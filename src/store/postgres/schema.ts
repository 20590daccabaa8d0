/**
 * PostgreSQL schema, applied in order inside one PostgreSQL schema (namespace). The table
 * `ferry_migrations` records which versions a database has; `migrate()` applies the rest under an
 * advisory lock, so serve and N workers starting at once migrate exactly once.
 *
 * Times are BIGINT milliseconds since epoch, like the SQLite store, so rows convert the same way.
 * `runs.seq` breaks ties of `started_at` in insertion order (SQLite uses its rowid for that).
 */
export function migrations(s: string): string[] {
  return [
    `CREATE TABLE ${s}.runs (
       id TEXT PRIMARY KEY,
       seq BIGSERIAL NOT NULL,
       scheme TEXT NOT NULL,
       status TEXT NOT NULL,
       trigger TEXT NOT NULL,
       started_at BIGINT NOT NULL,
       ended_at BIGINT,
       counts JSONB NOT NULL,
       reason TEXT,
       report TEXT,
       owner TEXT
     );
     CREATE INDEX runs_scheme_started ON ${s}.runs (scheme, started_at DESC, seq DESC);
     CREATE INDEX runs_started ON ${s}.runs (started_at DESC, seq DESC);
     CREATE TABLE ${s}.ledger (
       scheme TEXT NOT NULL,
       source_id TEXT NOT NULL,
       source_number TEXT,
       payload_hash TEXT,
       target_id TEXT,
       target_number TEXT,
       status TEXT NOT NULL,
       detail TEXT,
       run_id TEXT NOT NULL,
       updated_at BIGINT NOT NULL,
       message TEXT,
       error_code TEXT,
       error_field TEXT,
       source_data TEXT,
       payload TEXT,
       response TEXT,
       source_ref TEXT,
       PRIMARY KEY (scheme, source_id)
     );
     CREATE INDEX ledger_status ON ${s}.ledger (scheme, status);
     CREATE INDEX ledger_number ON ${s}.ledger (scheme, source_number);
     CREATE INDEX ledger_target_number ON ${s}.ledger (scheme, target_number);
     CREATE INDEX ledger_run ON ${s}.ledger (run_id, status);
     CREATE TABLE ${s}.checkpoints (
       scheme TEXT NOT NULL,
       stream TEXT NOT NULL,
       cursor TEXT,
       high_water BIGINT,
       run_id TEXT NOT NULL,
       updated_at BIGINT NOT NULL,
       PRIMARY KEY (scheme, stream)
     );`,
    // Scaled-out runs (src/scale): the scheme document a run was planned with, and its partitions.
    `CREATE TABLE ${s}.dist_runs (
       run_id TEXT PRIMARY KEY REFERENCES ${s}.runs (id) ON DELETE CASCADE,
       scheme TEXT NOT NULL,
       scheme_doc JSONB NOT NULL,
       options JSONB NOT NULL,
       planned_at BIGINT,
       plan JSONB,
       finished_at BIGINT
     );
     CREATE TABLE ${s}.dist_partitions (
       run_id TEXT NOT NULL REFERENCES ${s}.dist_runs (run_id) ON DELETE CASCADE,
       idx INTEGER NOT NULL,
       stream TEXT NOT NULL,
       spec JSONB NOT NULL,
       status TEXT NOT NULL,
       counts JSONB,
       attempts INTEGER NOT NULL DEFAULT 0,
       worker TEXT,
       reason TEXT,
       updated_at BIGINT NOT NULL,
       PRIMARY KEY (run_id, idx)
     );`,
    // Keyset paging of one run's ledger rows by status (the reconciliation walks them in source id order).
    `CREATE INDEX ledger_run_status_source ON ${s}.ledger (scheme, run_id, status, source_id) INCLUDE (target_number);`,
    // One run per scheme at a time (src/engine/run-lock.ts): the holder run and its process.
    `CREATE TABLE ${s}.run_locks (
       scheme TEXT PRIMARY KEY,
       run_id TEXT NOT NULL,
       pid INTEGER NOT NULL,
       host TEXT NOT NULL,
       process_start TEXT,
       acquired_at BIGINT NOT NULL,
       heartbeat_at BIGINT NOT NULL
     );
     CREATE INDEX runs_status ON ${s}.runs (status);`,
  ];
}

/** A PostgreSQL identifier we accept for the schema option (no quoting games). */
export const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
