import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emptyCounts, type LedgerRow, type RunLock, type StateStore } from '../core/contracts/state-store.ts';

/**
 * The StateStore contract as tests, registered for any implementation: SQLite and PostgreSQL run the
 * same suite (sqlite-store.contract.test.ts, postgres-store.contract.test.ts). `open` returns a fresh,
 * empty, migrated store; `dispose` removes what it created.
 */
export interface StoreFactory {
  open(): Promise<StateStore>;
  dispose?(store: StateStore): Promise<void>;
}

const S = '店铺同步客户';

function row(sourceId: string, extra: Partial<LedgerRow> = {}): LedgerRow {
  return { scheme: S, sourceId, status: 'written', runId: 'r1', updatedAt: 1_700_000_000_000, ...extra };
}

export function defineStateStoreContract(name: string, factory: StoreFactory): void {
  describe(`StateStore contract: ${name}`, () => {
    let store: StateStore;
    beforeEach(async () => {
      store = await factory.open();
    });
    afterEach(async () => {
      if (factory.dispose) await factory.dispose(store);
      else await store.close();
    });

    it('migrate is idempotent', async () => {
      await store.migrate();
      await store.migrate();
      expect(await store.listRuns({})).toEqual([]);
    });

    it('creates, updates, reads and lists runs (newest first, ties in insertion order)', async () => {
      const counts = emptyCounts();
      await store.createRun({ id: 'a', scheme: S, status: 'running', trigger: 'manual', startedAt: 1000, counts, owner: '1@h' });
      await store.createRun({ id: 'b', scheme: S, status: 'running', trigger: 'cron', startedAt: 2000, counts });
      await store.createRun({ id: 'c', scheme: 'other', status: 'running', trigger: 'manual', startedAt: 2000, counts });
      await store.updateRun('a', { status: 'succeeded', counts: { ...counts, read: 5, created: 5 }, endedAt: 1500, report: '{"x":1}', reason: null });
      const a = await store.getRun('a');
      expect(a).toMatchObject({ id: 'a', scheme: S, status: 'succeeded', trigger: 'manual', startedAt: 1000, endedAt: 1500, report: '{"x":1}', reason: null, owner: '1@h' });
      expect(a!.counts).toEqual({ ...counts, read: 5, created: 5 });
      expect(await store.getRun('missing')).toBeUndefined();
      expect((await store.listRuns({})).map((r) => r.id)).toEqual(['c', 'b', 'a']);
      expect((await store.listRuns({ scheme: S })).map((r) => r.id)).toEqual(['b', 'a']);
      expect((await store.listRuns({ limit: 1 })).map((r) => r.id)).toEqual(['c']);
      await store.updateRun('b', {});
      expect((await store.getRun('b'))!.status).toBe('running');
      expect((await store.getRun('b'))!.endedAt).toBeNull();
    });

    it('keeps counts missing from an old row at zero', async () => {
      await store.createRun({ id: 'a', scheme: S, status: 'running', trigger: 'manual', startedAt: 1, counts: emptyCounts() });
      expect((await store.getRun('a'))!.counts).toEqual(emptyCounts());
    });

    it('refuses a second run with the same id', async () => {
      await store.createRun({ id: 'a', scheme: S, status: 'running', trigger: 'manual', startedAt: 1, counts: emptyCounts() });
      await expect(store.createRun({ id: 'a', scheme: S, status: 'running', trigger: 'manual', startedAt: 2, counts: emptyCounts() })).rejects.toThrow();
    });

    it('stores, replaces, lists and deletes checkpoints; a null cursor is kept as null', async () => {
      await store.commitPage([], { scheme: S, stream: 'full', cursor: { page_no: 3, prev_page: 'ab' }, highWater: null, runId: 'r1', updatedAt: 10 });
      await store.commitPage([], { scheme: S, stream: 'incremental', cursor: null, highWater: 1_767_225_600_000, runId: 'r1', updatedAt: 11 });
      expect(await store.getCheckpoint(S, 'full')).toEqual({ scheme: S, stream: 'full', cursor: { page_no: 3, prev_page: 'ab' }, highWater: null, runId: 'r1', updatedAt: 10 });
      await store.commitPage([], { scheme: S, stream: 'full', cursor: { page_no: 4 }, highWater: null, runId: 'r2', updatedAt: 12 });
      expect((await store.getCheckpoint(S, 'full'))!.cursor).toEqual({ page_no: 4 });
      expect((await store.getCheckpoint(S, 'full'))!.runId).toBe('r2');
      expect((await store.getCheckpoint(S, 'incremental'))!.highWater).toBe(1_767_225_600_000);
      expect((await store.getCheckpoint(S, 'incremental'))!.cursor).toBeNull();
      expect((await store.listCheckpoints(S)).map((c) => c.stream)).toEqual(['full', 'incremental']);
      expect(await store.listCheckpoints('other')).toEqual([]);
      await store.deleteCheckpoint(S, 'full');
      expect(await store.getCheckpoint(S, 'full')).toBeUndefined();
      await store.deleteCheckpoint(S, 'never-there');
    });

    it('commitPage upserts ledger rows and keeps target id/number/hash the new row lacks', async () => {
      await store.commitPage([row('1', { sourceNumber: 'S1', payloadHash: 'h1', targetId: '100', targetNumber: 'S1', detail: 'created' })], null);
      await store.commitPage([row('1', { status: 'failed', runId: 'r2', updatedAt: 2, message: 'timeout', sourceData: '{"a":1}', payload: '{"b":2}' })], null);
      const r = (await store.getLedger(S, ['1'])).get('1')!;
      expect(r).toMatchObject({ status: 'failed', runId: 'r2', targetId: '100', targetNumber: 'S1', payloadHash: 'h1', message: 'timeout', sourceData: '{"a":1}', payload: '{"b":2}' });
      expect(r.sourceNumber).toBeNull();
      await store.commitPage([row('1', { payloadHash: 'h2', targetId: '101', targetNumber: 'S1b', detail: 'updated', runId: 'r3' })], null);
      const r2 = (await store.getLedger(S, ['1'])).get('1')!;
      expect(r2).toMatchObject({ status: 'written', payloadHash: 'h2', targetId: '101', targetNumber: 'S1b', detail: 'updated', message: null, sourceData: null });
    });

    it('commitPage with the same source id twice keeps the last row', async () => {
      await store.commitPage([row('7', { detail: 'first', targetId: 'x' }), row('7', { detail: 'second' })], null);
      const r = (await store.getLedger(S, ['7'])).get('7')!;
      expect(r.detail).toBe('second');
      expect(r.targetId).toBe('x');
    });

    it('commitPage is one transaction: a bad row leaves neither rows nor checkpoint', async () => {
      const bad = { ...row('2'), status: null } as unknown as LedgerRow;
      await expect(
        store.commitPage([row('1'), bad], { scheme: S, stream: 'full', cursor: { page_no: 9 }, highWater: null, runId: 'r1', updatedAt: 1 }),
      ).rejects.toThrow();
      expect((await store.getLedger(S, ['1', '2'])).size).toBe(0);
      expect(await store.getCheckpoint(S, 'full')).toBeUndefined();
    });

    it('getLedger finds rows by id in bulk (more than one chunk) and omits missing ids', async () => {
      const rows = Array.from({ length: 1234 }, (_, i) => row(`id-${i}`, { sourceNumber: `N${i}` }));
      await store.commitPage(rows, null);
      const ids = [...rows.map((r) => r.sourceId), 'nope'];
      const found = await store.getLedger(S, ids);
      expect(found.size).toBe(1234);
      expect(found.get('id-1000')!.sourceNumber).toBe('N1000');
      expect(found.has('nope')).toBe(false);
      expect((await store.getLedger(S, [])).size).toBe(0);
      expect((await store.getLedger('other', ['id-1'])).size).toBe(0);
    });

    it('queryLedger filters by status, run, ids and search; orders newest first; pages with limit/offset', async () => {
      await store.commitPage(
        [
          row('a', { status: 'rejected', runId: 'r1', updatedAt: 1, sourceNumber: 'NA', message: '组织不存在' }),
          row('b', { status: 'written', runId: 'r1', updatedAt: 3, sourceNumber: 'NB', targetNumber: 'TB' }),
          row('c', { status: 'written', runId: 'r2', updatedAt: 2 }),
          row('d', { status: 'rejected', runId: 'r2', updatedAt: 3 }),
        ],
        null,
      );
      expect((await store.queryLedger({ scheme: S })).map((r) => r.sourceId)).toEqual(['b', 'd', 'c', 'a']);
      expect((await store.queryLedger({ scheme: S, status: 'rejected' })).map((r) => r.sourceId)).toEqual(['d', 'a']);
      expect((await store.queryLedger({ scheme: S, runId: 'r1' })).map((r) => r.sourceId)).toEqual(['b', 'a']);
      expect((await store.queryLedger({ scheme: S, sourceIds: ['a', 'c'] })).map((r) => r.sourceId)).toEqual(['c', 'a']);
      expect((await store.queryLedger({ scheme: S, search: 'NA' })).map((r) => r.sourceId)).toEqual(['a']);
      expect((await store.queryLedger({ scheme: S, search: 'TB' })).map((r) => r.sourceId)).toEqual(['b']);
      expect((await store.queryLedger({ scheme: S, search: 'c' })).map((r) => r.sourceId)).toEqual(['c']);
      expect((await store.queryLedger({ scheme: S, limit: 2, offset: 1 })).map((r) => r.sourceId)).toEqual(['d', 'c']);
      expect((await store.queryLedger({ scheme: S, status: 'rejected', runId: 'r1' }))[0]!.message).toBe('组织不存在');
    });

    it('countLedger counts per status, for the scheme or one run', async () => {
      await store.commitPage([row('a', { status: 'rejected' }), row('b'), row('c', { runId: 'r2' }), row('d', { status: 'skipped', runId: 'r2' })], null);
      expect(await store.countLedger(S)).toEqual({ written: 2, skipped: 1, rejected: 1, failed: 0 });
      expect(await store.countLedger(S, 'r2')).toEqual({ written: 1, skipped: 1, rejected: 0, failed: 0 });
      expect(await store.countLedger('other')).toEqual({ written: 0, skipped: 0, rejected: 0, failed: 0 });
    });

    it('pageRunLedger walks one run\'s rows of one status in source id order, by keyset pages', async () => {
      const rows = Array.from({ length: 23 }, (_, i) => row(`s${String(i).padStart(2, '0')}`, { targetNumber: i === 4 ? null : `T${i}`, updatedAt: 100 - i }));
      rows.push(row('x1', { runId: 'r2' }), row('x2', { status: 'skipped' }), row('x3', { status: 'rejected' }));
      await store.commitPage(rows, null);
      const seen: string[] = [];
      let after: string | undefined;
      for (;;) {
        const page = await store.pageRunLedger({ scheme: S, runId: 'r1', status: 'written', limit: 5, ...(after !== undefined ? { after } : {}) });
        if (!page.length) break;
        expect(page.length).toBeLessThanOrEqual(5);
        seen.push(...page.map((p) => p.sourceId));
        after = page[page.length - 1]!.sourceId;
      }
      expect(seen).toEqual(rows.slice(0, 23).map((r) => r.sourceId));
      const first = await store.pageRunLedger({ scheme: S, runId: 'r1', status: 'written', limit: 5 });
      expect(first[4]).toEqual({ sourceId: 's04', targetNumber: null });
      expect(first[0]).toEqual({ sourceId: 's00', targetNumber: 'T0' });
      expect((await store.pageRunLedger({ scheme: S, runId: 'r1', status: 'skipped', limit: 5 })).map((p) => p.sourceId)).toEqual(['x2']);
      expect(await store.pageRunLedger({ scheme: 'other', runId: 'r1', status: 'written', limit: 5 })).toEqual([]);
    });

    it('the scheme run lock: one holder; released, taken; heartbeat only by the holder', async () => {
      const lock = (runId: string, at = 1000): RunLock => ({ scheme: S, runId, pid: 4242, host: 'h1', processStart: '777', acquiredAt: at, heartbeatAt: at });
      expect(await store.getSchemeLock(S)).toBeUndefined();
      expect(await store.tryLockScheme(lock('a'))).toBeUndefined();
      expect(await store.getSchemeLock(S)).toEqual(lock('a'));
      expect(await store.tryLockScheme(lock('b', 2000))).toEqual(lock('a'));
      expect(await store.tryLockScheme({ ...lock('c'), scheme: 'other' })).toBeUndefined();
      expect(await store.heartbeatSchemeLock(S, 'a', 1500)).toBe(true);
      expect(await store.heartbeatSchemeLock(S, 'b', 1500)).toBe(false);
      expect((await store.getSchemeLock(S))!.heartbeatAt).toBe(1500);
      await store.releaseSchemeLock(S, 'b'); // not the holder: nothing happens
      expect((await store.getSchemeLock(S))!.runId).toBe('a');
      await store.releaseSchemeLock(S, 'a');
      expect(await store.getSchemeLock(S)).toBeUndefined();
      expect(await store.tryLockScheme(lock('b', 3000))).toBeUndefined();
    });

    it('of many runs locking at once exactly one wins; of two taking over a dead holder exactly one wins', async () => {
      const lock = (runId: string, at = 1000): RunLock => ({ scheme: S, runId, pid: 1, host: 'h', processStart: null, acquiredAt: at, heartbeatAt: at });
      const results = await Promise.all(Array.from({ length: 8 }, (_, i) => store.tryLockScheme(lock(`r${i}`))));
      expect(results.filter((r) => r === undefined)).toHaveLength(1);
      const holder = (await store.getSchemeLock(S))!;
      const takers = await Promise.all(['t1', 't2', 't3'].map((id) => store.takeOverSchemeLock(lock(id, 5000), holder)));
      expect(takers.filter(Boolean)).toHaveLength(1);
      const winner = (await store.getSchemeLock(S))!;
      expect(['t1', 't2', 't3']).toContain(winner.runId);
      // A holder that showed life (a newer heartbeat) is not taken over on the strength of an old look.
      await store.heartbeatSchemeLock(S, winner.runId, 6000);
      expect(await store.takeOverSchemeLock(lock('late', 7000), winner)).toBe(false);
      expect((await store.getSchemeLock(S))!.runId).toBe(winner.runId);
    });

    it('countRunOutcomes counts a run\'s ledger rows the way the pipeline counts them; listRuns filters by status', async () => {
      await store.commitPage(
        [
          row('1', { detail: 'created' }), row('2', { detail: 'created' }), row('3', { detail: 'updated' }), row('4', { status: 'skipped', detail: 'unchanged' }),
          row('5', { status: 'rejected', detail: 'target' }), row('6', { status: 'rejected', detail: 'mapping' }), row('7', { status: 'failed' }), row('8', { runId: 'r2' }),
        ],
        null,
      );
      expect(await store.countRunOutcomes(S, 'r1')).toEqual({ read: 7, created: 2, updated: 1, skipped: 1, rejected: 2, invalid: 1, failed: 1 });
      expect(await store.countRunOutcomes(S, 'none')).toEqual({ read: 0, created: 0, updated: 0, skipped: 0, rejected: 0, invalid: 0, failed: 0 });
      await store.createRun({ id: 'x', scheme: S, status: 'running', trigger: 'manual', startedAt: 1, counts: emptyCounts() });
      await store.createRun({ id: 'y', scheme: S, status: 'running', trigger: 'manual', startedAt: 2, counts: emptyCounts() });
      await store.updateRun('y', { status: 'succeeded' });
      expect((await store.listRuns({ status: 'running' })).map((r) => r.id)).toEqual(['x']);
      expect((await store.listRuns({ scheme: S, status: 'succeeded' })).map((r) => r.id)).toEqual(['y']);
    });

    it('concurrent commitPage calls with overlapping ids all land', async () => {
      const pages = Array.from({ length: 8 }, (_, p) => Array.from({ length: 50 }, (_, i) => row(`k${(p * 25 + i) % 120}`, { runId: `p${p}` })));
      await Promise.all(pages.map((rows, p) => store.commitPage(rows, { scheme: S, stream: `full:p${p}`, cursor: { page_no: p }, highWater: null, runId: 'r', updatedAt: p })));
      expect((await store.countLedger(S)).written).toBe(120);
      expect((await store.listCheckpoints(S)).length).toBe(8);
    });
  });
}
