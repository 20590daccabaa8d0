import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startDemoEnvironment } from '../src/cli/demo-setup.ts';
import { SEED_SCHEME, ferry, tempDir, writeJson } from './support/cli.ts';

/**
 * Issue 5: with 3% of shops pointing at an unknown organisation, those are rejected with Kingdee's message
 * and the rest saved; after correcting the mapping, `ferry replay` writes just the rejected ones.
 */
describe('rejected records and ferry replay', () => {
  it('rejects the 3% with Kingdee\'s message, then replays only them after the mapping is fixed', async () => {
    // Org numbers cycle per shop: one in 33 is "999", which the Kingdee emulator does not know.
    const orgNumbers = [...Array.from({ length: 32 }, (_, i) => (i % 2 ? '100' : '101')), '999'];
    const env = await startDemoEnvironment({ shops: 3367, wdt: { orgNumbers } }); // 3,300 active shops, ~3% with org 999
    const dir = tempDir();
    const conns = writeJson(dir, 'connections.json', env.connections);
    const data = join(dir, 'data');
    try {
      const first = await ferry(['run', SEED_SCHEME, '-c', conns, '-d', data, '--json']);
      expect(first.code, first.stderr).toBe(2); // partial: some records rejected
      const report = JSON.parse(first.stdout);
      expect(report.status).toBe('partial');
      expect(report.reason).toMatch(/records were not delivered \(\d+ rejected\)/);
      const bad: number = report.reconciliation.rejected;
      expect(bad).toBeGreaterThan(80);
      expect(bad).toBeLessThan(120);
      expect(report.reconciliation).toMatchObject({ source: 3300, created: 3300 - bad, failed: 0, heldByTarget: 3300 - bad });
      expect([...env.kingdee.records('BD_Customer')].length).toBe(3300 - bad);

      const rejected = JSON.parse((await ferry(['records', '店铺同步客户', '-d', data, '--status', 'rejected', '--json', '-n', '500'])).stdout);
      expect(rejected.length).toBe(bad);
      for (const r of rejected) {
        expect(r.message).toMatch(/999/); // Kingdee's own message names the unknown organisation
        expect(JSON.parse(r.sourceData).remark).toBe('999');
      }

      // Correct the mapping: org 999 was merged into 101 (a value map; known orgs map to themselves).
      const scheme = JSON.parse(readFileSync(SEED_SCHEME, 'utf8'));
      for (const f of scheme.target.request)
        if (f.field === 'FCreateOrgId' || f.field === 'FUseOrgId') f.mapping = { '999': '101', '100': '100', '101': '101' };
      const fixed = writeJson(dir, 'fixed-scheme.json', scheme);

      const callsBefore = env.kingdee.stats().byService;
      const replay = await ferry(['replay', fixed, '-c', conns, '-d', data, '--json']);
      expect(replay.code, replay.stderr + replay.stdout).toBe(0);
      const rr = JSON.parse(replay.stdout);
      expect(rr.reconciliation).toMatchObject({ source: bad, created: bad, rejected: 0, heldByTarget: bad });
      expect([...env.kingdee.records('BD_Customer')].length).toBe(3300);
      // Only the rejected ones were sent: ~100 rows in BatchSave calls of up to 100.
      const callsAfter = env.kingdee.stats().byService;
      const batchSaves = (by: Record<string, number>) => Object.entries(by).filter(([k]) => /^batchsave$/i.test(k)).reduce((a, [, n]) => a + n, 0);
      const saves = batchSaves(callsAfter) - batchSaves(callsBefore);
      expect(saves).toBe(Math.ceil(bad / 100));
      expect(env.kingdee.stats().created.BD_Customer).toBe(3300);

      const left = JSON.parse((await ferry(['records', '店铺同步客户', '-d', data, '--status', 'rejected', '--json'])).stdout);
      expect(left.length).toBe(0);
    } finally {
      await env.close();
    }
  }, 120_000);
});
