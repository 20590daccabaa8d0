import type { Cursor } from './platform.ts';

/**
 * What ferry remembers between runs. SQLite (default) and PostgreSQL (scaled out) implement it;
 * one contract test suite runs against both.
 *
 * The ledger has one row per (scheme, source id): the last thing that happened to that record.
 * `commitPage` writes a page's ledger rows and the checkpoint that resumes after the page in ONE
 * transaction — the checkpoint never moves past a record whose outcome is not stored.
 */

export type LedgerStatus = 'written' | 'skipped' | 'rejected' | 'failed';

export interface LedgerRow {
  scheme: string;
  sourceId: string;
  sourceNumber?: string | null;
  /** Hash of the mapped payload last delivered (or attempted). */
  payloadHash?: string | null;
  targetId?: string | null;
  targetNumber?: string | null;
  status: LedgerStatus;
  /** `created` / `updated` / `unchanged` / `existing` … finer than status, for reports. */
  detail?: string | null;
  runId: string;
  updatedAt: number;
  /** Vendor's (or mapping/quality) message for rejected/failed records. */
  message?: string | null;
  errorCode?: string | null;
  /** The field the rejection is about, when known. */
  errorField?: string | null;
  /** Source record (kept for rejected/failed records so they can be re-mapped and replayed). */
  sourceData?: string | null;
  /** Mapped payload (kept for rejected/failed records). */
  payload?: string | null;
  /** Target response (kept for rejected records and on request). */
  response?: string | null;
  /** Source page label and index, for lineage. */
  sourceRef?: string | null;
}

/**
 * `partial`: the run went to the end but some records were rejected or failed (see src/engine/run-outcome.ts);
 * `interrupted`: the process running it died (kill -9, crash, power) and a later ferry process noticed.
 */
export type RunStatus = 'running' | 'succeeded' | 'partial' | 'failed' | 'aborted' | 'cancelled' | 'interrupted';

export interface RunCounts {
  read: number;
  skipped: number;
  created: number;
  updated: number;
  rejected: number;
  failed: number;
  /**
   * Written records whose follow-up step did not complete (saved but left unsubmitted / unaudited; ledger
   * detail `created, pending Audit` …). Included in created/updated.
   */
  incomplete?: number;
  /** Records the mapping/quality step rejected before the target was called (included in `rejected`). */
  invalid: number;
  pages: number;
  apiCalls: number;
  retries: number;
  /** Records whose target number another source record of the run already had (reported or rejected). */
  duplicates?: number;
}

export interface RunRow {
  id: string;
  scheme: string;
  status: RunStatus;
  trigger: string;
  startedAt: number;
  endedAt?: number | null;
  counts: RunCounts;
  /** Why the run failed or was aborted, in plain words. */
  reason?: string | null;
  /** The final reconciliation report (JSON). */
  report?: string | null;
  /** Process that runs it (pid@host), for stale-run detection. */
  owner?: string | null;
}

export interface StoredCheckpoint {
  scheme: string;
  stream: string;
  cursor: Cursor | null;
  /** For incremental sources: end of the last fully read window (ms since epoch). */
  highWater?: number | null;
  runId: string;
  updatedAt: number;
}

export interface RecordQuery {
  scheme: string;
  status?: LedgerStatus;
  sourceIds?: string[];
  /** Matches source id or number, or target number. */
  search?: string;
  runId?: string;
  limit?: number;
  offset?: number;
}

/**
 * The lock a run holds on its scheme, so two runs of one scheme never write at once (two `ferry run`, or a
 * CLI run beside `ferry serve`). It names the run and the process running it, so a second run can say who
 * is running and a later process can tell a holder that died (see src/engine/run-lock.ts).
 */
export interface RunLock {
  scheme: string;
  runId: string;
  pid: number;
  host: string;
  /** When the holder process started, as an opaque token (Linux: /proc/<pid>/stat starttime); tells a reused pid apart. */
  processStart: string | null;
  acquiredAt: number;
  /** Refreshed every few seconds while the run goes on: how holders on another host are judged. */
  heartbeatAt: number;
}

/** What the ledger says a run did (for a run whose process died before it could write its counts). */
export type LedgerRunCounts = Pick<RunCounts, 'read' | 'skipped' | 'created' | 'updated' | 'rejected' | 'failed' | 'invalid'>;

/** One keyset page of a run's ledger rows (see `pageRunLedger`). */
export interface RunLedgerPageQuery {
  scheme: string;
  runId: string;
  status: LedgerStatus;
  /** Rows whose source id sorts after this one (the last source id of the previous page); absent for the first page. */
  after?: string;
  limit: number;
}

export interface StateStore {
  /** Creates or upgrades the schema. Idempotent. */
  migrate(): Promise<void>;

  createRun(run: Omit<RunRow, 'endedAt' | 'report' | 'reason'>): Promise<void>;
  updateRun(id: string, patch: Partial<Pick<RunRow, 'status' | 'counts' | 'reason' | 'report' | 'endedAt'>>): Promise<void>;
  getRun(id: string): Promise<RunRow | undefined>;
  listRuns(q: { scheme?: string; status?: RunStatus; limit?: number }): Promise<RunRow[]>;

  getCheckpoint(scheme: string, stream: string): Promise<StoredCheckpoint | undefined>;
  listCheckpoints(scheme: string): Promise<StoredCheckpoint[]>;
  deleteCheckpoint(scheme: string, stream: string): Promise<void>;

  /** One transaction: upsert the ledger rows, then set (or clear, when null) the checkpoint. */
  commitPage(rows: LedgerRow[], checkpoint: StoredCheckpoint | null): Promise<void>;

  /** Ledger rows by source id (missing ids are absent from the map). */
  getLedger(scheme: string, sourceIds: string[]): Promise<Map<string, LedgerRow>>;
  queryLedger(q: RecordQuery): Promise<LedgerRow[]>;
  countLedger(scheme: string, runId?: string): Promise<Record<LedgerStatus, number>>;
  /**
   * A run's ledger rows of one status in source id order, one keyset page at a time (an index range scan,
   * so walking a whole run is linear, unlike OFFSET paging). Carries only what the reconciliation needs.
   */
  pageRunLedger(q: RunLedgerPageQuery): Promise<Pick<LedgerRow, 'sourceId' | 'targetNumber'>[]>;
  /** Counts of the ledger rows a run wrote last, by outcome (`invalid`: rejected by mapping/quality). */
  countRunOutcomes(scheme: string, runId: string): Promise<LedgerRunCounts>;

  /**
   * Takes the scheme's run lock for `lock.runId` when no run holds it (atomically: of two callers one wins);
   * returns undefined when taken, else the holder (and takes nothing).
   */
  tryLockScheme(lock: RunLock): Promise<RunLock | undefined>;
  /**
   * Takes the lock over from `holder`, judged dead by the caller — only while it is still exactly that holder
   * (same run, same last heartbeat), so of two takers one wins and a holder that just showed life keeps it.
   */
  takeOverSchemeLock(lock: RunLock, holder: RunLock): Promise<boolean>;
  /** Refreshes the holder's heartbeat; false when the run no longer holds the lock (it was taken over). */
  heartbeatSchemeLock(scheme: string, runId: string, at: number): Promise<boolean>;
  /** Releases the lock if this run holds it. */
  releaseSchemeLock(scheme: string, runId: string): Promise<void>;
  getSchemeLock(scheme: string): Promise<RunLock | undefined>;

  close(): Promise<void>;
}

/** Folds ledger rows counted by (status, detail) into run counts, the way the record pipeline counts them. */
export function ledgerCounts(rows: { status: string; detail: string | null; n: number }[]): LedgerRunCounts {
  const k: LedgerRunCounts = { read: 0, skipped: 0, created: 0, updated: 0, rejected: 0, failed: 0, invalid: 0 };
  for (const r of rows) {
    k.read += r.n;
    if (r.status === 'written') k[r.detail === 'created' ? 'created' : 'updated'] += r.n;
    else if (r.status === 'skipped') k.skipped += r.n;
    else if (r.status === 'rejected') {
      k.rejected += r.n;
      if (r.detail !== 'target') k.invalid += r.n;
    } else k.failed += r.n;
  }
  return k;
}

export function emptyCounts(): RunCounts {
  return { read: 0, skipped: 0, created: 0, updated: 0, rejected: 0, failed: 0, incomplete: 0, invalid: 0, pages: 0, apiCalls: 0, retries: 0 };
}

/** The counts of several parts (a scaled-out run's partitions) added up, optional counts (`duplicates`) included. */
export function sumCounts(parts: Partial<RunCounts>[]): RunCounts {
  const total: Record<string, number> = { ...emptyCounts() };
  for (const p of parts)
    for (const [k, v] of Object.entries(p)) if (typeof v === 'number') total[k] = (total[k] ?? 0) + v;
  return total as unknown as RunCounts;
}
