import { describe, expect, it } from 'vitest';
import type { ExistingRecord, TargetSession } from '../core/contracts/platform.ts';
import { emptyCounts, type LedgerRow, type StateStore } from '../core/contracts/state-store.ts';
import { Unlimited } from '../core/policy/rate-limiter.ts';
import { Scheme } from '../core/scheme/scheme.ts';
import { SqliteStore } from '../store/sqlite/sqlite-store.ts';
import type { CompiledScheme } from './compiled-scheme.ts';
import { reconcile } from './reconcile.ts';

const cs: CompiledScheme = {
  scheme: Scheme.parse({
    name: 'rec',
    source: { api: 'x.query', id: 'id', number: 'no' },
    target: { api: 'batchSave', request: [{ field: 'FNumber', value: '{no}' }] },
    retry: { initialDelayMs: 1, maxDelayMs: 2 },
  }),
  readSpec: { api: 'x.query', method: 'POST', params: {}, pageSize: 10 },
  writeSpec: { api: 'batchSave', method: 'POST', params: {}, numberField: 'FNumber' },
  map: (r) => ({ ok: true, value: r }),
  checkQuality: async () => [],
  explode: (r, id) => [{ id, data: r }],
  numberField: 'FNumber',
};

/** Counts the ledger rows the store has to step over: an OFFSET query walks `offset` rows before the ones it returns. */
function countingStore(inner: StateStore): { store: StateStore; visited: () => number } {
  let visited = 0;
  const store = new Proxy(inner, {
    get(t, prop, recv) {
      const v = Reflect.get(t, prop, recv);
      if (typeof v !== 'function') return v;
      return async (...args: unknown[]) => {
        const out = await (v as (...a: unknown[]) => Promise<unknown>).apply(t, args);
        if (prop === 'queryLedger') visited += ((args[0] as { offset?: number }).offset ?? 0) + (out as unknown[]).length;
        if (prop === 'pageRunLedger') visited += (out as unknown[]).length;
        return out;
      };
    },
  });
  return { store, visited: () => visited };
}

describe('reconcile', () => {
  it('counts every delivered record of the run in the target, walking the ledger once (linear, not quadratic)', async () => {
    const sqlite = new SqliteStore(':memory:');
    const rows: LedgerRow[] = [];
    for (let i = 0; i < 2345; i++) rows.push({ scheme: 'rec', sourceId: `id-${i}`, targetNumber: `N${i}`, status: 'written', detail: 'created', runId: 'r1', updatedAt: 1000 + (i % 7) });
    for (let i = 0; i < 1234; i++) rows.push({ scheme: 'rec', sourceId: `sk-${i}`, targetNumber: `K${i}`, status: 'skipped', runId: 'r1', updatedAt: 5 });
    // Another run's rows and rejected rows are not counted.
    rows.push({ scheme: 'rec', sourceId: 'old', targetNumber: 'OLD', status: 'written', runId: 'r0', updatedAt: 1 });
    rows.push({ scheme: 'rec', sourceId: 'bad', status: 'rejected', runId: 'r1', updatedAt: 1, message: 'no' });
    await sqlite.commitPage(rows, null);
    const held = new Set(rows.map((r) => r.targetNumber).filter((n) => n && n !== 'N17'));
    const lookups: number[] = [];
    const target: TargetSession = {
      maxInFlight: 1,
      maxBatchSize: () => 50,
      write: async () => [],
      lookup: async (_s, numbers) => {
        lookups.push(numbers.length);
        return new Map(numbers.filter((n) => held.has(n)).map((n): [string, ExistingRecord] => [n, { id: n, number: n }]));
      },
    };
    const { store, visited } = countingStore(sqlite);
    const counts = { ...emptyCounts(), read: 3580, created: 2345, skipped: 1234, rejected: 1 };
    const report = await reconcile(cs, { store, source: { first: () => ({}), fetchPage: async () => ({ records: [], next: null, label: '' }) }, target, sourceLimiter: new Unlimited(), targetLimiter: new Unlimited() }, {
      runId: 'r1', counts, status: 'succeeded', reason: undefined, started: 0, reconcileTarget: true, clock: { now: () => 10, sleep: async () => {} },
    });
    expect(report.reconciliation).toMatchObject({ checkedInTarget: 3579, heldByTarget: 3578, missingInTarget: ['N17'] });
    expect(report.reconciliation.targetCheckMs).toBe(0);
    expect(Math.max(...lookups)).toBeLessThanOrEqual(500);
    // Each ledger row of the run is stepped over about once (OFFSET paging stepped over ~3× as many here, and n²/1000 in general).
    expect(visited()).toBeLessThan(2 * 3580);
  });
});
