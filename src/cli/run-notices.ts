import type { RunEvent } from '../engine/events.ts';

/** Lines a person running `ferry run` must see whether or not stderr is a terminal (the progress line is for terminals only). */
export function printRunNotice(e: RunEvent, out: NodeJS.WritableStream = process.stderr): void {
  if (e.type === 'run.resuming')
    out.write(`ferry: run ${e.runId} resumes run ${e.interruptedRunId} (started ${new Date(e.startedAt).toISOString()}), interrupted: ${e.reason}; marked interrupted, continuing from its last committed page\n`);
}
