import type { TimeWindow } from '../core/contracts/platform.ts';
import type { JsonObject } from '../core/records.ts';
import type { CompiledScheme } from './compiled-scheme.ts';
import type { EngineDeps } from './deps.ts';
import type { TotalMismatch } from './read-guard.ts';
import { readPath } from './read-path.ts';
import type { RunReport } from './reconcile.ts';
import type { RecordPipeline } from './record-pipeline.ts';

/** What the report and the warnings say about a read and about duplicate numbers (see read-guard.ts, duplicate-numbers.ts). */

export function recordIdentity(idPath: string): (rec: JsonObject) => unknown {
  return (rec) => readPath(rec, idPath);
}

/** The run's time limit as a signal (`timeouts.runMs`, 6 hours unless the scheme says otherwise). */
export function runTimeLimit(ms: number | undefined): AbortSignal | undefined {
  return ms && ms > 0 ? AbortSignal.timeout(ms) : undefined;
}

export function timeLimitReason(ms: number | undefined): string {
  const h = (ms ?? 0) / 3600_000;
  const shown = h >= 1 ? `${Number(h.toFixed(2))} h` : `${Math.round((ms ?? 0) / 1000)} s`;
  return `stopped: the run reached its time limit of ${shown} (timeouts.runMs); what was committed stays, the next run resumes from there — raise timeouts.runMs in the scheme if this source needs longer`;
}

export function totalMismatchWarning(api: string, stream: string, window: TimeWindow | undefined, m: TotalMismatch): { message: string } {
  const where = window ? `window ${window.start.toISOString()} – ${window.end.toISOString()}` : stream;
  const what =
    m.read > m.reported
      ? `${m.read - m.reported} more than it said; ferry read on to the end of the pages rather than stop at the total`
      : `${m.reported - m.read} fewer than it said (records removed during the read, or a count the vendor does not keep exactly)`;
  return { message: `${api} (${where}): the vendor reported ${m.reported} records but ${m.read} were read in ${m.pages} pages — ${what}` };
}

/** The run's duplicate target numbers for the report, the first ones with every source id the ledger has for them. */
export async function duplicatesReport(cs: CompiledScheme, deps: EngineDeps, pipeline: RecordPipeline, runId: string): Promise<RunReport['duplicates']> {
  const d = pipeline.duplicates;
  if (d.count === 0) return undefined;
  const examples: { number: string; sourceIds: string[] }[] = [];
  for (const [number, ids] of d.examples) {
    const all = new Set<string>();
    try {
      for (const r of await deps.store.queryLedger({ scheme: cs.scheme.name, search: number, runId, limit: 20 })) if (r.targetNumber === number) all.add(r.sourceId);
    } catch {
      // the ledger is only asked to complete the list; what the run saw is still reported
    }
    for (const id of ids) all.add(id);
    examples.push({ number, sourceIds: [...all] });
  }
  return {
    count: d.count,
    action: cs.scheme.quality.duplicateNumbers,
    ...(d.coveredAll ? {} : { coveredAll: false }),
    examples,
  };
}
