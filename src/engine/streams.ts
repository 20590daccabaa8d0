import type { Cursor, SourceSession, TimeWindow } from '../core/contracts/platform.ts';
import type { StateStore, StoredCheckpoint } from '../core/contracts/state-store.ts';
import { splitWindows } from '../core/policy/windows.ts';
import type { Scheme } from '../core/scheme/scheme.ts';

/** One read the run performs: the whole source, or one time window, with where to resume. */
export interface StreamPart {
  stream: string;
  window?: TimeWindow;
  startCursor: Cursor | null;
  /** Checkpoint fields to write after each page of this part. */
  checkpointFor(next: Cursor | null): Omit<StoredCheckpoint, 'runId' | 'updatedAt' | 'scheme'>;
}

/**
 * Plans the reads of a run from the scheme and the stored checkpoints.
 * - Full reads (no `incremental`): stream `full`, resumed mid-way after a crash; a finished read starts over.
 * - Incremental: windows on modified time from (high-water − overlap) to (now − lag), each no longer than the
 *   vendor allows; the high-water mark moves when a window completes; a read interrupted inside a window
 *   resumes at its page. The omission remedy re-reads a trailing range as stream `remedy`.
 */
export async function planStreams(scheme: Scheme, source: SourceSession, store: StateStore, now: number): Promise<StreamPart[]> {
  const inc = scheme.source.incremental;
  if (!inc) {
    const cp = await store.getCheckpoint(scheme.name, 'full');
    return [{ stream: 'full', startCursor: cp?.cursor ?? null, checkpointFor: (next) => ({ stream: 'full', cursor: next, highWater: null }) }];
  }
  const vendorMax = source.maxWindowMs?.(scheme.source.api);
  const wanted = inc.windowMinutes ? inc.windowMinutes * 60_000 : undefined;
  const maxMs = Math.min(vendorMax ?? Infinity, wanted ?? Infinity, 24 * 3600_000 * 30);
  const until = inc.until ? Date.parse(inc.until) : now - inc.lagSeconds * 1000;
  const cp = await store.getCheckpoint(scheme.name, 'incremental');
  const parts: StreamPart[] = [];
  let from = cp?.highWater != null ? cp.highWater - inc.overlapSeconds * 1000 : Date.parse(inc.since);
  const hw = { value: cp?.highWater ?? null };

  const saved = cp?.cursor as { window?: { start: number; end: number }; page?: Cursor } | null | undefined;
  if (saved?.window && saved.page) {
    const w = { start: new Date(saved.window.start), end: new Date(saved.window.end) };
    parts.push(windowPart('incremental', w, saved.page, hw));
    from = Math.max(from, saved.window.end);
  }
  for (const w of splitWindows(new Date(from), new Date(until), maxMs)) parts.push(windowPart('incremental', w, null, hw));

  if (inc.remedyHours > 0) {
    const rcp = await store.getCheckpoint(scheme.name, 'remedy');
    const rs = rcp?.cursor as { window?: { start: number; end: number }; page?: Cursor } | null | undefined;
    let rFrom = until - inc.remedyHours * 3600_000;
    if (rs?.window && rs.page) {
      parts.push(windowPart('remedy', { start: new Date(rs.window.start), end: new Date(rs.window.end) }, rs.page, null));
      rFrom = Math.max(rFrom, rs.window.end);
    }
    for (const w of splitWindows(new Date(rFrom), new Date(until), maxMs)) parts.push(windowPart('remedy', w, null, null));
  }
  return parts;
}

/** `hw` is the incremental high-water mark, shared by the windows of a run; null for the remedy stream. */
function windowPart(stream: string, w: TimeWindow, start: Cursor | null, hw: { value: number | null } | null): StreamPart {
  const window = { start: w.start.getTime(), end: w.end.getTime() };
  return {
    stream,
    window: w,
    startCursor: start,
    checkpointFor: (next) => {
      if (next) return { stream, cursor: { window, page: next }, highWater: hw?.value ?? null };
      if (hw) hw.value = Math.max(hw.value ?? 0, window.end);
      return { stream, cursor: null, highWater: hw?.value ?? null };
    },
  };
}
