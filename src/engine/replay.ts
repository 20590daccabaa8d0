import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { emptyCounts, type RunCounts, type RunStatus } from '../core/contracts/state-store.ts';
import { toFerryError } from '../core/errors.ts';
import { systemClock } from '../core/policy/rate-limiter.ts';
import type { JsonObject, RecordRef } from '../core/records.ts';
import type { CompiledScheme } from './compiled-scheme.ts';
import { PageTracker } from './page-tracker.ts';
import { RecordPipeline } from './record-pipeline.ts';
import { reconcile, type RunReport } from './reconcile.ts';
import { completedStatus } from './run-outcome.ts';
import { interruptAbandonedRuns, lockScheme } from './run-lock.ts';
import type { EngineDeps } from './deps.ts';

/**
 * Re-sends rejected (and failed) records: each is re-mapped from its stored source record with the
 * CURRENT scheme, validated and written like any record (look-up first, so nothing is created twice).
 * Runs as its own run with trigger `replay`; the source is not read and no checkpoint moves.
 */
export async function replayRejected(cs: CompiledScheme, deps: EngineDeps, opts: { ids?: string[]; includeFailed?: boolean } = {}): Promise<RunReport> {
  const clock = deps.clock ?? systemClock;
  const runId = `${new Date(clock.now()).toISOString().replace(/[-:T]/g, '').slice(0, 14)}-replay-${randomUUID().slice(0, 6)}`;
  // A replay writes to the target like a run: it takes the scheme's run lock the same way.
  const lock = await lockScheme(deps.store, cs.scheme.name, runId, { clock, ...(deps.holderJudge ? { judge: deps.holderJudge } : {}) });
  try {
    await interruptAbandonedRuns(deps.store, { scheme: cs.scheme.name, lockHeld: true, exceptRunId: runId, now: clock.now(), ...(deps.holderJudge ? { judge: deps.holderJudge } : {}) });
    return await replayLocked(cs, deps, opts, runId);
  } finally {
    await lock.release();
  }
}

async function replayLocked(cs: CompiledScheme, deps: EngineDeps, opts: { ids?: string[]; includeFailed?: boolean }, runId: string): Promise<RunReport> {
  const clock = deps.clock ?? systemClock;
  const scheme = cs.scheme;
  const counts: RunCounts = emptyCounts();
  const started = clock.now();
  const abort = new AbortController();
  const signal = AbortSignal.any([abort.signal, ...(deps.signal ? [deps.signal] : [])]);
  const emit = deps.onEvent ?? (() => {});
  await deps.store.createRun({ id: runId, scheme: scheme.name, status: 'running', trigger: 'replay', startedAt: started, counts, owner: `${process.pid}@${hostname()}` });
  emit({ type: 'run.started', runId, scheme: scheme.name, trigger: 'replay', at: started, resumed: false });

  const tracker = new PageTracker(deps.store);
  const pipeline = new RecordPipeline(cs, deps, { runId, counts, signal, clock, emit, abort });
  let status: RunStatus;
  let reason: string | undefined;
  try {
    const statuses = opts.includeFailed === false ? (['rejected'] as const) : (['rejected', 'failed'] as const);
    // Collect the ids first: rows change status as they are replayed.
    const ids: string[] = [];
    for (const st of statuses)
      for (let offset = 0; ; offset += 1000) {
        const rows = await deps.store.queryLedger({ scheme: scheme.name, status: st, limit: 1000, offset, ...(opts.ids ? { sourceIds: opts.ids } : {}) });
        ids.push(...rows.map((r) => r.sourceId));
        if (rows.length < 1000) break;
      }
    for (let i = 0; i < ids.length; i += 200) {
      const rows = [...(await deps.store.getLedger(scheme.name, ids.slice(i, i + 200))).values()];
      const lines: { ref: RecordRef; data: JsonObject }[] = [];
      for (const r of rows) {
        if (!r.sourceData) continue;
        const [page = 'replay', index = '0'] = (r.sourceRef ?? '').split('#');
        lines.push({
          ref: { scheme: scheme.name, api: scheme.source.api, page, index: Number(index) || 0, sourceId: r.sourceId, ...(r.sourceNumber ? { sourceNumber: r.sourceNumber } : {}) },
          data: JSON.parse(r.sourceData) as JsonObject,
        });
      }
      const open = tracker.open(`replay ${i / 200 + 1}`, 'replay', null);
      await pipeline.processLines(lines, open);
      open.seal();
    }
    await pipeline.flush();
    await tracker.drain();
    ({ status, reason } = completedStatus(counts, scheme.name));
  } catch (err) {
    status = 'failed';
    reason = toFerryError(err).message;
    abort.abort(err);
    await pipeline.settleQuietly();
    await tracker.drain().catch(() => undefined);
  }
  const report = await reconcile(cs, deps, { runId, counts, status, reason, started, reconcileTarget: true, clock });
  await deps.store.updateRun(runId, { status, counts, endedAt: clock.now(), reason: reason ?? null, report: JSON.stringify(report) });
  emit({ type: 'run.finished', runId, status, counts, ...(reason ? { reason } : {}), durationMs: clock.now() - started });
  return report;
}
