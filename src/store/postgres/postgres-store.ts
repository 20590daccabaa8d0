import pg from 'pg';
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
import { ledgerCounts } from '../../core/contracts/state-store.ts';
import { ledgerFromRow, lockFromRow, runFromRow, type Row } from '../sqlite/rows.ts';
import { migrations, SCHEMA_NAME } from './schema.ts';

export interface PostgresStoreOptions {
  /** `postgres://user@host:5432/db`; ignored when `pool` is given. */
  connectionString?: string;
  /** An existing pool (not closed by `close()`). */
  pool?: pg.Pool;
  /** PostgreSQL schema (namespace) holding ferry's tables; created by `migrate()`. Default `ferry`. */
  schema?: string;
  /** Pool size when the store creates its pool. Default 10. */
  max?: number;
}

const LEDGER_COLUMNS = [
  'scheme', 'source_id', 'source_number', 'payload_hash', 'target_id', 'target_number', 'status', 'detail', 'run_id',
  'updated_at', 'message', 'error_code', 'error_field', 'source_data', 'payload', 'response', 'source_ref',
] as const;
/** Rows per INSERT statement (17 parameters each, well under PostgreSQL's 65535). */
const CHUNK = 500;

/**
 * The StateStore of a scaled-out ferry: the same contract and semantics as the SQLite store (one
 * transaction per `commitPage`; the ledger upsert keeps the target id/number/hash it had when the new
 * row has none), shared by `ferry serve` and every worker through a `pg` pool.
 */
export class PostgresStore implements StateStore {
  readonly pool: pg.Pool;
  /** Quoted schema name, ready to prefix table names. */
  readonly s: string;
  readonly schema: string;
  private readonly ownsPool: boolean;

  constructor(o: PostgresStoreOptions) {
    this.schema = o.schema ?? 'ferry';
    if (!SCHEMA_NAME.test(this.schema)) throw new Error(`PostgreSQL schema name "${this.schema}" is not a plain lowercase identifier`);
    this.s = `"${this.schema}"`;
    if (o.pool) {
      this.pool = o.pool;
      this.ownsPool = false;
    } else {
      if (!o.connectionString) throw new Error('PostgresStore needs a connection string or a pool');
      this.pool = new pg.Pool({ connectionString: o.connectionString, max: o.max ?? 10 });
      this.ownsPool = true;
    }
    // An idle client that loses its server (restart, network) must not crash the process.
    this.pool.on('error', () => undefined);
  }

  /** Opens a store and brings its schema up to date. */
  static async open(o: PostgresStoreOptions): Promise<PostgresStore> {
    const store = new PostgresStore(o);
    try {
      await store.migrate();
    } catch (err) {
      await store.close();
      throw err;
    }
    return store;
  }

  async migrate(): Promise<void> {
    await this.tx(async (c) => {
      // Serialises concurrent migrations of this schema (serve + workers start together).
      await c.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`ferry-migrate:${this.schema}`]);
      await c.query(`CREATE SCHEMA IF NOT EXISTS ${this.s}`);
      await c.query(`CREATE TABLE IF NOT EXISTS ${this.s}.ferry_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)`);
      const r = await c.query(`SELECT COALESCE(MAX(version), 0) AS v FROM ${this.s}.ferry_migrations`);
      const all = migrations(this.s);
      for (let v = Number(r.rows[0].v); v < all.length; v++) {
        await c.query(all[v]!);
        await c.query(`INSERT INTO ${this.s}.ferry_migrations (version, applied_at) VALUES ($1, $2)`, [v + 1, Date.now()]);
      }
    });
  }

  /** Runs `fn` in one transaction on one pooled client. */
  async tx<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    const c = await this.pool.connect();
    try {
      await c.query('BEGIN');
      const out = await fn(c);
      await c.query('COMMIT');
      return out;
    } catch (err) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      c.release();
    }
  }

  async createRun(run: Omit<RunRow, 'endedAt' | 'report' | 'reason'>): Promise<void> {
    await this.pool.query(
      `INSERT INTO ${this.s}.runs (id, scheme, status, trigger, started_at, counts, owner) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [run.id, run.scheme, run.status, run.trigger, run.startedAt, JSON.stringify(run.counts), run.owner ?? null],
    );
  }

  async updateRun(id: string, patch: Partial<Pick<RunRow, 'status' | 'counts' | 'reason' | 'report' | 'endedAt'>>): Promise<void> {
    const sets: string[] = [];
    const args: unknown[] = [];
    const set = (col: string, v: unknown) => {
      args.push(v);
      sets.push(`${col} = $${args.length}`);
    };
    if (patch.status !== undefined) set('status', patch.status);
    if (patch.counts !== undefined) set('counts', JSON.stringify(patch.counts));
    if (patch.reason !== undefined) set('reason', patch.reason);
    if (patch.report !== undefined) set('report', patch.report);
    if (patch.endedAt !== undefined) set('ended_at', patch.endedAt);
    if (!sets.length) return;
    args.push(id);
    await this.pool.query(`UPDATE ${this.s}.runs SET ${sets.join(', ')} WHERE id = $${args.length}`, args);
  }

  async getRun(id: string): Promise<RunRow | undefined> {
    const r = await this.pool.query(`SELECT * FROM ${this.s}.runs WHERE id = $1`, [id]);
    return r.rows[0] ? runFromPg(r.rows[0]) : undefined;
  }

  async listRuns(q: { scheme?: string; status?: RunStatus; limit?: number }): Promise<RunRow[]> {
    const where: string[] = [];
    const args: unknown[] = [];
    if (q.scheme) where.push(`scheme = $${args.push(q.scheme)}`);
    if (q.status) where.push(`status = $${args.push(q.status)}`);
    args.push(q.limit ?? 50);
    const r = await this.pool.query(
      `SELECT * FROM ${this.s}.runs ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY started_at DESC, seq DESC LIMIT $${args.length}`,
      args,
    );
    return r.rows.map(runFromPg);
  }

  async getCheckpoint(scheme: string, stream: string): Promise<StoredCheckpoint | undefined> {
    const r = await this.pool.query(`SELECT * FROM ${this.s}.checkpoints WHERE scheme = $1 AND stream = $2`, [scheme, stream]);
    return r.rows[0] ? checkpointFromRow(r.rows[0]) : undefined;
  }

  async listCheckpoints(scheme: string): Promise<StoredCheckpoint[]> {
    const r = await this.pool.query(`SELECT * FROM ${this.s}.checkpoints WHERE scheme = $1 ORDER BY stream`, [scheme]);
    return r.rows.map(checkpointFromRow);
  }

  async deleteCheckpoint(scheme: string, stream: string): Promise<void> {
    await this.pool.query(`DELETE FROM ${this.s}.checkpoints WHERE scheme = $1 AND stream = $2`, [scheme, stream]);
  }

  async commitPage(rows: LedgerRow[], checkpoint: StoredCheckpoint | null): Promise<void> {
    await this.tx(async (c) => {
      await upsertLedger(c, this.s, rows);
      if (checkpoint) await upsertCheckpoint(c, this.s, checkpoint);
    });
  }

  async getLedger(scheme: string, sourceIds: string[]): Promise<Map<string, LedgerRow>> {
    const out = new Map<string, LedgerRow>();
    if (!sourceIds.length) return out;
    const r = await this.pool.query(`SELECT * FROM ${this.s}.ledger WHERE scheme = $1 AND source_id = ANY($2::text[])`, [scheme, sourceIds]);
    for (const row of r.rows) out.set(String(row.source_id), ledgerFromRow(row));
    return out;
  }

  async queryLedger(q: RecordQuery): Promise<LedgerRow[]> {
    const args: unknown[] = [q.scheme];
    const where = ['scheme = $1'];
    const add = (sql: (n: number) => string, v: unknown) => {
      args.push(v);
      where.push(sql(args.length));
    };
    if (q.status) add((n) => `status = $${n}`, q.status);
    if (q.runId) add((n) => `run_id = $${n}`, q.runId);
    if (q.sourceIds?.length) add((n) => `source_id = ANY($${n}::text[])`, q.sourceIds);
    if (q.search) add((n) => `(source_id = $${n} OR source_number = $${n} OR target_number = $${n})`, q.search);
    args.push(q.limit ?? 100, q.offset ?? 0);
    const r = await this.pool.query(
      `SELECT * FROM ${this.s}.ledger WHERE ${where.join(' AND ')} ORDER BY updated_at DESC, source_id LIMIT $${args.length - 1} OFFSET $${args.length}`,
      args,
    );
    return r.rows.map(ledgerFromRow);
  }

  async countLedger(scheme: string, runId?: string): Promise<Record<LedgerStatus, number>> {
    const r = runId
      ? await this.pool.query(`SELECT status, COUNT(*) AS n FROM ${this.s}.ledger WHERE scheme = $1 AND run_id = $2 GROUP BY status`, [scheme, runId])
      : await this.pool.query(`SELECT status, COUNT(*) AS n FROM ${this.s}.ledger WHERE scheme = $1 GROUP BY status`, [scheme]);
    const out: Record<LedgerStatus, number> = { written: 0, skipped: 0, rejected: 0, failed: 0 };
    for (const row of r.rows as { status: LedgerStatus; n: string }[]) out[row.status] = Number(row.n);
    return out;
  }

  async pageRunLedger(q: RunLedgerPageQuery): Promise<Pick<LedgerRow, 'sourceId' | 'targetNumber'>[]> {
    const after = q.after === undefined ? '' : 'AND source_id > $4';
    const args: unknown[] = [q.scheme, q.runId, q.status, ...(q.after === undefined ? [] : [q.after]), q.limit];
    const r = await this.pool.query(
      `SELECT source_id, target_number FROM ${this.s}.ledger WHERE scheme = $1 AND run_id = $2 AND status = $3 ${after}
       ORDER BY source_id LIMIT $${args.length}`,
      args,
    );
    return r.rows.map((x: Row) => ({ sourceId: String(x.source_id), targetNumber: x.target_number == null ? null : String(x.target_number) }));
  }

  async countRunOutcomes(scheme: string, runId: string): Promise<LedgerRunCounts> {
    const r = await this.pool.query(`SELECT status, detail, COUNT(*) AS n FROM ${this.s}.ledger WHERE scheme = $1 AND run_id = $2 GROUP BY status, detail`, [scheme, runId]);
    return ledgerCounts((r.rows as { status: string; detail: string | null; n: string }[]).map((x) => ({ ...x, n: Number(x.n) })));
  }

  async tryLockScheme(lock: RunLock): Promise<RunLock | undefined> {
    for (;;) {
      const r = await this.pool.query(
        `INSERT INTO ${this.s}.run_locks (scheme, run_id, pid, host, process_start, acquired_at, heartbeat_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (scheme) DO NOTHING`,
        [lock.scheme, lock.runId, lock.pid, lock.host, lock.processStart, lock.acquiredAt, lock.heartbeatAt],
      );
      if (r.rowCount === 1) return undefined;
      const holder = await this.getSchemeLock(lock.scheme);
      if (holder) return holder; // else released in between: try again
    }
  }

  async takeOverSchemeLock(lock: RunLock, holder: RunLock): Promise<boolean> {
    // READ COMMITTED: a second taker's UPDATE waits for the first, then re-checks the WHERE on the new row and matches nothing.
    const r = await this.pool.query(
      `UPDATE ${this.s}.run_locks SET run_id = $1, pid = $2, host = $3, process_start = $4, acquired_at = $5, heartbeat_at = $6
       WHERE scheme = $7 AND run_id = $8 AND heartbeat_at = $9`,
      [lock.runId, lock.pid, lock.host, lock.processStart, lock.acquiredAt, lock.heartbeatAt, lock.scheme, holder.runId, holder.heartbeatAt],
    );
    return r.rowCount === 1;
  }

  async heartbeatSchemeLock(scheme: string, runId: string, at: number): Promise<boolean> {
    const r = await this.pool.query(`UPDATE ${this.s}.run_locks SET heartbeat_at = $1 WHERE scheme = $2 AND run_id = $3`, [at, scheme, runId]);
    return r.rowCount === 1;
  }

  async releaseSchemeLock(scheme: string, runId: string): Promise<void> {
    await this.pool.query(`DELETE FROM ${this.s}.run_locks WHERE scheme = $1 AND run_id = $2`, [scheme, runId]);
  }

  async getSchemeLock(scheme: string): Promise<RunLock | undefined> {
    const r = await this.pool.query(`SELECT * FROM ${this.s}.run_locks WHERE scheme = $1`, [scheme]);
    return r.rows[0] ? lockFromRow(r.rows[0]) : undefined;
  }

  async close(): Promise<void> {
    if (this.ownsPool) await this.pool.end();
  }
}

/** Upserts ledger rows; within one call the last row of a source id wins (as in the SQLite loop). */
export async function upsertLedger(c: pg.PoolClient, s: string, rows: LedgerRow[]): Promise<void> {
  // Rows of one id collapse as sequential upserts would (the COALESCE of the statement, applied in memory).
  const last = new Map<string, LedgerRow>();
  for (const r of rows) {
    const key = `${r.scheme}\u0000${r.sourceId}`;
    const prev = last.get(key);
    last.set(key, prev ? { ...r, payloadHash: r.payloadHash ?? prev.payloadHash ?? null, targetId: r.targetId ?? prev.targetId ?? null, targetNumber: r.targetNumber ?? prev.targetNumber ?? null } : r);
  }
  // Sorted, so two transactions upserting overlapping ids take their row locks in one order (no deadlock).
  const unique = [...last.values()].sort((a, b) => (a.sourceId < b.sourceId ? -1 : a.sourceId > b.sourceId ? 1 : 0));
  for (let i = 0; i < unique.length; i += CHUNK) {
    const chunk = unique.slice(i, i + CHUNK);
    const args: unknown[] = [];
    const tuples = chunk.map((r) => {
      const base = args.length;
      args.push(...ledgerValues(r));
      return `(${LEDGER_COLUMNS.map((_, k) => `$${base + k + 1}`).join(', ')})`;
    });
    await c.query(
      `INSERT INTO ${s}.ledger (${LEDGER_COLUMNS.join(', ')}) VALUES ${tuples.join(', ')}
       ON CONFLICT (scheme, source_id) DO UPDATE SET
         source_number = excluded.source_number,
         payload_hash = COALESCE(excluded.payload_hash, ledger.payload_hash),
         target_id = COALESCE(excluded.target_id, ledger.target_id),
         target_number = COALESCE(excluded.target_number, ledger.target_number),
         status = excluded.status, detail = excluded.detail, run_id = excluded.run_id, updated_at = excluded.updated_at,
         message = excluded.message, error_code = excluded.error_code, error_field = excluded.error_field,
         source_data = excluded.source_data, payload = excluded.payload, response = excluded.response,
         source_ref = excluded.source_ref`,
      args,
    );
  }
}

export async function upsertCheckpoint(c: pg.PoolClient, s: string, cp: StoredCheckpoint): Promise<void> {
  await c.query(
    `INSERT INTO ${s}.checkpoints (scheme, stream, cursor, high_water, run_id, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (scheme, stream) DO UPDATE SET cursor = excluded.cursor, high_water = excluded.high_water,
       run_id = excluded.run_id, updated_at = excluded.updated_at`,
    [cp.scheme, cp.stream, cp.cursor === null ? null : JSON.stringify(cp.cursor), cp.highWater ?? null, cp.runId, cp.updatedAt],
  );
}

function ledgerValues(r: LedgerRow): unknown[] {
  return [
    r.scheme, r.sourceId, r.sourceNumber ?? null, r.payloadHash ?? null, r.targetId ?? null, r.targetNumber ?? null, r.status,
    r.detail ?? null, r.runId, r.updatedAt, r.message ?? null, r.errorCode ?? null, r.errorField ?? null, r.sourceData ?? null,
    r.payload ?? null, r.response ?? null, r.sourceRef ?? null,
  ];
}

/** JSONB `counts` arrives parsed; the shared row reader expects the text form. */
function runFromPg(r: Row): RunRow {
  return runFromRow({ ...r, counts: typeof r.counts === 'string' ? r.counts : JSON.stringify(r.counts ?? {}) });
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
