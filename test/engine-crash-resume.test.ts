import { describe, expect, it } from 'vitest';
import { startDemoEnvironment } from '../src/cli/demo-setup.ts';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { SEED_SCHEME, ferry, startFerry, tempDir, writeJson } from './support/cli.ts';
import { join } from 'node:path';

/**
 * Issue 5: kill the run with SIGKILL at 5 random points of a 20,000-shop sync and resume each time.
 * The Kingdee emulator must end with exactly the expected customers, no FNumber twice, and the ledger must agree.
 */
describe('crash and resume (SIGKILL)', () => {
  it('never writes a customer twice across 5 kills, and the ledger agrees with the target', async () => {
    const SHOPS = 20_408; // every 50th is disabled and hidden: 20,000 active shops
    const env = await startDemoEnvironment({ shops: SHOPS });
    const dir = tempDir();
    const conns = writeJson(dir, 'connections.json', env.connections);
    const args = ['run', SEED_SCHEME, '-c', conns, '-d', join(dir, 'data'), '--no-reconcile'];
    const count = () => env.kingdee.stats().records.BD_Customer ?? 0;
    try {
      // Kill points spread over the sync, in increasing order, random within each fifth.
      const points = [0, 1, 2, 3, 4].map((k) => Math.floor(20_000 * ((k + 0.1 + 0.7 * Math.random()) / 5.2)));
      const killedAt: number[] = [];
      for (const point of points) {
        const { child, done } = startFerry(args);
        while (count() < point && child.exitCode === null) await new Promise((r) => setTimeout(r, 5));
        child.kill('SIGKILL');
        const r = await done;
        killedAt.push(count());
        // The kill must land mid-run: the process died by the signal, with part of the work done.
        expect(r.signal, `run finished before the kill at ${point}: ${r.stdout}`).toBe('SIGKILL');
      }
      expect(killedAt.length).toBe(5);
      expect(killedAt[4]!).toBeLessThan(20_000);
      console.log(`customers in Kingdee at each kill: ${killedAt.join(', ')}`);
      const last = await ferry(args);
      expect(last.code, last.stderr + last.stdout).toBe(0);

      const customers = [...env.kingdee.records('BD_Customer')];
      const numbers = customers.map((c) => c.number);
      expect(customers.length).toBe(20_000);
      expect(new Set(numbers).size).toBe(20_000);
      const stats = env.kingdee.stats();
      expect(stats.created.BD_Customer).toBe(20_000);
      expect(stats.rejectedRows).toBe(0);

      const store = new SqliteStore(join(dir, 'data', 'ferry.sqlite'));
      const counts = await store.countLedger('店铺同步客户');
      expect(counts.rejected + counts.failed).toBe(0);
      expect(counts.written + counts.skipped).toBe(20_000);
      const byNumber = new Map(customers.map((c) => [c.number, String(c.id)]));
      for (let offset = 0; offset < 20_000; offset += 1000) {
        const rows = await store.queryLedger({ scheme: '店铺同步客户', limit: 1000, offset });
        for (const r of rows) expect(byNumber.get(r.targetNumber ?? '')).toBe(r.targetId);
      }
      await store.close();
    } finally {
      await env.close();
    }
  }, 240_000);
});
