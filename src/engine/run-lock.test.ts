import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { emptyCounts } from '../core/contracts/state-store.ts';
import { SqliteStore } from '../store/sqlite/sqlite-store.ts';
import type { RunEvent } from './events.ts';
import { thisProcess } from './process-liveness.ts';
import { SchemeBusyError } from './run-lock.ts';
import { runScheme } from './run-scheme.ts';
import { ArraySource, compiledScheme, engineDeps, MapTarget, shops } from './testing-fakes.ts';

const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid!;

describe('one run per scheme (issue 11, defect 7) and interrupted runs (defect 5)', () => {
  it('a second run of a scheme that is running refuses, naming the running one; after it ends the scheme runs again', async () => {
    const store = new SqliteStore(':memory:');
    const target = new MapTarget();
    const src = new ArraySource(shops(40));
    let release!: () => void;
    const parked = new Promise<void>((r) => (release = r));
    let reached!: () => void;
    const atPage2 = new Promise<void>((r) => (reached = r));
    src.beforePage = async (p) => {
      if (p === 2) {
        reached();
        await parked;
      }
    };
    const first = runScheme(compiledScheme(), engineDeps(src, target, store));
    await atPage2;
    const firstRun = (await store.listRuns({ status: 'running' }))[0]!;
    const second = runScheme(compiledScheme(), engineDeps(new ArraySource(shops(40)), target, store));
    await expect(second).rejects.toBeInstanceOf(SchemeBusyError);
    const err = (await second.catch((e: unknown) => e)) as SchemeBusyError;
    expect(err.message).toContain(`run ${firstRun.id}`);
    expect(err.message).toContain(`pid ${process.pid} on ${hostname()}`);
    expect(err.message).toContain(`started ${new Date(firstRun.startedAt).toISOString()}`);
    // The refused run left no run row and did not touch the target or the ledger.
    expect((await store.listRuns({})).length).toBe(1);
    // Another scheme is not blocked.
    expect((await runScheme(compiledScheme({}, 'other'), engineDeps(new ArraySource(shops(5)), new MapTarget(), store))).status).toBe('succeeded');
    release();
    expect((await first).status).toBe('succeeded');
    expect(await store.getSchemeLock('test')).toBeUndefined();
    expect((await runScheme(compiledScheme(), engineDeps(new ArraySource(shops(40)), target, store))).reconciliation).toMatchObject({ skippedUnchanged: 40 });
  });

  it('a lock whose process is gone is taken over; its run is marked interrupted with the ledger\'s counts, and the new run says it resumes it', async () => {
    const store = new SqliteStore(':memory:');
    const target = new MapTarget();
    // A run killed after 20 of 40 records: its lock, its running row, its ledger rows and checkpoint stay behind.
    const pid = deadPid();
    const cs = compiledScheme();
    const killedAt = 1_700_000_000_000;
    await store.tryLockScheme({ scheme: 'test', runId: 'killed', pid, host: hostname(), processStart: thisProcess().processStart, acquiredAt: killedAt, heartbeatAt: killedAt });
    await store.createRun({ id: 'killed', scheme: 'test', status: 'running', trigger: 'manual', startedAt: killedAt, counts: { ...emptyCounts(), pages: 2, apiCalls: 9 }, owner: `${pid}@${hostname()}` });
    const early = await runScheme(cs, engineDeps(new ArraySource(shops(20)), target, new SqliteStore(':memory:'))); // fills the target as the killed run had
    expect(early.status).toBe('succeeded');
    await store.commitPage(
      shops(20).map((s) => ({ scheme: 'test', sourceId: String(s.id), sourceNumber: String(s.no), targetNumber: String(s.no), targetId: 'x', status: 'written' as const, detail: 'created', runId: 'killed', updatedAt: killedAt })),
      { scheme: 'test', stream: 'full', cursor: { page: 2 }, highWater: null, runId: 'killed', updatedAt: killedAt },
    );
    const events: RunEvent[] = [];
    const src = new ArraySource(shops(40));
    const r = await runScheme(cs, engineDeps(src, target, store, { onEvent: (e) => events.push(e) }));
    expect(r.status).toBe('succeeded');
    expect(src.calls).toBe(3); // pages 2, 3 and the empty 4th: resumed from the killed run's checkpoint
    expect(r.reconciliation).toMatchObject({ created: 20 });
    const killed = (await store.getRun('killed'))!;
    expect(killed).toMatchObject({ status: 'interrupted', counts: { read: 20, created: 20, pages: 2, apiCalls: 9 } });
    expect(killed.reason).toMatch(new RegExp(`pid ${pid} on ${hostname()}.*stopped before the run ended`));
    expect(killed.endedAt).not.toBeNull();
    const resuming = events.find((e) => e.type === 'run.resuming');
    expect(resuming).toMatchObject({ runId: r.runId, interruptedRunId: 'killed', settled: 20 });
    expect(events.find((e) => e.type === 'run.started')).toMatchObject({ resumed: true });
    expect(target.store.size).toBe(40);
  });

  it('a run abandoned inside this process (its promise dropped, as the simulation kills a run) does not block the next run', async () => {
    const store = new SqliteStore(':memory:');
    // The store dies under the first run mid-way: the run throws out of runScheme without writing its end.
    let dead = false;
    const dying = new Proxy(store, {
      get(t, p, recv) {
        const v = Reflect.get(t, p, recv);
        if (typeof v !== 'function') return v;
        return (...a: unknown[]) => {
          if (dead) throw new Error('process died');
          return (v as (...x: unknown[]) => unknown).apply(t, a);
        };
      },
    });
    const src = new ArraySource(shops(30));
    src.beforePage = (p) => {
      if (p === 1) dead = true;
    };
    await expect(runScheme(compiledScheme(), engineDeps(src, new MapTarget(), dying))).rejects.toThrow(/process died/);
    // Its lock may still be in the store (a real death releases nothing); this process no longer runs it.
    const r = await runScheme(compiledScheme(), engineDeps(new ArraySource(shops(30)), new MapTarget(), store));
    expect(r.status).toBe('succeeded');
    expect((await store.listRuns({})).map((x) => x.status).sort()).toEqual(['interrupted', 'succeeded']);
  });
});
