import { describe, expect, it } from 'vitest';
import { SqliteStore } from '../store/sqlite/sqlite-store.ts';
import type { Cursor, ExistingRecord, ReadSpec, SourcePage, SourceSession, TargetSession, WriteItem, WriteOutcome } from '../core/contracts/platform.ts';
import { FerryFailure } from '../core/errors.ts';
import { Unlimited } from '../core/policy/rate-limiter.ts';
import { Scheme } from '../core/scheme/scheme.ts';
import type { CompiledScheme } from './compiled-scheme.ts';
import { runScheme } from './run-scheme.ts';
import { replayRejected } from './replay.ts';
import type { JsonObject } from '../core/records.ts';

// In-memory source and target used to test the engine's own logic (the platforms are tested against the emulators).
class ArraySource implements SourceSession {
  calls = 0;
  failEvery = 0;
  constructor(public records: JsonObject[]) {}
  first(): Cursor {
    return { page: 0 };
  }
  async fetchPage(spec: ReadSpec, cursor: Cursor): Promise<SourcePage> {
    this.calls++;
    if (this.failEvery && this.calls % this.failEvery === 0) throw new FerryFailure({ kind: 'http', action: 'retry', message: 'HTTP 500' });
    const p = Number(cursor.page);
    const records = this.records.slice(p * spec.pageSize, (p + 1) * spec.pageSize);
    return { records, next: records.length < spec.pageSize ? null : { page: p + 1 }, label: String(p) };
  }
}

class MapTarget implements TargetSession {
  maxInFlight = 4;
  store = new Map<string, { id: string; payload: JsonObject }>();
  creates = 0;
  writes = 0;
  loseAnswerOnce = false;
  rejectIf: (p: JsonObject) => string | undefined = () => undefined;
  maxBatchSize() {
    return 50;
  }
  async lookup(_s: unknown, numbers: string[]): Promise<Map<string, ExistingRecord>> {
    const out = new Map<string, ExistingRecord>();
    for (const n of numbers) {
      const r = this.store.get(n);
      if (r) out.set(n, { id: r.id, number: n });
    }
    return out;
  }
  async write(_s: unknown, items: WriteItem[]): Promise<WriteOutcome[]> {
    this.writes++;
    const out: WriteOutcome[] = items.map((i) => {
      const why = this.rejectIf(i.payload);
      if (why) return { key: i.key, status: 'rejected', error: { kind: 'vendor', action: 'reject_record', message: why, remote: { code: '11', detail: why } } };
      const n = String(i.payload.FNumber);
      const existing = this.store.get(n);
      if (existing && !i.existingId) return { key: i.key, status: 'rejected', error: { kind: 'vendor', action: 'reject_record', message: 'duplicate' } };
      if (!existing) this.creates++;
      const id = existing?.id ?? String(this.store.size + 1);
      this.store.set(n, { id, payload: i.payload });
      return { key: i.key, status: 'saved', targetId: id, targetNumber: n, created: !existing };
    });
    if (this.loseAnswerOnce) {
      this.loseAnswerOnce = false;
      throw new FerryFailure({ kind: 'timeout', action: 'retry', message: 'timed out', maybeApplied: true });
    }
    return out;
  }
}

function compiled(extra: Partial<Record<string, unknown>> = {}): CompiledScheme {
  const scheme = Scheme.parse({
    name: 'test',
    source: { api: 'x.query', id: 'id', number: 'no', pagination: { pageSize: 10 } },
    target: { api: 'batchSave', request: [{ field: 'FNumber', value: '{no}' }, { field: 'FName', value: '{name}' }] },
    retry: { initialDelayMs: 1, maxDelayMs: 2 },
    ...extra,
  });
  return {
    scheme,
    readSpec: { api: 'x.query', method: 'POST', params: {}, pageSize: 10 },
    writeSpec: { api: 'batchSave', method: 'POST', params: {}, numberField: 'FNumber' },
    map: (r) => (r.org === 'bad' ? { ok: false, errors: [{ path: 'FOrg', message: 'FOrg: no org' }] } : { ok: true, value: { FNumber: r.no, FName: r.name } }),
    checkQuality: async () => [],
    explode: (r, id) => [{ id, data: r }],
    numberField: 'FNumber',
  };
}

const shops = (n: number, name = 'shop') => Array.from({ length: n }, (_, i) => ({ id: String(i + 1), no: `S${i + 1}`, name: `${name} ${i + 1}` }));

function deps(source: SourceSession, target: TargetSession, store: SqliteStore) {
  return { store, source, target, sourceLimiter: new Unlimited(), targetLimiter: new Unlimited() };
}

describe('runScheme', () => {
  it('writes every record once, then skips unchanged and updates changed ones', async () => {
    const store = new SqliteStore(':memory:');
    const target = new MapTarget();
    const r1 = await runScheme(compiled(), deps(new ArraySource(shops(95)), target, store));
    expect(r1.status).toBe('succeeded');
    expect(r1.reconciliation).toMatchObject({ source: 95, created: 95, written: 95, rejected: 0, heldByTarget: 95 });
    const r2 = await runScheme(compiled(), deps(new ArraySource(shops(95)), target, store));
    expect(r2.reconciliation).toMatchObject({ source: 95, skippedUnchanged: 95, written: 0 });
    const changed = shops(95);
    changed[3]!.name = 'renamed';
    const r3 = await runScheme(compiled(), deps(new ArraySource(changed), target, store));
    expect(r3.reconciliation).toMatchObject({ skippedUnchanged: 94, updated: 1, created: 0 });
    expect(target.creates).toBe(95);
    expect(target.store.get('S4')!.payload.FName).toBe('renamed');
  });

  it('retries a failing source, and resolves a write whose answer was lost by look-up, not by re-sending', async () => {
    const store = new SqliteStore(':memory:');
    const target = new MapTarget();
    target.loseAnswerOnce = true;
    const src = new ArraySource(shops(60));
    src.failEvery = 3;
    const r = await runScheme(compiled(), deps(src, target, store));
    expect(r.status).toBe('succeeded');
    expect(r.reconciliation).toMatchObject({ created: 60, rejected: 0, heldByTarget: 60 });
    expect(target.creates).toBe(60);
    expect(r.counts.retries).toBeGreaterThan(0);
  });

  it('keeps rejected records with their reason and replays them after the mapping is fixed', async () => {
    const store = new SqliteStore(':memory:');
    const target = new MapTarget();
    const data = shops(30).map((s, i) => ({ ...s, org: i % 10 === 0 ? 'bad' : 'ok' }));
    target.rejectIf = (p) => (String(p.FName).endsWith(' 5') ? 'FName is not allowed' : undefined);
    const cs = compiled();
    const r = await runScheme(cs, deps(new ArraySource(data), target, store));
    expect(r.reconciliation).toMatchObject({ source: 30, created: 26, rejected: 4 });
    const rejected = await store.queryLedger({ scheme: 'test', status: 'rejected' });
    expect(rejected.map((x) => x.message).sort()).toEqual(['FName is not allowed', 'FOrg: no org', 'FOrg: no org', 'FOrg: no org']);
    target.rejectIf = () => undefined;
    const fixed: CompiledScheme = { ...cs, map: (rec) => ({ ok: true, value: { FNumber: rec.no, FName: rec.name } }) };
    const rr = await replayRejected(fixed, deps(new ArraySource([]), target, store));
    expect(rr.reconciliation).toMatchObject({ source: 4, created: 4, rejected: 0 });
    expect(target.creates).toBe(30);
    expect(await store.countLedger('test')).toMatchObject({ written: 30, rejected: 0 });
  });

  it('aborts when too many records in a row are rejected, and says why', async () => {
    const store = new SqliteStore(':memory:');
    const data = shops(200).map((s) => ({ ...s, org: 'bad' }));
    const cs = compiled({ quality: { maxConsecutiveRejections: 25 } });
    const r = await runScheme(cs, deps(new ArraySource(data), new MapTarget(), store));
    expect(r.status).toBe('aborted');
    expect(r.reason).toMatch(/in a row were rejected/);
  });

  it('resumes from the last committed page after a failure', async () => {
    const store = new SqliteStore(':memory:');
    const target = new MapTarget();
    const src = new ArraySource(shops(100));
    let calls = 0;
    const failing: SourceSession = {
      first: () => src.first(),
      fetchPage: async (spec, cursor) => {
        if (++calls === 6) throw new FerryFailure({ kind: 'auth', action: 'fail_run', message: 'bad secret' });
        return src.fetchPage(spec, cursor);
      },
    };
    const r1 = await runScheme(compiled(), deps(failing, target, store));
    expect(r1.status).toBe('failed');
    expect(r1.reason).toMatch(/bad secret/);
    const cp = await store.getCheckpoint('test', 'full');
    expect(cp?.cursor).toEqual({ page: 5 });
    const src2 = new ArraySource(shops(100));
    const r2 = await runScheme(compiled(), deps(src2, target, store));
    expect(r2.status).toBe('succeeded');
    expect(src2.calls).toBe(6); // pages 5..10 only
    expect(target.creates).toBe(100);
  });
});

describe('the run time limit (issue 11, defect 8)', () => {
  it('defaults to 6 hours, and a scheme can raise it', () => {
    expect(compiled().scheme.timeouts.runMs).toBe(6 * 3600_000);
    expect(compiled({ timeouts: { runMs: 48 * 3600_000 } }).scheme.timeouts.runMs).toBe(48 * 3600_000);
  });

  it('stops a source that never ends (fresh records for ever, no total) with a reason naming the limit', async () => {
    const store = new SqliteStore(':memory:');
    const endless: SourceSession = {
      first: () => ({ page: 0 }),
      async fetchPage(spec, cursor, signal) {
        await new Promise((r) => setTimeout(r, 20));
        signal.throwIfAborted();
        const p = Number(cursor.page);
        const records = Array.from({ length: spec.pageSize }, (_, i) => ({ id: `${p}-${i}`, no: `N${p}-${i}`, name: 'x' }));
        return { records, next: { page: p + 1 }, label: String(p) };
      },
    };
    const r = await runScheme(compiled({ timeouts: { runMs: 1000 } }), deps(endless, new MapTarget(), store));
    expect(r.status).toBe('cancelled');
    expect(r.reason).toContain('the run reached its time limit of 1 s (timeouts.runMs)');
    expect(r.reason).toContain('raise timeouts.runMs in the scheme');
  });
});
