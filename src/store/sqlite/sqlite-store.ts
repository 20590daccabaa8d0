import Database from 'better-sqlite3';
import type {
  LedgerRow,
  LedgerStatus,
  RecordQuery,
  LedgerRunCounts,
  RunLedgerPageQuery,
  RunLock,
  RunRow,
  RunStatus,
  StateStore,
  StoredCheckpoint,
} from '../../core/contracts/state-store.ts';
import { applyMigrations } from './schema.ts';
import { ledgerCounts } from '../../core/contracts/state-store.ts';
import { ledgerFromRow, lockFromRow, runFromRow, type Row } from './rows.ts';
import { preparePrivateFile } from './private-file.ts';

/**
 * The default StateStore: one SQLite file (WAL mode). better-sqlite3 is synchronous, which suits the
 * engine's small, frequent transactions (one per page); the async contract keeps PostgreSQL possible.
 */
export class SqliteStore implements StateStore {
  private readonly db: Database.Database;
  private readonly upsertLedger: Database.Statement;
  private readonly upsertCheckpoint: Database.Statement;
  private readonly deleteCp: Database.Statement;

  constructor(file: string) {
    preparePrivateFile(file);
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    // NORMAL in WAL mode: a commit survives a process crash (kill -9); only an OS crash may lose the last commits.
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    applyMigrations(this.db);
    this.upsertLedger = this.db.prepare(upsertLedgerSql(1));
    this.upsertCheckpoint = this.db.prepare(`INSERT INTO checkpoints (scheme, stream, cursor, high_water, run_id, updated_at)
      VALUES (@scheme, @stream, @cursor, @highWater, @runId, @updatedAt)
      ON CONFLICT (scheme, stream) DO UPDATE SET cursor = excluded.cursor, high_water = excluded.high_water,
        run_id = excluded.run_id, updated_at = excluded.updated_at`);
    this.deleteCp = this.db.prepare('DELETE FROM checkpoints WHERE scheme = ? AND stream = ?');
  }

  async migrate(): Promise<void> {
    applyMigrations(this.db);
  }

  async createRun(run: Omit<RunRow, 'endedAt' | 'report' | 'reason'>): Promise<void> {
    this.db
      .prepare('INSERT INTO runs (id, scheme, status, trigger, started_at, counts, owner) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(run.id, run.scheme, run.status, run.trigger, run.startedAt, JSON.stringify(run.counts), run.owner ?? null);
  }

  async updateRun(id: string, patch: Partial<Pick<RunRow, 'status' | 'counts' | 'reason' | 'report' | 'endedAt'>>): Promise<void> {
    const sets: string[] = [];
    const args: unknown[] = [];
    if (patch.status !== undefined) {
      sets.push('status = ?');
      args.push(patch.status);
    }
    if (patch.counts !== undefined) {
      sets.push('counts = ?');
      args.push(JSON.stringify(patch.counts));
    }
    if (patch.reason !== undefined) {
      sets.push('reason = ?');
      args.push(patch.reason);
    }
    if (patch.report !== undefined) {
      sets.push('report = ?');
      args.push(patch.report);
    }
    if (patch.endedAt !== undefined) {
      sets.push('ended_at = ?');
      args.push(patch.endedAt);
    }
    if (!sets.length) return;
    this.db.prepare(`UPDATE runs SET ${sets.join(', ')} WHERE id = ?`).run(...args, id);
  }

  async getRun(id: string): Promise<RunRow | undefined> {
    const row = this.db.prepare('SELECT * FROM runs WHERE id = ?').get(id) as Row | undefined;
    return row ? runFromRow(row) : undefined;
  }

  async listRuns(q: { scheme?: string; status?: RunStatus; limit?: number }): Promise<RunRow[]> {
    const where: string[] = [];
    const args: unknown[] = [];
    if (q.scheme) {
      where.push('scheme = ?');
      args.push(q.scheme);
    }
    if (q.status) {
      where.push('status = ?');
      args.push(q.status);
    }
    const rows = this.db
      .prepare(`SELECT * FROM runs ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY started_at DESC, rowid DESC LIMIT ?`)
      .all(...args, q.limit ?? 50) as Row[];
    return rows.map(runFromRow);
  }

  async getCheckpoint(scheme: string, stream: string): Promise<StoredCheckpoint | undefined> {
    const r = this.db.prepare('SELECT * FROM checkpoints WHERE scheme = ? AND stream = ?').get(scheme, stream) as Row | undefined;
    return r ? checkpointFromRow(r) : undefined;
  }

  async listCheckpoints(scheme: string): Promise<StoredCheckpoint[]> {
    return (this.db.prepare('SELECT * FROM checkpoints WHERE scheme = ? ORDER BY stream').all(scheme) as Row[]).map(checkpointFromRow);
  }

  async deleteCheckpoint(scheme: string, stream: string): Promise<void> {
    this.deleteCp.run(scheme, stream);
  }

  async commitPage(rows: LedgerRow[], checkpoint: StoredCheckpoint | null): Promise<void> {
    this.db.transaction(() => {
      // One multi-row statement per 100 rows (prepared once per length), instead of a statement per row.
      for (let i = 0; i < rows.length; i += UPSERT_ROWS) {
        const chunk = rows.slice(i, i + UPSERT_ROWS);
        const params: unknown[] = [];
        for (const r of chunk) pushLedgerParams(params, r);
        (chunk.length === 1 ? this.upsertLedger : this.upsertMany(chunk.length)).run(params);
      }
      if (checkpoint)
        this.upsertCheckpoint.run({
          scheme: checkpoint.scheme,
          stream: checkpoint.stream,
          cursor: checkpoint.cursor === null ? null : JSON.stringify(checkpoint.cursor),
          highWater: checkpoint.highWater ?? null,
          runId: checkpoint.runId,
          updatedAt: checkpoint.updatedAt,
        });
    })();
  }

  async getLedger(scheme: string, sourceIds: string[]): Promise<Map<string, LedgerRow>> {
    const out = new Map<string, LedgerRow>();
    for (let i = 0; i < sourceIds.length; i += 500) {
      const chunk = sourceIds.slice(i, i + 500);
      const rows = this.ledgerByIds(chunk.length).all(scheme, ...chunk) as Row[];
      for (const r of rows) out.set(String(r.source_id), ledgerFromRow(r));
    }
    return out;
  }

  private readonly upsertStatements = new Map<number, Database.Statement>();

  private upsertMany(n: number): Database.Statement {
    let st = this.upsertStatements.get(n);
    if (!st) {
      st = this.db.prepare(upsertLedgerSql(n));
      this.upsertStatements.set(n, st);
    }
    return st;
  }

  private readonly byIdsStatements = new Map<number, Database.Statement>();

  /** Prepared once per list length (pages are mostly the same size), not once per page. */
  private ledgerByIds(n: number): Database.Statement {
    let st = this.byIdsStatements.get(n);
    if (!st) {
      st = this.db.prepare(`SELECT * FROM ledger WHERE scheme = ? AND source_id IN (${Array.from({ length: n }, () => '?').join(',')})`);
      this.byIdsStatements.set(n, st);
    }
    return st;
  }

  async queryLedger(q: RecordQuery): Promise<LedgerRow[]> {
    const where = ['scheme = ?'];
    const args: unknown[] = [q.scheme];
    if (q.status) {
      where.push('status = ?');
      args.push(q.status);
    }
    if (q.runId) {
      where.push('run_id = ?');
      args.push(q.runId);
    }
    if (q.sourceIds?.length) {
      where.push(`source_id IN (${q.sourceIds.map(() => '?').join(',')})`);
      args.push(...q.sourceIds);
    }
    if (q.search) {
      where.push('(source_id = ? OR source_number = ? OR target_number = ?)');
      args.push(q.search, q.search, q.search);
    }
    const rows = this.db
      .prepare(`SELECT * FROM ledger WHERE ${where.join(' AND ')} ORDER BY updated_at DESC, source_id LIMIT ? OFFSET ?`)
      .all(...args, q.limit ?? 100, q.offset ?? 0) as Row[];
    return rows.map(ledgerFromRow);
  }

  async countLedger(scheme: string, runId?: string): Promise<Record<LedgerStatus, number>> {
    const rows = (
      runId
        ? this.db.prepare('SELECT status, COUNT(*) n FROM ledger WHERE scheme = ? AND run_id = ? GROUP BY status').all(scheme, runId)
        : this.db.prepare('SELECT status, COUNT(*) n FROM ledger WHERE scheme = ? GROUP BY status').all(scheme)
    ) as { status: LedgerStatus; n: number }[];
    const out: Record<LedgerStatus, number> = { written: 0, skipped: 0, rejected: 0, failed: 0 };
    for (const r of rows) out[r.status] = r.n;
    return out;
  }

  async pageRunLedger(q: RunLedgerPageQuery): Promise<Pick<LedgerRow, 'sourceId' | 'targetNumber'>[]> {
    const rows = (
      q.after === undefined
        ? this.db
            .prepare('SELECT source_id, target_number FROM ledger WHERE scheme = ? AND run_id = ? AND status = ? ORDER BY source_id LIMIT ?')
            .all(q.scheme, q.runId, q.status, q.limit)
        : this.db
            .prepare('SELECT source_id, target_number FROM ledger WHERE scheme = ? AND run_id = ? AND status = ? AND source_id > ? ORDER BY source_id LIMIT ?')
            .all(q.scheme, q.runId, q.status, q.after, q.limit)
    ) as Row[];
    return rows.map((r) => ({ sourceId: String(r.source_id), targetNumber: r.target_number == null ? null : String(r.target_number) }));
  }

  async countRunOutcomes(scheme: string, runId: string): Promise<LedgerRunCounts> {
    const rows = this.db
      .prepare('SELECT status, detail, COUNT(*) n FROM ledger WHERE scheme = ? AND run_id = ? GROUP BY status, detail')
      .all(scheme, runId) as { status: string; detail: string | null; n: number }[];
    return ledgerCounts(rows);
  }

  async tryLockScheme(lock: RunLock): Promise<RunLock | undefined> {
    for (;;) {
      const r = this.db
        .prepare(`INSERT INTO run_locks (scheme, run_id, pid, host, process_start, acquired_at, heartbeat_at)
          VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (scheme) DO NOTHING`)
        .run(lock.scheme, lock.runId, lock.pid, lock.host, lock.processStart, lock.acquiredAt, lock.heartbeatAt);
      if (r.changes === 1) return undefined;
      const holder = await this.getSchemeLock(lock.scheme);
      if (holder) return holder; // else released in between: try again
    }
  }

  async takeOverSchemeLock(lock: RunLock, holder: RunLock): Promise<boolean> {
    const r = this.db
      .prepare(`UPDATE run_locks SET run_id = ?, pid = ?, host = ?, process_start = ?, acquired_at = ?, heartbeat_at = ?
        WHERE scheme = ? AND run_id = ? AND heartbeat_at = ?`)
      .run(lock.runId, lock.pid, lock.host, lock.processStart, lock.acquiredAt, lock.heartbeatAt, lock.scheme, holder.runId, holder.heartbeatAt);
    return r.changes === 1;
  }

  async heartbeatSchemeLock(scheme: string, runId: string, at: number): Promise<boolean> {
    return this.db.prepare('UPDATE run_locks SET heartbeat_at = ? WHERE scheme = ? AND run_id = ?').run(at, scheme, runId).changes === 1;
  }

  async releaseSchemeLock(scheme: string, runId: string): Promise<void> {
    this.db.prepare('DELETE FROM run_locks WHERE scheme = ? AND run_id = ?').run(scheme, runId);
  }

  async getSchemeLock(scheme: string): Promise<RunLock | undefined> {
    const r = this.db.prepare('SELECT * FROM run_locks WHERE scheme = ?').get(scheme) as Row | undefined;
    return r ? lockFromRow(r) : undefined;
  }

  async close(): Promise<void> {
    this.db.close();
  }
}

/** Rows per multi-row upsert: 17 parameters each, well under SQLite's limit of bound parameters. */
const UPSERT_ROWS = 100;

/**
 * Upsert of n ledger rows in one statement. Within one statement SQLite applies the rows in order, so a
 * source id that appears twice in a page ends as its last row, as with one statement per row.
 */
function upsertLedgerSql(n: number): string {
  const row = `(${Array.from({ length: 17 }, () => '?').join(',')})`;
  return `INSERT INTO ledger (scheme, source_id, source_number, payload_hash, target_id, target_number,
        status, detail, run_id, updated_at, message, error_code, error_field, source_data, payload, response, source_ref)
      VALUES ${Array.from({ length: n }, () => row).join(',')}
      ON CONFLICT (scheme, source_id) DO UPDATE SET
        source_number = excluded.source_number,
        payload_hash = COALESCE(excluded.payload_hash, ledger.payload_hash),
        target_id = COALESCE(excluded.target_id, ledger.target_id),
        target_number = COALESCE(excluded.target_number, ledger.target_number),
        status = excluded.status, detail = excluded.detail, run_id = excluded.run_id, updated_at = excluded.updated_at,
        message = excluded.message, error_code = excluded.error_code, error_field = excluded.error_field,
        source_data = excluded.source_data, payload = excluded.payload, response = excluded.response,
        source_ref = excluded.source_ref`;
}

/** The 17 values of one row, in upsertLedgerSql's column order. */
function pushLedgerParams(out: unknown[], r: LedgerRow): void {
  out.push(
    r.scheme,
    r.sourceId,
    r.sourceNumber ?? null,
    r.payloadHash ?? null,
    r.targetId ?? null,
    r.targetNumber ?? null,
    r.status,
    r.detail ?? null,
    r.runId,
    r.updatedAt,
    r.message ?? null,
    r.errorCode ?? null,
    r.errorField ?? null,
    r.sourceData ?? null,
    r.payload ?? null,
    r.response ?? null,
    r.sourceRef ?? null,
  );
}

function checkpointFromRow(r: Row): StoredCheckpoint {
  return {
    scheme: String(r.scheme),
    stream: String(r.stream),
    cursor: r.cursor == null ? null : JSON.parse(String(r.cursor)),
    highWater: r.high_water == null ? null : Number(r.high_water),
    runId: String(r.run_id),
    updatedAt: Number(r.updated_at),
  };
}
