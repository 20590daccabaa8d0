import type { RunCounts, RunStatus } from '../core/contracts/state-store.ts';

/**
 * The status of a run (or replay) that went through to the end without stopping, from what happened to
 * its records — never a plain success when a record was not delivered:
 * - `succeeded`: every record read was written or skipped as unchanged;
 * - `partial`: some were delivered, some were rejected (vendor, mapping or quality) or failed (retries exhausted),
 *   or every record was delivered but some were left incomplete (saved, not submitted/audited);
 * - `failed`: records were read and none was delivered — every one was rejected or failed.
 * A run that stopped early keeps the status its stop gave it (failed, aborted, cancelled).
 */
export function completedStatus(k: RunCounts, scheme: string): { status: RunStatus; reason?: string } {
  const lost = k.rejected + k.failed;
  const incomplete = k.incomplete ?? 0;
  if (!lost && incomplete) {
    // Delivered, but not as asked: saved and left unsubmitted/unaudited (the next run retries the step).
    return {
      status: 'partial',
      reason: `${incomplete} record${incomplete === 1 ? ' was' : 's were'} saved but a follow-up step (Submit/Audit) did not complete; see \`ferry records ${scheme}\` (detail "pending …"): the next run retries the step`,
    };
  }
  if (!lost) return { status: 'succeeded' };
  const delivered = k.created + k.updated + k.skipped;
  const what = [k.rejected ? `${k.rejected} rejected` : '', k.failed ? `${k.failed} failed (retries exhausted)` : ''].filter(Boolean).join(', ');
  const next = `see \`ferry records ${scheme} --status ${k.rejected ? 'rejected' : 'failed'}\`, fix the cause, then \`ferry replay\``;
  if (!delivered) return { status: 'failed', reason: `no record was delivered: all ${lost} ${lost === 1 ? 'was' : 'were'} ${what}; ${next}` };
  return { status: 'partial', reason: `${lost} of ${delivered + lost} records were not delivered (${what}); ${next}` };
}

