import type { RunCounts, RunStatus } from '../core/contracts/state-store.ts';

/**
 * The status of a run (or replay) that went through to the end without stopping, from what happened to
 * its records — never a plain success when a record was not delivered:
 * - `succeeded`: every record read was written or skipped as unchanged;
 * - `partial`: some were delivered, some were rejected (vendor, mapping or quality) or failed (retries exhausted);
 * - `failed`: records were read and none was delivered — every one was rejected or failed.
 * A run that stopped early keeps the status its stop gave it (failed, aborted, cancelled).
 */
export function completedStatus(k: RunCounts, scheme: string): { status: RunStatus; reason?: string } {
  const lost = k.rejected + k.failed;
  if (!lost) return { status: 'succeeded' };
  const delivered = k.created + k.updated + k.skipped;
  const what = [k.rejected ? `${k.rejected} rejected` : '', k.failed ? `${k.failed} failed (retries exhausted)` : ''].filter(Boolean).join(', ');
  const next = `see \`ferry records ${scheme} --status ${k.rejected ? 'rejected' : 'failed'}\`, fix the cause, then \`ferry replay\``;
  if (!delivered) return { status: 'failed', reason: `no record was delivered: all ${lost} ${lost === 1 ? 'was' : 'were'} ${what}; ${next}` };
  return { status: 'partial', reason: `${lost} of ${delivered + lost} records were not delivered (${what}); ${next}` };
}

