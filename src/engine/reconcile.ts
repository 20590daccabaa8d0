import type { RunCounts, RunStatus } from '../core/contracts/state-store.ts';
import { systemClock, type Clock } from '../core/policy/rate-limiter.ts';
import { withRetry } from '../core/policy/retry.ts';
import type { CompiledScheme } from './compiled-scheme.ts';
import type { EngineDeps } from './deps.ts';

export interface RunReport {
  runId: string;
  scheme: string;
  status: RunStatus;
  reason?: string;
  startedAt: string;
  durationMs: number;
  recordsPerSecond: number;
  counts: RunCounts;
  reconciliation: {
    /** Records read from the source in this run. */
    source: number;
    skippedUnchanged: number;
    written: number;
    created: number;
    updated: number;
    rejected: number;
    failed: number;
    /** Of the run's written and skipped records, how many the target holds (when it can be queried). */
    heldByTarget?: number;
    checkedInTarget?: number;
    /** Numbers the ledger says were delivered but the target does not hold (first 20). */
    missingInTarget?: string[];
    /** Why the target could not be counted, when it could not. */
    targetCheckError?: string;
    /** How long counting the run's records in the target took (ms), when it was done; not in `durationMs`. */
    targetCheckMs?: number;
  };
  /** First rejected records of the run with their reasons. */
  rejected: { sourceId: string; sourceNumber?: string; message: string; code?: string }[];
  /** What a person should know about the read, e.g. a vendor total that disagrees with the records read. */
  warnings?: { code: string; message: string; stream?: string }[];
  /**
   * Source records whose target number another source record of the run already had (`quality.duplicateNumbers`:
   * `report` wrote them into one target record, `reject` rejected the later ones); the first 20 numbers with their source ids.
   */
  duplicates?: { count: number; action: 'report' | 'reject'; coveredAll?: false; examples: { number: string; sourceIds: string[] }[] };
}

/** Builds the end-of-run report; when the target can be queried, checks the run's records are there. */
export async function reconcile(
  cs: CompiledScheme,
  deps: EngineDeps,
  r: { runId: string; counts: RunCounts; status: RunStatus; reason: string | undefined; started: number; reconcileTarget: boolean; clock: Clock },
): Promise<RunReport> {
  const k = r.counts;
  const durationMs = Math.max(1, r.clock.now() - r.started);
  const rejectedRows = await deps.store.queryLedger({ scheme: cs.scheme.name, runId: r.runId, status: 'rejected', limit: 20 });
  const report: RunReport = {
    runId: r.runId,
    scheme: cs.scheme.name,
    status: r.status,
    ...(r.reason ? { reason: r.reason } : {}),
    startedAt: new Date(r.started).toISOString(),
    durationMs,
    recordsPerSecond: Math.round((k.read * 1000) / durationMs),
    counts: k,
    reconciliation: {
      source: k.read,
      skippedUnchanged: k.skipped,
      written: k.created + k.updated,
      created: k.created,
      updated: k.updated,
      rejected: k.rejected,
      failed: k.failed,
    },
    rejected: rejectedRows.map((x) => ({ sourceId: x.sourceId, ...(x.sourceNumber ? { sourceNumber: x.sourceNumber } : {}), message: x.message ?? '', ...(x.errorCode ? { code: x.errorCode } : {}) })),
  };
  if (r.reconcileTarget && deps.target.lookup && cs.numberField && r.status !== 'cancelled') {
    const t0 = r.clock.now();
    try {
      Object.assign(report.reconciliation, await countInTarget(cs, deps, r.runId));
    } catch (err) {
      // Reconciliation is best effort: a look-up that keeps failing leaves heldByTarget unset (and says why)
      // rather than failing a run whose records were all delivered.
      report.reconciliation.targetCheckError = err instanceof Error ? err.message : String(err);
    }
    report.reconciliation.targetCheckMs = r.clock.now() - t0;
  }
  return report;
}

/** Records per target look-up of the reconciliation. */
const PAGE = 500;

async function countInTarget(cs: CompiledScheme, deps: EngineDeps, runId: string) {
  let held = 0;
  let checked = 0;
  const missing: string[] = [];
  const signal = AbortSignal.timeout(cs.scheme.timeouts.callMs * 10);
  for (const status of ['written', 'skipped'] as const) {
    // Keyset pages on (scheme, run, status, source id): each page is an index range scan, so the walk is linear.
    for (let after: string | undefined; ; ) {
      const rows = await deps.store.pageRunLedger({ scheme: cs.scheme.name, runId, status, limit: PAGE, ...(after !== undefined ? { after } : {}) });
      if (!rows.length) break;
      after = rows[rows.length - 1]!.sourceId;
      const numbers = rows.map((x) => x.targetNumber).filter((n): n is string => !!n);
      if (numbers.length) {
        const found = await withRetry(() => deps.target.lookup!(cs.writeSpec, numbers, signal), cs.scheme.retry, {
          clock: deps.clock ?? systemClock,
          limiter: deps.targetLimiter,
          signal,
          ...(deps.random ? { random: deps.random } : {}),
        });
        checked += numbers.length;
        for (const n of numbers) {
          if (found.has(n)) held++;
          else if (missing.length < 20) missing.push(n);
        }
      }
      if (rows.length < PAGE) break;
    }
  }
  return { heldByTarget: held, checkedInTarget: checked, missingInTarget: missing };
}
