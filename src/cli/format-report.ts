import type { RunStatus } from '../core/contracts/state-store.ts';
import type { RunReport } from '../engine/reconcile.ts';

/** The reconciliation as a person reads it at the end of a run. */
export function formatReport(r: RunReport): string {
  const c = r.reconciliation;
  const lines = [
    `run ${r.runId} of "${r.scheme}": ${r.status.toUpperCase()}${r.reason ? ` — ${r.reason}` : ''}`,
    `  duration ${(r.durationMs / 1000).toFixed(1)} s${c.targetCheckMs !== undefined ? ` (+ ${(c.targetCheckMs / 1000).toFixed(1)} s checking the target)` : ''}, ${r.recordsPerSecond} records/s, ${r.counts.pages} pages, ${r.counts.apiCalls} API calls, ${r.counts.retries} retries`,
    '',
    '  reconciliation',
    `    read from source      ${pad(c.source)}`,
    `    skipped (unchanged)   ${pad(c.skippedUnchanged)}`,
    `    written               ${pad(c.written)}   (created ${c.created}, updated ${c.updated})`,
    `    rejected              ${pad(c.rejected)}${r.counts.invalid ? `   (${r.counts.invalid} by mapping/quality before the target)` : ''}`,
    `    failed                ${pad(c.failed)}`,
  ];
  const took = c.targetCheckMs !== undefined ? ` in ${(c.targetCheckMs / 1000).toFixed(1)} s` : '';
  if (c.heldByTarget !== undefined)
    lines.push(`    held by target        ${pad(c.heldByTarget)}   of ${c.checkedInTarget} delivered records checked${took}${c.missingInTarget?.length ? `; missing: ${c.missingInTarget.join(', ')}` : ''}`);
  if (c.targetCheckError) lines.push(`    held by target        (not counted${took}: ${c.targetCheckError})`);
  if (r.duplicates) {
    const d = r.duplicates;
    lines.push('', `  duplicate target numbers: ${d.count} source record${d.count === 1 ? '' : 's'} had a number another source record of the run already had (${d.action === 'reject' ? 'rejected' : 'written into one target record; quality.duplicateNumbers "reject" keeps them out'})${d.coveredAll === false ? ' — checked for the first ~2.9M records only' : ''}:`);
    for (const x of d.examples) lines.push(`    ${x.number}  source ids ${x.sourceIds.join(', ')}`);
  }
  if (r.warnings?.length) {
    lines.push('', '  warnings');
    for (const w of r.warnings) lines.push(`    ${w.message}`);
  }
  if (r.rejected.length) {
    lines.push('', `  rejected records (first ${r.rejected.length}; see \`ferry records <scheme> --status rejected\`):`);
    for (const x of r.rejected) lines.push(`    ${x.sourceNumber ?? x.sourceId}  [${x.code ?? ''}] ${x.message}`);
  }
  return lines.join('\n');
}

const pad = (n: number) => String(n).padStart(8);

/** Exit code of `ferry run` / `ferry replay`: 0 every record delivered, 2 partial (some rejected or failed), 1 otherwise. */
export function exitCodeOf(status: RunStatus): number {
  return status === 'succeeded' ? 0 : status === 'partial' ? 2 : 1;
}
