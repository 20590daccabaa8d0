import type { Cursor } from '../core/contracts/platform.ts';
import type { Clock } from '../core/policy/rate-limiter.ts';
import { systemClock } from '../core/policy/rate-limiter.ts';
import { splitWindows } from '../core/policy/windows.ts';
import type { CompiledScheme } from './compiled-scheme.ts';
import type { EngineDeps } from './deps.ts';
import { readPages } from './read-source.ts';

/**
 * One piece of a run that a worker can take alone (JSON, stored with the run and sent in its job).
 * - `pages`: a page range of a full read, from `start` (null = the source's first page) until the next
 *   cursor's `stop.key` reaches `stop.at` (absent = until the source says the read is complete).
 * - `windows`: consecutive time windows [start, end) (ms) of an incremental read or of the omission remedy.
 * Each partition has its own checkpoint stream (`full:p3`, `incremental:p0`, `remedy:p1`), so a partition
 * taken over after a worker died resumes at its last committed page.
 */
export type PartitionSpec =
  | { index: number; stream: string; kind: 'pages'; start: Cursor | null; stop?: { key: string; at: number } }
  | { index: number; stream: string; kind: 'windows'; windows: { start: number; end: number }[] };

export interface PartitionPlan {
  partitions: PartitionSpec[];
  /** Records the source reported for a full read (page 0's total), when it reports one. */
  totalCount?: number;
  /** Incremental: where the high-water mark moves once every `incremental:*` partition succeeded. */
  highWater?: number;
  /** Why the plan has the shape it has (shown in logs). */
  note: string;
}

export interface PlanOptions {
  /** Pages per partition of a full read. Default 20. */
  pagesPerPartition?: number;
  /** Upper bound of partitions per stream (windows are grouped to stay under it). Default 64. */
  maxPartitions?: number;
  now?: number;
}

/**
 * Splits a run into partitions. Full reads are split by page ranges only when the source both reports a
 * total and pages arithmetically (the cursor of page N is the first cursor with one number advanced by
 * N × step — learned from page 0's own `next`, so no vendor knowledge is needed); otherwise the read is one
 * partition. Incremental reads are split by time windows, from the stored high-water mark (minus overlap)
 * to now minus lag, plus the omission-remedy range as its own partitions.
 */
export async function planPartitions(cs: CompiledScheme, deps: EngineDeps, o: PlanOptions = {}): Promise<PartitionPlan> {
  const clock: Clock = deps.clock ?? systemClock;
  const scheme = cs.scheme;
  const inc = scheme.source.incremental;
  if (inc) return planWindows(cs, deps, o.now ?? clock.now(), o.maxPartitions ?? 64);

  const pagesPer = Math.max(1, o.pagesPerPartition ?? 20);
  const signal = deps.signal ?? new AbortController().signal;
  const first = deps.source.first(cs.readSpec);
  const pages = readPages(deps.source, cs.readSpec, { signal, retry: scheme.retry, limiter: deps.sourceLimiter, clock, ...(deps.random ? { random: deps.random } : {}) });
  const probe = await pages.next();
  await pages.return(undefined);
  const single = (note: string, totalCount?: number): PartitionPlan => ({
    partitions: [{ index: 0, stream: 'full:p0', kind: 'pages', start: null }],
    ...(totalCount !== undefined ? { totalCount } : {}),
    note,
  });
  if (probe.done) return single('the source returned no page');
  const page = probe.value;
  if (!page.next) return single('the whole source fits in one page', page.totalCount);
  if (page.totalCount === undefined) return single('the source does not report a total, so the read cannot be split');
  const step = arithmeticStep(first, page.next);
  if (!step) return single('the source pages by token, not by number, so the read cannot be split', page.totalCount);

  const totalPages = Math.max(1, Math.ceil(page.totalCount / cs.readSpec.pageSize));
  const n = Math.ceil(totalPages / pagesPer);
  const partitions: PartitionSpec[] = [];
  for (let i = 0; i < n; i++) {
    const at = (p: number) => step.base + p * step.delta;
    partitions.push({
      index: i,
      stream: `full:p${i}`,
      kind: 'pages',
      start: i === 0 ? null : { ...first, [step.key]: at(i * pagesPer) },
      // The last partition reads on until the source says it is done (records added since the probe).
      ...(i < n - 1 ? { stop: { key: step.key, at: at((i + 1) * pagesPer) } } : {}),
    });
  }
  return { partitions, totalCount: page.totalCount, note: `${page.totalCount} records in ${totalPages} pages, ${n} partitions of ${pagesPer} pages` };
}

/** The one numeric cursor field that moves from page 0 to page 1, and by how much. */
export function arithmeticStep(first: Cursor, next: Cursor): { key: string; base: number; delta: number } | undefined {
  const moved = Object.keys(first).filter((k) => typeof first[k] === 'number' && typeof next[k] === 'number' && next[k] !== first[k]);
  if (moved.length !== 1) return undefined;
  const key = moved[0]!;
  const base = first[key] as number;
  const delta = (next[key] as number) - base;
  return delta > 0 ? { key, base, delta } : undefined;
}

async function planWindows(cs: CompiledScheme, deps: EngineDeps, now: number, maxPartitions: number): Promise<PartitionPlan> {
  const scheme = cs.scheme;
  const inc = scheme.source.incremental!;
  const vendorMax = deps.source.maxWindowMs?.(scheme.source.api);
  const wanted = inc.windowMinutes ? inc.windowMinutes * 60_000 : undefined;
  const maxMs = Math.min(vendorMax ?? Infinity, wanted ?? Infinity, 24 * 3600_000 * 30);
  const until = inc.until ? Date.parse(inc.until) : now - inc.lagSeconds * 1000;
  const cp = await deps.store.getCheckpoint(scheme.name, 'incremental');
  const from = cp?.highWater != null ? cp.highWater - inc.overlapSeconds * 1000 : Date.parse(inc.since);
  const partitions: PartitionSpec[] = [];
  const group = (stream: string, start: number) => {
    const ws = [...splitWindows(new Date(start), new Date(until), maxMs)].map((w) => ({ start: w.start.getTime(), end: w.end.getTime() }));
    const per = Math.max(1, Math.ceil(ws.length / maxPartitions));
    for (let i = 0, p = 0; i < ws.length; i += per, p++)
      partitions.push({ index: partitions.length, stream: `${stream}:p${p}`, kind: 'windows', windows: ws.slice(i, i + per) });
  };
  group('incremental', from);
  if (inc.remedyHours > 0) group('remedy', until - inc.remedyHours * 3600_000);
  const windows = partitions.reduce((n, p) => n + (p.kind === 'windows' ? p.windows.length : 0), 0);
  return {
    partitions,
    highWater: Math.max(until, cp?.highWater ?? 0),
    note: `${windows} windows from ${new Date(from).toISOString()} to ${new Date(until).toISOString()}${inc.remedyHours > 0 ? ` (remedy: last ${inc.remedyHours} h)` : ''}, ${partitions.length} partitions`,
  };
}

/** Checkpoint streams a plan uses, to clear them when the run is over. */
export function partitionStreams(plan: PartitionPlan): string[] {
  return plan.partitions.map((p) => p.stream);
}

/** The stored position of a partition (checkpoint cursor), as partition-run writes it. */
export type PartitionCursor = { page: Cursor } | { w: number; page?: Cursor };
