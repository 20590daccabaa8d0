import type { Cursor, ReadSpec } from '../core/contracts/platform.ts';
import { emptyCounts, type RunCounts, type RunStatus, type StoredCheckpoint } from '../core/contracts/state-store.ts';
import { systemClock } from '../core/policy/rate-limiter.ts';
import { stopAfterFailure } from './stop-run.ts';
import { recordIdentity } from './read-report.ts';
import type { CompiledScheme } from './compiled-scheme.ts';
import type { EngineDeps } from './deps.ts';
import { PageTracker } from './page-tracker.ts';
import type { PartitionCursor, PartitionSpec } from './partition-plan.ts';
import { readPages } from './read-source.ts';
import { RecordPipeline } from './record-pipeline.ts';

export interface PartitionResult {
  status: RunStatus;
  reason?: string;
  /** What this attempt did (an attempt that resumed counts only its own pages). */
  counts: RunCounts;
  /** True when the checkpoint said this partition had already been completed in this run. */
  alreadyDone: boolean;
}

/**
 * Runs one partition of a run whose row already exists (a scaled-out run; see partition-plan.ts):
 * read its pages or windows → explode → map → validate → idCheck → bounded writes → ledger → checkpoint,
 * like runScheme, but neither creates nor finishes the run row. It resumes from its own checkpoint stream
 * when that was written by the same run (a worker died and another took the job over); a checkpoint of an
 * earlier run is ignored, so every run reads its whole range (the ledger skips what is unchanged).
 */
export async function runPartition(cs: CompiledScheme, deps: EngineDeps, o: { runId: string; partition: PartitionSpec }): Promise<PartitionResult> {
  const clock = deps.clock ?? systemClock;
  const { runId, partition: part } = o;
  const scheme = cs.scheme;
  const counts = emptyCounts();
  const abort = new AbortController();
  const signals = [abort.signal, ...(deps.signal ? [deps.signal] : [])];
  if (scheme.timeouts.runMs) signals.push(AbortSignal.timeout(scheme.timeouts.runMs));
  const signal = AbortSignal.any(signals);
  const emit = deps.onEvent ?? (() => {});

  const saved = await deps.store.getCheckpoint(scheme.name, part.stream);
  const mine = saved && saved.runId === runId ? saved : undefined;
  if (mine && mine.cursor === null) return { status: 'succeeded', counts, alreadyDone: true };
  const at = (mine?.cursor ?? null) as PartitionCursor | null;

  const tracker = new PageTracker(deps.store, (p) => emit({ type: 'page.committed', runId, stream: p.stream, page: p.label }));
  const pipeline = new RecordPipeline(cs, deps, { runId, counts, signal, clock, emit, abort });
  const checkpoint = (cursor: PartitionCursor | null): StoredCheckpoint => ({ scheme: scheme.name, stream: part.stream, cursor, highWater: null, runId, updatedAt: clock.now() });

  /** Reads one range; `toCursor(next)` is what to store after a page (null = this partition is complete). */
  const readRange = async (spec: ReadSpec, start: Cursor | null, toCursor: (next: Cursor | null) => PartitionCursor | null, labelPrefix = '') => {
    for await (const page of readPages(deps.source, spec, {
      signal,
      retry: scheme.retry,
      limiter: deps.sourceLimiter,
      clock,
      ...(deps.random ? { random: deps.random } : {}),
      startCursor: start,
      identity: recordIdentity(scheme.source.id),
      onRetry: (error, attempt, delayMs) => {
        counts.retries++;
        emit({ type: 'retry', runId, what: `read ${scheme.source.api} ${part.stream} page ${JSON.stringify(start ?? {})}`, attempt, delayMs, error });
      },
    })) {
      counts.pages++;
      counts.apiCalls++;
      const stopHere = part.kind === 'pages' && part.stop !== undefined && page.next !== null && Number(page.next[part.stop.key]) >= part.stop.at;
      const next = stopHere ? null : page.next;
      const label = `${labelPrefix}${page.label}`;
      emit({ type: 'page.read', runId, stream: part.stream, page: label, records: page.records.length, ...(page.totalCount !== undefined ? { totalCount: page.totalCount } : {}) });
      const open = tracker.open(label, part.stream, checkpoint(toCursor(next)));
      await pipeline.processPage(page.records, label, open);
      open.seal();
      pipeline.checkThresholds();
      if (stopHere) break;
    }
  };

  let status: RunStatus = 'succeeded';
  let reason: string | undefined;
  try {
    if (part.kind === 'pages') {
      const start = at && 'page' in at && at.page ? at.page : part.start;
      await readRange(cs.readSpec, start, (next) => (next ? { page: next } : null));
    } else {
      const from = at && 'w' in at ? at.w : 0;
      for (let w = from; w < part.windows.length; w++) {
        const win = part.windows[w]!;
        const window = { start: new Date(win.start), end: new Date(win.end) };
        emit({ type: 'window.started', runId, stream: part.stream, start: window.start.toISOString(), end: window.end.toISOString() });
        const start = w === from && at && 'w' in at && at.page ? at.page : null;
        const last = w === part.windows.length - 1;
        await readRange({ ...cs.readSpec, window }, start, (next) => (next ? { w, page: next } : last ? null : { w: w + 1 }), `${window.start.toISOString()}/`);
      }
    }
    await pipeline.flush();
    await tracker.drain();
  } catch (err) {
    ({ status, reason } = await stopAfterFailure(err, { pipeline, tracker, abort, signal: deps.signal, cancelledReason: 'cancelled' }));
  }
  return { status, ...(reason ? { reason } : {}), counts, alreadyDone: false };
}
