import { describe, expect, it } from 'vitest';
import type { Cursor, ExistingRecord, ReadSpec, SourcePage, SourceSession, TargetSession, WriteItem, WriteOutcome } from '../core/contracts/platform.ts';
import { Unlimited } from '../core/policy/rate-limiter.ts';
import type { JsonObject } from '../core/records.ts';
import { Scheme } from '../core/scheme/scheme.ts';
import { SqliteStore } from '../store/sqlite/sqlite-store.ts';
import type { CompiledScheme } from './compiled-scheme.ts';
import { arithmeticStep, planPartitions, type PartitionSpec } from './partition-plan.ts';
import { runPartition } from './partition-run.ts';

/** Page-numbered source over an array; records carry `modified` (ms) for windowed reads. */
class Source implements SourceSession {
  pagesFetched: string[] = [];
  constructor(
    public records: JsonObject[],
    private readonly o: { total?: boolean; token?: boolean } = {},
  ) {}
  first(): Cursor {
    return this.o.token ? { token: 't0' } : { page_no: 0 };
  }
  maxWindowMs(): number {
    return 3600_000;
  }
  async fetchPage(spec: ReadSpec, cursor: Cursor): Promise<SourcePage> {
    const p = this.o.token ? Number(String(cursor.token).slice(1)) : Number(cursor.page_no);
    const all = spec.window ? this.records.filter((r) => Number(r.modified) >= spec.window!.start.getTime() && Number(r.modified) < spec.window!.end.getTime()) : this.records;
    const records = all.slice(p * spec.pageSize, (p + 1) * spec.pageSize);
    this.pagesFetched.push(`${spec.window ? `${spec.window.start.toISOString()}/` : ''}${p}`);
    const more = (p + 1) * spec.pageSize < all.length;
    const next = more ? (this.o.token ? { token: `t${p + 1}` } : { page_no: p + 1, prev_page: `fp${p}` }) : null;
    return { records, next, label: String(p), ...(this.o.total !== false ? { totalCount: all.length } : {}) };
  }
}

class Target implements TargetSession {
  maxInFlight = 2;
  held = new Map<string, JsonObject>();
  creates = 0;
  maxBatchSize() {
    return 10;
  }
  async lookup(_s: unknown, numbers: string[]): Promise<Map<string, ExistingRecord>> {
    return new Map(numbers.filter((n) => this.held.has(n)).map((n) => [n, { id: n, number: n }]));
  }
  async write(_s: unknown, items: WriteItem[]): Promise<WriteOutcome[]> {
    return items.map((i) => {
      const n = String(i.payload.FNumber);
      const created = !this.held.has(n);
      if (created) this.creates++;
      this.held.set(n, i.payload);
      return { key: i.key, status: 'saved', targetId: n, targetNumber: n, created };
    });
  }
}

function compiled(extra: Record<string, unknown> = {}): CompiledScheme {
  const scheme = Scheme.parse({
    name: 'p',
    source: { api: 'x.query', id: 'id', number: 'no', pagination: { pageSize: 10 }, ...((extra.source as object) ?? {}) },
    target: { api: 'batchSave', request: [{ field: 'FNumber', value: '{no}' }, { field: 'FName', value: '{name}' }] },
    retry: { initialDelayMs: 1, maxDelayMs: 2 },
  });
  return {
    scheme,
    readSpec: { api: 'x.query', method: 'POST', params: {}, pageSize: 10 },
    writeSpec: { api: 'batchSave', method: 'POST', params: {}, numberField: 'FNumber' },
    map: (r) => ({ ok: true, value: { FNumber: r.no, FName: r.name } }),
    checkQuality: async () => [],
    explode: (r, id) => [{ id, data: r }],
    numberField: 'FNumber',
  };
}

const HOUR = 3600_000;
const T = Date.parse('2026-03-01T00:00:00Z');
const rows = (n: number, name = 'shop') => Array.from({ length: n }, (_, i) => ({ id: String(i + 1), no: `S${i + 1}`, name: `${name} ${i + 1}`, modified: T + i * 60_000 }));
const deps = (source: SourceSession, target: TargetSession, store: SqliteStore) => ({ store, source, target, sourceLimiter: new Unlimited(), targetLimiter: new Unlimited() });

describe('partition plan', () => {
  it('learns arithmetic paging from the first two cursors', () => {
    expect(arithmeticStep({ page_no: 0 }, { page_no: 1, prev_page: 'x' })).toEqual({ key: 'page_no', base: 0, delta: 1 });
    expect(arithmeticStep({ StartRow: 0, Limit: 100 }, { StartRow: 100, Limit: 100 })).toEqual({ key: 'StartRow', base: 0, delta: 100 });
    expect(arithmeticStep({ token: 'a' }, { token: 'b' })).toBeUndefined();
    expect(arithmeticStep({ a: 0, b: 0 }, { a: 1, b: 1 })).toBeUndefined();
  });

  it('splits a full read with a reported total into page ranges; the last one reads to the end', async () => {
    const store = new SqliteStore(':memory:');
    const plan = await planPartitions(compiled(), deps(new Source(rows(123)), new Target(), store), { pagesPerPartition: 5 });
    expect(plan.totalCount).toBe(123);
    expect(plan.partitions).toEqual([
      { index: 0, stream: 'full:p0', kind: 'pages', start: null, stop: { key: 'page_no', at: 5 } },
      { index: 1, stream: 'full:p1', kind: 'pages', start: { page_no: 5 }, stop: { key: 'page_no', at: 10 } },
      { index: 2, stream: 'full:p2', kind: 'pages', start: { page_no: 10 } },
    ]);
  });

  it('keeps one partition when the source reports no total or pages by token', async () => {
    const store = new SqliteStore(':memory:');
    for (const src of [new Source(rows(50), { total: false }), new Source(rows(50), { token: true })]) {
      const plan = await planPartitions(compiled(), deps(src, new Target(), store), { pagesPerPartition: 2 });
      expect(plan.partitions).toEqual([{ index: 0, stream: 'full:p0', kind: 'pages', start: null }]);
    }
  });

  it('partitions together deliver every record once, and a taken-over partition resumes at its checkpoint', async () => {
    const store = new SqliteStore(':memory:');
    const source = new Source(rows(123));
    const target = new Target();
    const cs = compiled();
    const plan = await planPartitions(cs, deps(source, target, store), { pagesPerPartition: 5 });
    // An earlier attempt of p1 committed its first two pages, then its worker died.
    await store.commitPage([], { scheme: 'p', stream: 'full:p1', cursor: { page: { page_no: 7 } }, highWater: null, runId: 'R', updatedAt: 1 });
    // A checkpoint of another run is ignored.
    await store.commitPage([], { scheme: 'p', stream: 'full:p2', cursor: { page: { page_no: 12 } }, highWater: null, runId: 'OLD', updatedAt: 1 });
    source.pagesFetched = [];
    const results = [];
    for (const p of plan.partitions) results.push(await runPartition(cs, deps(source, target, store), { runId: 'R', partition: p }));
    expect(results.map((r) => r.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    expect(source.pagesFetched).toEqual(['0', '1', '2', '3', '4', '7', '8', '9', '10', '11', '12']);
    expect(results.map((r) => r.counts.read)).toEqual([50, 30, 23]);
    expect(target.creates).toBe(123 - 20);
    // Every partition stream ends with a null cursor of this run: a retried job finds it done.
    const again = await runPartition(cs, deps(source, target, store), { runId: 'R', partition: plan.partitions[0]! });
    expect(again).toMatchObject({ status: 'succeeded', alreadyDone: true });
  });

  it('incremental: windows from the high-water mark, plus the remedy range, which re-reads a late record', async () => {
    const store = new SqliteStore(':memory:');
    const cs = compiled({ source: { incremental: { since: '2026-03-01T00:00:00Z', overlapSeconds: 0, lagSeconds: 0, remedyHours: 2 } } });
    const source = new Source(rows(300)); // one record a minute: 5 hours
    const target = new Target();
    const now = T + 5 * HOUR;
    const plan = await planPartitions(cs, deps(source, target, store), { now, maxPartitions: 2 });
    const inc = plan.partitions.filter((p) => p.stream.startsWith('incremental:')) as Extract<PartitionSpec, { kind: 'windows' }>[];
    const rem = plan.partitions.filter((p) => p.stream.startsWith('remedy:')) as Extract<PartitionSpec, { kind: 'windows' }>[];
    expect(inc.map((p) => p.windows.length)).toEqual([3, 2]);
    expect(inc[0]!.windows[0]!.start).toBe(T);
    expect(rem.flatMap((p) => p.windows)).toEqual([{ start: now - 2 * HOUR, end: now - HOUR }, { start: now - HOUR, end: now }]);
    expect(plan.highWater).toBe(now);
    for (const p of plan.partitions) await runPartition(cs, deps(source, target, store), { runId: 'R1', partition: p });
    expect(target.creates).toBe(300);

    // Next run: the high-water mark is at `now`. A record changes without its modified time moving forward
    // (the vendor back-dated it): only the remedy range, which re-reads the last 2 hours, can see it.
    await store.commitPage([], { scheme: 'p', stream: 'incremental', cursor: null, highWater: now, runId: 'R1', updatedAt: now });
    source.records[250]!.name = 'renamed late';
    const later = now + 10 * 60_000;
    const plan2 = await planPartitions(cs, deps(source, target, store), { now: later, maxPartitions: 2 });
    const counts = [];
    for (const p of plan2.partitions) counts.push({ stream: p.stream, ...(await runPartition(cs, deps(source, target, store), { runId: 'R2', partition: p })).counts });
    expect(counts.filter((c) => c.stream.startsWith('remedy:')).reduce((n, c) => n + c.updated, 0)).toBe(1);
    expect(counts.filter((c) => c.stream.startsWith('incremental:')).reduce((n, c) => n + c.read, 0)).toBe(0);
    expect(target.held.get('S251')!.FName).toBe('renamed late');
    expect(target.creates).toBe(300);
  });
});
