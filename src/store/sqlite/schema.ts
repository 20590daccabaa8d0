import { SERVER_TABLES } from './server-schema.ts';

/** SQLite schema, applied in order; `PRAGMA user_version` records how far a database is. */
export const MIGRATIONS: string[] = [
  `CREATE TABLE runs (
     id TEXT PRIMARY KEY,
     scheme TEXT NOT NULL,
     status TEXT NOT NULL,
     trigger TEXT NOT NULL,
     started_at INTEGER NOT NULL,
     ended_at INTEGER,
     counts TEXT NOT NULL,
     reason TEXT,
     report TEXT,
     owner TEXT
   );
   CREATE INDEX runs_scheme_started ON runs (scheme, started_at DESC);
   CREATE TABLE ledger (
     scheme TEXT NOT NULL,
     source_id TEXT NOT NULL,
     source_number TEXT,
     payload_hash TEXT,
     target_id TEXT,
     target_number TEXT,
     status TEXT NOT NULL,
     detail TEXT,
     run_id TEXT NOT NULL,
     updated_at INTEGER NOT NULL,
     message TEXT,
     error_code TEXT,
     error_field TEXT,
     source_data TEXT,
     payload TEXT,
     response TEXT,
     source_ref TEXT,
     PRIMARY KEY (scheme, source_id)
   ) WITHOUT ROWID;
   CREATE INDEX ledger_status ON ledger (scheme, status);
   CREATE INDEX ledger_number ON ledger (scheme, source_number);
   CREATE INDEX ledger_run ON ledger (run_id);
   CREATE TABLE checkpoints (
     scheme TEXT NOT NULL,
     stream TEXT NOT NULL,
     cursor TEXT,
     high_water INTEGER,
     run_id TEXT NOT NULL,
     updated_at INTEGER NOT NULL,
     PRIMARY KEY (scheme, stream)
   );`,
  // 2: the tables of `ferry serve` (users, connections, schemes, event and API logs, lineage).
  SERVER_TABLES,
  // 3: keyset paging of one run's ledger rows by status (the reconciliation walks them in source id order).
  `CREATE INDEX ledger_run_status_source ON ledger (scheme, run_id, status, source_id, target_number);`,
  // 4: a generated first password must be changed before anything else (issue 13).
  `ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;`,
  // 5: one run per scheme at a time (src/engine/run-lock.ts): the holder run and its process.
  `CREATE TABLE run_locks (
     scheme TEXT PRIMARY KEY,
     run_id TEXT NOT NULL,
     pid INTEGER NOT NULL,
     host TEXT NOT NULL,
     process_start TEXT,
     acquired_at INTEGER NOT NULL,
     heartbeat_at INTEGER NOT NULL
   );
   CREATE INDEX runs_status ON runs (status);`,
];

/** Applies the migrations this database has not had yet, each in its own transaction. Idempotent. */
export function applyMigrations(db: { pragma(s: string, o?: { simple: boolean }): unknown; exec(sql: string): unknown; transaction(fn: () => void): () => void }): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  for (let v = version; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}
