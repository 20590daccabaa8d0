import type pg from 'pg';
import { emptyCounts, sumCounts, type LedgerRow, type RunCounts, type RunRow, type StoredCheckpoint } from '../../core/contracts/state-store.ts';
import type { PostgresStore } from './postgres-store.ts';
import { upsertCheckpoint, upsertLedger } from './postgres-store.ts';

export type PartitionStatus = 'pending' | 'running' | 'done' | 'failed';

/** A scaled-out run as stored: the scheme document it was planned with, and its plan once made. */
export interface DistRunRow {
  runId: string;
  scheme: string;
  schemeDoc: unknown;
  options: Record<string, unknown>;
  plannedAt: number | null;
  plan: unknown;
  finishedAt: number | null;
}

export interface PartitionRow {
  runId: string;
  index: number;
  stream: string;
  spec: unknown;
  status: PartitionStatus;
  counts: RunCounts;
  attempts: number;
  worker: string | null;
  reason: string | null;
  updatedAt: number;
}

/**
 * The scale-out side tables (dist_runs, dist_partitions) next to the StateStore tables in the same
 * PostgreSQL schema. A partition's ledger rows, its checkpoint and its counters move in ONE transaction
 * (`commitPartitionPage`), so the counts of a run survive a worker killed mid-partition.
 */
export class DistStore {
  constructor(private readonly pg: PostgresStore) {}

  private get s(): string {
    return this.pg.s;
  }

  /** Inserts the run row and its scheme document together (committed before any job is enqueued). */
  async createRun(run: Omit<RunRow, 'endedAt' | 'report' | 'reason'>, schemeDoc: unknown, options: Record<string, unknown>): Promise<void> {
    await this.pg.tx(async (c) => {
      await c.query(`INSERT INTO ${this.s}.runs (id, scheme, status, trigger, started_at, counts, owner) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
        run.id, run.scheme, run.status, run.trigger, run.startedAt, JSON.stringify(run.counts), run.owner ?? null,
      ]);
      await c.query(`INSERT INTO ${this.s}.dist_runs (run_id, scheme, scheme_doc, options) VALUES ($1, $2, $3, $4)`, [
        run.id, run.scheme, JSON.stringify(schemeDoc), JSON.stringify(options),
      ]);
    });
  }

  async getRun(runId: string): Promise<DistRunRow | undefined> {
    const r = await this.pg.pool.query(`SELECT * FROM ${this.s}.dist_runs WHERE run_id = $1`, [runId]);
    const x = r.rows[0];
    if (!x) return undefined;
    return {
      runId: x.run_id, scheme: x.scheme, schemeDoc: x.scheme_doc, options: x.options ?? {},
      plannedAt: x.planned_at == null ? null : Number(x.planned_at), plan: x.plan, finishedAt: x.finished_at == null ? null : Number(x.finished_at),
    };
  }

  /**
   * Stores the plan and its partitions once: a second call (a retried plan job) keeps the first plan and
   * returns it, so the partitions a run has never change once made.
   */
  async savePlan(runId: string, plan: unknown, partitions: { index: number; stream: string; spec: unknown }[], now: number): Promise<{ plan: unknown; partitions: PartitionRow[] }> {
    await this.pg.tx(async (c) => {
      const cur = await c.query(`SELECT planned_at FROM ${this.s}.dist_runs WHERE run_id = $1 FOR UPDATE`, [runId]);
      if (!cur.rows[0]) throw new Error(`run ${runId} is not a scaled-out run`);
      if (cur.rows[0].planned_at != null) return;
      await c.query(`UPDATE ${this.s}.dist_runs SET plan = $2, planned_at = $3 WHERE run_id = $1`, [runId, JSON.stringify(plan), now]);
      for (const p of partitions)
        await c.query(
          `INSERT INTO ${this.s}.dist_partitions (run_id, idx, stream, spec, status, counts, updated_at) VALUES ($1, $2, $3, $4, 'pending', $5, $6)`,
          [runId, p.index, p.stream, JSON.stringify(p.spec), JSON.stringify(emptyCounts()), now],
        );
    });
    const run = await this.getRun(runId);
    return { plan: run!.plan, partitions: await this.partitions(runId) };
  }

  async partitions(runId: string): Promise<PartitionRow[]> {
    const r = await this.pg.pool.query(`SELECT * FROM ${this.s}.dist_partitions WHERE run_id = $1 ORDER BY idx`, [runId]);
    return r.rows.map(partitionFromRow);
  }

  async partition(runId: string, index: number): Promise<PartitionRow | undefined> {
    const r = await this.pg.pool.query(`SELECT * FROM ${this.s}.dist_partitions WHERE run_id = $1 AND idx = $2`, [runId, index]);
    return r.rows[0] ? partitionFromRow(r.rows[0]) : undefined;
  }

  /** A worker starts (or takes over) a partition. */
  async startPartition(runId: string, index: number, worker: string, now: number): Promise<void> {
    await this.pg.pool.query(
      `UPDATE ${this.s}.dist_partitions SET status = 'running', attempts = attempts + 1, worker = $3, reason = NULL, updated_at = $4 WHERE run_id = $1 AND idx = $2`,
      [runId, index, worker, now],
    );
  }

  /** A page of a partition: ledger rows + checkpoint + the partition's counters, in one transaction. */
  async commitPartitionPage(runId: string, index: number, rows: LedgerRow[], checkpoint: StoredCheckpoint | null): Promise<void> {
    await this.pg.tx(async (c) => {
      await upsertLedger(c, this.s, rows);
      if (checkpoint) await upsertCheckpoint(c, this.s, checkpoint);
      await addCounts(c, this.s, runId, index, countRows(rows, checkpoint ? 1 : 0));
    });
  }

  /** Ends an attempt: adds the counters only the attempt knows (API calls, retries) and sets the status. */
  async endPartition(runId: string, index: number, status: 'done' | 'failed', extra: Partial<RunCounts>, reason: string | null, now: number): Promise<void> {
    await this.pg.tx(async (c) => {
      await addCounts(c, this.s, runId, index, extra);
      await c.query(`UPDATE ${this.s}.dist_partitions SET status = $3, reason = $4, updated_at = $5 WHERE run_id = $1 AND idx = $2`, [runId, index, status, reason, now]);
    });
  }

  /** Sum of the partitions' counters, written to the run row too (for progress in `ferry runs` and the console). */
  async rollUpCounts(runId: string): Promise<RunCounts> {
    const total = sumCounts((await this.partitions(runId)).map((p) => p.counts));
    await this.pg.pool.query(`UPDATE ${this.s}.runs SET counts = $2 WHERE id = $1`, [runId, JSON.stringify(total)]);
    return total;
  }

  async markFinished(runId: string, now: number): Promise<void> {
    await this.pg.pool.query(`UPDATE ${this.s}.dist_runs SET finished_at = $2 WHERE run_id = $1`, [runId, now]);
  }

  /** Run ids of a scheme's scaled-out runs that have not finished. */
  async unfinished(scheme: string): Promise<string[]> {
    const r = await this.pg.pool.query(`SELECT run_id FROM ${this.s}.dist_runs WHERE scheme = $1 AND finished_at IS NULL ORDER BY run_id`, [scheme]);
    return r.rows.map((x) => String(x.run_id));
  }
}

function countRows(rows: LedgerRow[], pages: number): Partial<RunCounts> {
  const k: Partial<RunCounts> = { read: rows.length, pages };
  const inc = (key: keyof RunCounts) => (k[key] = (k[key] ?? 0) + 1);
  for (const r of rows) {
    if (r.status === 'written') inc(r.detail === 'created' ? 'created' : 'updated');
    else if (r.status === 'skipped') inc('skipped');
    else if (r.status === 'rejected') {
      inc('rejected');
      if (r.detail !== 'target') inc('invalid');
    } else inc('failed');
  }
  return k;
}

async function addCounts(c: pg.PoolClient, s: string, runId: string, index: number, delta: Partial<RunCounts>): Promise<void> {
  const r = await c.query(`SELECT counts FROM ${s}.dist_partitions WHERE run_id = $1 AND idx = $2 FOR UPDATE`, [runId, index]);
  if (!r.rows[0]) throw new Error(`partition ${index} of run ${runId} does not exist`);
  const cur: RunCounts = { ...emptyCounts(), ...(r.rows[0].counts ?? {}) };
  for (const [key, v] of Object.entries(delta)) cur[key as keyof RunCounts] += v ?? 0;
  await c.query(`UPDATE ${s}.dist_partitions SET counts = $3 WHERE run_id = $1 AND idx = $2`, [runId, index, JSON.stringify(cur)]);
}

function partitionFromRow(x: Record<string, unknown>): PartitionRow {
  return {
    runId: String(x.run_id), index: Number(x.idx), stream: String(x.stream), spec: x.spec, status: String(x.status) as PartitionStatus,
    counts: { ...emptyCounts(), ...((x.counts as object | null) ?? {}) }, attempts: Number(x.attempts), worker: x.worker == null ? null : String(x.worker),
    reason: x.reason == null ? null : String(x.reason), updatedAt: Number(x.updated_at),
  };
}
