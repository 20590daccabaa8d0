import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { emptyCounts, type RunCounts, type RunStatus } from '../core/contracts/state-store.ts';
import { systemClock } from '../core/policy/rate-limiter.ts';
import type { EngineDeps } from './deps.ts';
import type { CompiledScheme } from './compiled-scheme.ts';
import { PageTracker } from './page-tracker.ts';
import { planStreams } from './streams.ts';
import { readPages } from './read-source.ts';
import { RecordPipeline } from './record-pipeline.ts';
import { reconcile, type RunReport } from './reconcile.ts';
import { stopAfterFailure } from './stop-run.ts';
import { completedStatus } from './run-outcome.ts';
import { duplicatesReport, recordIdentity, runTimeLimit, timeLimitReason, totalMismatchWarning } from './read-report.ts';
import { interruptAbandonedRuns, lockScheme, type HeldSchemeLock } from './run-lock.ts';
import type { EventSink } from './events.ts';
import type { Clock } from '../core/policy/rate-limiter.ts';


export interface RunOptions {
  trigger?: string;
  /** Count the run's records in the target at the end (one look-up per 500 records). Default true. */
  reconcileTarget?: boolean;
  runId?: string;
}

/**
 * Runs a scheme once: read → explode → map → validate → idCheck → batch → bounded writes → ledger →
 * checkpoint, streaming. Returns the reconciliation report; the run row in the store says the same.
 */
export async function runScheme(cs: CompiledScheme, deps: EngineDeps, opts: RunOptions = {}): Promise<RunReport> {
  const clock = deps.clock ?? systemClock;
  const runId = opts.runId ?? `${new Date(clock.now()).toISOString().replace(/[-:T]/g, '').slice(0, 14)}-${randomUUID().slice(0, 8)}`;
  const scheme = cs.scheme;
  const counts: RunCounts = emptyCounts();
  const started = clock.now();
  const abort = new AbortController();
  const signals = [abort.signal, ...(deps.signal ? [deps.signal] : [])];
  const timeLimit = runTimeLimit(scheme.timeouts.runMs);
  if (timeLimit) signals.push(timeLimit);
  const signal = AbortSignal.any(signals);
  const emit = deps.onEvent ?? (() => {});

  // One run per scheme: refuses (SchemeBusyError) while a live run holds the scheme, takes over a dead one's lock.
  const lock = await lockScheme(deps.store, scheme.name, runId, {
    clock,
    ...(deps.holderJudge ? { judge: deps.holderJudge } : {}),
    onBeat: () => deps.store.updateRun(runId, { counts: { ...counts } }),
  });
  try {
    return await runLocked(cs, deps, { runId, counts, started, clock, signal, abort, emit, trigger: opts.trigger ?? 'manual', reconcileTarget: opts.reconcileTarget ?? true, lock, timeLimit });
  } finally {
    await lock.release();
  }
}

async function runLocked(
  cs: CompiledScheme,
  deps: EngineDeps,
  r: { runId: string; counts: RunCounts; started: number; clock: Clock; signal: AbortSignal; abort: AbortController; emit: EventSink; trigger: string; reconcileTarget: boolean; lock: HeldSchemeLock; timeLimit: AbortSignal | undefined },
): Promise<RunReport> {
  const { runId, counts, started, clock, signal, abort, emit, timeLimit } = r;
  const scheme = cs.scheme;
  // Holding the lock, every other `running` row of the scheme was left by a process that is gone.
  const interrupted = await interruptAbandonedRuns(deps.store, { scheme: scheme.name, lockHeld: true, exceptRunId: runId, now: clock.now(), ...(deps.holderJudge ? { judge: deps.holderJudge } : {}) });
  const checkpoints = await deps.store.listCheckpoints(scheme.name);
  const resumed = checkpoints.some((c) => c.cursor !== null);
  // The interrupted runs this one carries on: those it just marked, and those whose checkpoint it resumes from
  // (marked by `ferry runs`, `ferry serve` or a worker meanwhile).
  const carried = new Map(interrupted.map((x) => [x.run.id, { ...x.run, counts: { ...x.run.counts, ...x.counts } }]));
  for (const id of new Set(checkpoints.filter((c) => c.cursor !== null).map((c) => c.runId)))
    if (!carried.has(id)) {
      const prev = await deps.store.getRun(id);
      if (prev?.status === 'interrupted') carried.set(id, prev);
    }
  await deps.store.createRun({ id: runId, scheme: scheme.name, status: 'running', trigger: r.trigger, startedAt: started, counts, owner: `${process.pid}@${hostname()}` });
  emit({ type: 'run.started', runId, scheme: scheme.name, trigger: r.trigger, at: started, resumed: resumed || interrupted.length > 0 });
  for (const x of carried.values())
    emit({ type: 'run.resuming', runId, interruptedRunId: x.id, owner: x.owner ?? '', startedAt: x.startedAt, settled: x.counts.read, reason: `its process ${x.owner ?? ''} is gone; the ledger holds ${x.counts.read} of its records` });

  const tracker = new PageTracker(deps.store, (p) => emit({ type: 'page.committed', runId, stream: p.stream, page: p.label }));
  const pipeline = new RecordPipeline(cs, deps, { runId, counts, signal, clock, emit, abort });
  const progress = setInterval(() => emit({ type: 'progress', runId, counts: { ...counts }, elapsedMs: clock.now() - started }), 500);
  progress.unref();

  let status: RunStatus;
  let reason: string | undefined;
  const warnings: NonNullable<RunReport['warnings']> = [];
  try {
    const parts = await planStreams(scheme, deps.source, deps.store, clock.now());
    for (const part of parts) {
      if (part.window) emit({ type: 'window.started', runId, stream: part.stream, start: part.window.start.toISOString(), end: part.window.end.toISOString() });
      const spec = { ...cs.readSpec, ...(part.window ? { window: part.window } : {}) };
      for await (const page of readPages(deps.source, spec, {
        signal,
        retry: scheme.retry,
        limiter: deps.sourceLimiter,
        clock,
        ...(deps.random ? { random: deps.random } : {}),
        startCursor: part.startCursor,
        identity: recordIdentity(scheme.source.id),
        onRetry: (error, attempt, delayMs) => {
          counts.retries++;
          emit({ type: 'retry', runId, what: `read ${scheme.source.api} page ${JSON.stringify(part.startCursor ?? {})}`, attempt, delayMs, error });
        },
        onTotalMismatch: (m) => {
          const w = totalMismatchWarning(scheme.source.api, part.stream, part.window, m);
          warnings.push({ code: 'total_mismatch', message: w.message, stream: part.stream });
          emit({ type: 'read.warning', runId, stream: part.stream, api: scheme.source.api, code: 'total_mismatch', message: w.message, reported: m.reported, read: m.read });
        },
      })) {
        counts.pages++;
        counts.apiCalls++;
        const label = part.window ? `${part.window.start.toISOString()}/${page.label}` : page.label;
        emit({ type: 'page.read', runId, stream: part.stream, page: label, records: page.records.length, ...(page.totalCount !== undefined ? { totalCount: page.totalCount } : {}) });
        const cp = { ...part.checkpointFor(page.next), scheme: scheme.name, runId, updatedAt: clock.now() };
        const open = tracker.open(label, part.stream, cp);
        await pipeline.processPage(page.records, label, open);
        open.seal();
        pipeline.checkThresholds();
      }
    }
    await pipeline.flush();
    await tracker.drain();
    ({ status, reason } = completedStatus(counts, scheme.name));
  } catch (err) {
    ({ status, reason } = await stopAfterFailure(err, { pipeline, tracker, abort, signal: deps.signal, cancelledReason: 'cancelled by the user' }));
    if (timeLimit?.aborted && !deps.signal?.aborted && !pipeline.abortReason) {
      status = 'cancelled';
      reason = timeLimitReason(scheme.timeouts.runMs);
    }
  } finally {
    clearInterval(progress);
  }

  const report = await reconcile(cs, deps, { runId, counts, status, reason, started, reconcileTarget: r.reconcileTarget, clock });
  if (warnings.length) report.warnings = warnings;
  const dups = await duplicatesReport(cs, deps, pipeline, runId);
  if (dups) report.duplicates = dups;
  await r.lock.stopHeartbeat(); // its progress write must not land after the final one
  await deps.store.updateRun(runId, { status, counts, endedAt: clock.now(), reason: reason ?? null, report: JSON.stringify(report) });
  emit({ type: 'run.finished', runId, status, counts, ...(reason ? { reason } : {}), durationMs: clock.now() - started });
  return report;
}

export type { EngineDeps } from './deps.ts';
