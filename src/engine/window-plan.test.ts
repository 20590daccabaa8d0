import { describe, expect, it } from 'vitest';
import type { SourceSession } from '../core/contracts/platform.ts';
import type { StateStore, StoredCheckpoint } from '../core/contracts/state-store.ts';
import { Scheme } from '../core/scheme/scheme.ts';
import type { CompiledScheme } from './compiled-scheme.ts';
import type { EngineDeps } from './deps.ts';
import { planPartitions } from './partition-plan.ts';
import { planStreams } from './streams.ts';

/**
 * Window planning of incremental reads (streams.ts for one process, partition-plan.ts for scaled runs):
 * every run re-reads `overlapSeconds` before the stored high-water mark, so records modified while the
 * previous run read its last window are caught; windows are contiguous, no longer than the vendor allows,
 * and stop `lagSeconds` before now.
 */

const H = Date.parse('2026-03-01T10:00:00Z'); // stored high-water mark
const NOW = Date.parse('2026-03-01T13:00:00Z');

function scheme(inc: Record<string, unknown>) {
  return Scheme.parse({
    name: 'trades',
    source: { api: 'wdt.trade.query', id: 'trade_id', incremental: { since: '2026-01-01T00:00:00Z', ...inc } },
    target: { api: 'batchSave', request: [{ field: 'FBillNo', value: '{trade_no}' }] },
  });
}

function store(cps: Record<string, Partial<StoredCheckpoint>>): StateStore {
  return {
    async getCheckpoint(_s: string, stream: string) {
      const c = cps[stream];
      return c ? ({ scheme: 'trades', stream, cursor: null, highWater: null, runId: 'r0', updatedAt: 0, ...c } as StoredCheckpoint) : undefined;
    },
  } as unknown as StateStore;
}

const source = (maxWindowMs?: number): SourceSession => ({
  first: () => ({}),
  fetchPage: async () => ({ records: [], next: null, label: '0' }),
  ...(maxWindowMs ? { maxWindowMs: () => maxWindowMs } : {}),
});

const contiguous = (ws: { start: number; end: number }[]) => ws.every((w, i) => i === 0 || w.start === ws[i - 1]!.end);

describe('incremental window planning keeps the overlap', () => {
  it('planStreams: the first window starts overlapSeconds before the high-water mark, windows are contiguous and end lagSeconds before now', async () => {
    const s = scheme({ overlapSeconds: 300, lagSeconds: 60 });
    const parts = await planStreams(s, source(3600_000), store({ incremental: { highWater: H } }), NOW);
    const ws = parts.map((p) => ({ start: p.window!.start.getTime(), end: p.window!.end.getTime() }));
    expect(ws[0]!.start).toBe(H - 300_000);
    expect(ws.at(-1)!.end).toBe(NOW - 60_000);
    expect(contiguous(ws)).toBe(true);
    expect(ws.every((w) => w.end - w.start <= 3600_000)).toBe(true);
  });

  it('planStreams: the overlap applies on every run, also with overlapSeconds larger than a window', async () => {
    const s = scheme({ overlapSeconds: 7200, lagSeconds: 0 });
    const parts = await planStreams(s, source(3600_000), store({ incremental: { highWater: H } }), NOW);
    expect(parts[0]!.window!.start.getTime()).toBe(H - 7200_000);
    expect(parts.at(-1)!.window!.end.getTime()).toBe(NOW);
  });

  it('planStreams: a read interrupted inside a window resumes that window first, then goes on from its end', async () => {
    const s = scheme({ overlapSeconds: 300, lagSeconds: 0 });
    const w = { start: H, end: H + 3600_000 };
    const parts = await planStreams(s, source(3600_000), store({ incremental: { highWater: H, cursor: { window: w, page: { page_no: 4 } } } }), NOW);
    expect(parts[0]!.startCursor).toEqual({ page_no: 4 });
    expect(parts[0]!.window!.start.getTime()).toBe(H);
    expect(parts[1]!.window!.start.getTime()).toBe(H + 3600_000);
  });

  it('planStreams: a window once complete moves the high-water mark to its end (the next run overlaps from there)', async () => {
    const s = scheme({ overlapSeconds: 300, lagSeconds: 0 });
    const parts = await planStreams(s, source(3600_000), store({ incremental: { highWater: H } }), NOW);
    expect(parts[0]!.checkpointFor({ page_no: 1 }).highWater).toBe(H);
    expect(parts[0]!.checkpointFor(null).highWater).toBe(parts[0]!.window!.end.getTime());
  });

  it('planPartitions: scaled runs plan the same overlap, and the remedy range on its own streams', async () => {
    const s = scheme({ overlapSeconds: 300, lagSeconds: 60, remedyHours: 1 });
    const deps = { store: store({ incremental: { highWater: H } }), source: source(3600_000) } as unknown as EngineDeps;
    const plan = await planPartitions({ scheme: s } as CompiledScheme, deps, { now: NOW });
    const inc = plan.partitions.filter((p) => p.stream.startsWith('incremental')).flatMap((p) => (p.kind === 'windows' ? p.windows : []));
    expect(inc[0]!.start).toBe(H - 300_000);
    expect(inc.at(-1)!.end).toBe(NOW - 60_000);
    expect(contiguous(inc)).toBe(true);
    const remedy = plan.partitions.filter((p) => p.stream.startsWith('remedy')).flatMap((p) => (p.kind === 'windows' ? p.windows : []));
    expect(remedy[0]!.start).toBe(NOW - 60_000 - 3600_000);
    expect(plan.highWater).toBe(NOW - 60_000);
  });

  it('without a checkpoint the first run starts at `since`', async () => {
    const s = scheme({ overlapSeconds: 300, lagSeconds: 0, since: '2026-03-01T12:00:00Z' });
    const parts = await planStreams(s, source(3600_000), store({}), NOW);
    expect(parts[0]!.window!.start.toISOString()).toBe('2026-03-01T12:00:00.000Z');
  });
});
