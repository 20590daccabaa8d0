import type { RunCounts, RunStatus } from '../../core/contracts/state-store.ts';

/**
 * What the alert conditions need to remember about runs: which are running (for long-run checks and
 * to map `api.call` events to a scheme), and per scheme the recent finished runs (rejection rate)
 * and when records last arrived (no-records). Pure memory; `prime` rebuilds it from stored runs
 * after a restart.
 */
export interface RunningRun {
  runId: string;
  scheme: string;
  startedAt: number;
  counts?: RunCounts;
  trigger?: string;
  /** Vendor calls seen in this run's events and their summed duration (anomaly: api_latency). */
  apiCalls?: number;
  apiMs?: number;
}

export interface FinishedRun {
  runId: string;
  scheme: string;
  /** When it ended (ms). */
  at: number;
  status: RunStatus;
  counts: RunCounts;
  reason?: string;
  durationMs?: number;
  /** How the run was started (schedule, manual, api…), when known. */
  trigger?: string;
  /** Vendor calls of the run and their summed duration (ms), when this process saw its events. */
  apiCalls?: number;
  apiMs?: number;
}

export interface SchemeActivity {
  firstSeenAt: number;
  lastRunAt?: number;
  lastRunId?: string;
  lastRunStatus?: RunStatus;
  /** End of the last successful run that read at least one record. */
  lastRecordsAt?: number;
  /** Finished runs, oldest first, trimmed to the retention. */
  finished: FinishedRun[];
}

/** The stored-run shape `prime` accepts (a subset of the state store's RunRow). */
export interface PrimeRun {
  id: string;
  scheme: string;
  status: RunStatus;
  startedAt: number;
  endedAt?: number | null;
  counts: RunCounts;
  reason?: string | null;
  trigger?: string;
}

const RECENT_LIMIT = 5000;
/** Runs per scheme kept past the time retention, as the history anomaly rules compare with. */
const KEEP_RUNS = 200;

export class RunActivity {
  readonly running = new Map<string, RunningRun>();
  readonly schemes = new Map<string, SchemeActivity>();
  /** Finished run ids → scheme (bounded), so a late duplicate finish or api.call is recognised. */
  private readonly recent = new Map<string, string>();

  constructor(
    private readonly retentionMs = 7 * 24 * 3600_000,
    private readonly maxRunsPerScheme = 2000,
  ) {}

  scheme(name: string, now: number): SchemeActivity {
    let s = this.schemes.get(name);
    if (!s) {
      s = { firstSeenAt: now, finished: [] };
      this.schemes.set(name, s);
    }
    return s;
  }

  started(runId: string, scheme: string, at: number, trigger?: string): void {
    if (this.recent.has(runId)) return;
    this.scheme(scheme, at);
    const known = this.running.get(runId);
    this.running.set(runId, { ...known, runId, scheme, startedAt: at, ...(trigger ? { trigger } : {}) });
  }

  apiCall(runId: string, durationMs: number): void {
    const r = this.running.get(runId);
    if (!r) return;
    r.apiCalls = (r.apiCalls ?? 0) + 1;
    r.apiMs = (r.apiMs ?? 0) + durationMs;
  }

  progress(runId: string, counts: RunCounts): void {
    const r = this.running.get(runId);
    if (r) r.counts = counts;
  }

  schemeOf(runId: string): string | undefined {
    return this.running.get(runId)?.scheme ?? this.recent.get(runId);
  }

  /** Records a finished run; false when this run's end was already recorded (events + report both fed). */
  finished(run: FinishedRun): boolean {
    if (this.recent.has(run.runId)) return false;
    const live = this.running.get(run.runId);
    if (live?.trigger && !run.trigger) run.trigger = live.trigger;
    if (live?.apiCalls && run.apiCalls === undefined) {
      run.apiCalls = live.apiCalls;
      run.apiMs = live.apiMs ?? 0;
    }
    this.running.delete(run.runId);
    this.recent.set(run.runId, run.scheme);
    if (this.recent.size > RECENT_LIMIT) this.recent.delete(this.recent.keys().next().value!);
    const s = this.scheme(run.scheme, run.at);
    s.lastRunAt = run.at;
    s.lastRunId = run.runId;
    s.lastRunStatus = run.status;
    if ((run.status === 'succeeded' || run.status === 'partial') && run.counts.read > 0) s.lastRecordsAt = Math.max(s.lastRecordsAt ?? 0, run.at);
    s.finished.push(run);
    this.trim(s, run.at);
    return true;
  }

  /** Finished runs of a scheme that ended at or after `from`. */
  finishedSince(scheme: string, from: number): FinishedRun[] {
    const s = this.schemes.get(scheme);
    return s ? s.finished.filter((r) => r.at >= from) : [];
  }

  /** Seeds from stored runs (any order). Running rows become running runs; finished rows history. */
  prime(rows: readonly PrimeRun[], now: number): void {
    const sorted = [...rows].sort((a, b) => (a.endedAt ?? a.startedAt) - (b.endedAt ?? b.startedAt));
    for (const r of sorted) {
      if (r.status === 'running') {
        this.started(r.id, r.scheme, r.startedAt, r.trigger);
        this.progress(r.id, r.counts);
      } else {
        const s = this.scheme(r.scheme, Math.min(now, r.startedAt));
        s.firstSeenAt = Math.min(s.firstSeenAt, r.startedAt);
        this.finished({
          runId: r.id,
          scheme: r.scheme,
          at: r.endedAt ?? r.startedAt,
          status: r.status,
          counts: r.counts,
          ...(r.reason ? { reason: r.reason } : {}),
          ...(r.trigger ? { trigger: r.trigger } : {}),
        });
      }
    }
  }

  private trim(s: SchemeActivity, now: number): void {
    const from = now - this.retentionMs;
    while (s.finished.length && ((s.finished[0]!.at < from && s.finished.length > KEEP_RUNS) || s.finished.length > this.maxRunsPerScheme)) s.finished.shift();
  }
}

/** Records that reached an outcome (the rejection-rate denominator). */
export function processedOf(c: RunCounts): number {
  return c.created + c.updated + c.skipped + c.rejected + c.failed;
}
