import type { RunStatus } from '../core/contracts/state-store.ts';
import { FerryFailure, toFerryError } from '../core/errors.ts';
import type { PageTracker } from './page-tracker.ts';
import type { RecordPipeline } from './record-pipeline.ts';

/**
 * After a run (or partition) threw: decide its status and reason, stop what is still in flight, and commit
 * every page that did complete (so the next run resumes as late as possible).
 */
export async function stopAfterFailure(
  err: unknown,
  o: { pipeline: RecordPipeline; tracker: PageTracker; abort: AbortController; signal?: AbortSignal | undefined; cancelledReason: string },
): Promise<{ status: RunStatus; reason: string }> {
  const aborted = o.pipeline.abortReason;
  const status: RunStatus = aborted ? 'aborted' : o.signal?.aborted ? 'cancelled' : 'failed';
  const reason = aborted ?? (o.signal?.aborted ? o.cancelledReason : toFerryError(err).message);
  o.abort.abort(new FerryFailure({ kind: 'run_stopped', action: 'fail_run', message: reason }));
  await o.pipeline.settleQuietly();
  await o.tracker.drain().catch(() => undefined);
  return { status, reason };
}
