import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startDemoEnvironment, type DemoEnvironment } from '../src/cli/demo-setup.ts';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { ferry, SEED_SCHEME, startFerry, tempDir, writeJson } from './support/cli.ts';

/**
 * Issue 11, defects 7 and 5, with real processes: two `ferry run` of one scheme on one data directory, and a
 * `ferry run` killed with SIGKILL whose lock and run the next `ferry run` takes over.
 */
const SCHEME = '店铺同步客户';
const SHOPS = 1020; // 1,000 active (every 50th disabled): 10 pages of 100

async function until<T>(f: () => Promise<T | undefined>, what: string, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('ferry run: one run per scheme on a data directory (real processes)', () => {
  let env: DemoEnvironment;
  let conns: string;
  // Fresh emulators per test; slow pages (600 ms each), so a run is still going when the second process starts.
  beforeEach(async () => {
    env = await startDemoEnvironment({ shops: SHOPS, wdt: { faults: { latencyMs: 600 } } });
    conns = writeJson(tempDir(), 'connections.json', env.connections);
  });
  afterEach(async () => env?.close());

  const customers = () => [...env.kingdee.records('BD_Customer')].length;

  it('a second ferry run refuses (exit 3) naming the running one; the first ends with every shop created once', { timeout: 90_000 }, async () => {
    const data = join(tempDir(), 'data');
    const first = startFerry(['run', SEED_SCHEME, '-c', conns, '-d', data, '--json']);
    const store = await until(async () => {
      try {
        return new SqliteStore(join(data, 'ferry.sqlite'));
      } catch {
        return undefined;
      }
    }, 'the state database');
    try {
      const lock = await until(() => store.getSchemeLock(SCHEME), 'the first run to take the lock');
      expect(lock.pid).toBe(first.child.pid);
      const run = (await store.getRun(lock.runId))!;
      const second = await ferry(['run', SEED_SCHEME, '-c', conns, '-d', data, '--json']);
      expect(second.code, second.stderr).toBe(3);
      expect(second.stderr).toContain(`scheme "${SCHEME}" is already running: run ${lock.runId} (pid ${first.child.pid} on ${lock.host}, started ${new Date(run.startedAt).toISOString()}`);
      const done = await first.done;
      expect(done.code, done.stderr).toBe(0);
      expect(JSON.parse(done.stdout).reconciliation).toMatchObject({ created: 1000, heldByTarget: 1000 });
      expect(customers()).toBe(1000);
      expect((await store.listRuns({})).map((r) => r.status)).toEqual(['succeeded']); // the refused run left no row
      expect(await store.getSchemeLock(SCHEME)).toBeUndefined();
    } finally {
      first.child.kill('SIGKILL');
      await store.close();
    }
  });

  it('a SIGKILLed run\'s lock is taken over: its run is marked interrupted with the ledger\'s counts, the next run says it resumes it and creates only the rest', { timeout: 90_000 }, async () => {
    const data = join(tempDir(), 'data');
    const first = startFerry(['run', SEED_SCHEME, '-c', conns, '-d', data]);
    const store = await until(async () => {
      try {
        return new SqliteStore(join(data, 'ferry.sqlite'));
      } catch {
        return undefined;
      }
    }, 'the state database');
    try {
      const lock = await until(() => store.getSchemeLock(SCHEME), 'the first run to take the lock');
      await until(async () => ((await store.countLedger(SCHEME, lock.runId)).written >= 300 ? true : undefined), 'three pages committed');
      first.child.kill('SIGKILL');
      await first.done;
      expect((await store.getRun(lock.runId))!.status).toBe('running'); // what a killed run leaves behind
      const settled = (await store.countLedger(SCHEME, lock.runId)).written;
      // `ferry runs` finds it too: shown interrupted, with what its ledger holds.
      const listed = await ferry(['runs', '-d', data, '--json']);
      expect(JSON.parse(listed.stdout)[0]).toMatchObject({ id: lock.runId, status: 'interrupted', counts: { created: settled } });

      const second = await ferry(['run', SEED_SCHEME, '-c', conns, '-d', data, '--json']);
      expect(second.code, second.stderr).toBe(0);
      expect(second.stderr).toMatch(new RegExp(`resumes run ${lock.runId} .*interrupted: its process ${first.child.pid}@`));
      const report = JSON.parse(second.stdout);
      const killed = (await store.getRun(lock.runId))!;
      expect(killed.status).toBe('interrupted');
      expect(killed.reason).toMatch(new RegExp(`pid ${first.child.pid} on .*stopped before the run ended`));
      expect(killed.counts).toMatchObject({ read: settled, created: settled }); // what its ledger rows hold
      // Nothing written twice: every shop is one customer, none rejected as a duplicate number.
      expect(report.reconciliation).toMatchObject({ rejected: 0, failed: 0, heldByTarget: report.reconciliation.checkedInTarget });
      expect(customers()).toBe(1000);
      expect(report.reconciliation.created).toBeLessThanOrEqual(1000 - settled);
      expect(report.status).toBe('succeeded');
    } finally {
      first.child.kill('SIGKILL');
      await store.close();
    }
  });
});
