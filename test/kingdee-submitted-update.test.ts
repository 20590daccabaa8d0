import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConnections } from '../src/cli/connections.ts';
import { startDemoEnvironment } from '../src/cli/demo-setup.ts';
import { openRun } from '../src/cli/open-run.ts';
import { loadSchemeFile } from '../src/cli/scheme-file.ts';
import type { Scheme } from '../src/core/scheme/scheme.ts';
import { runScheme } from '../src/engine/run-scheme.ts';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { SEED_SCHEME, tempDir } from './support/cli.ts';

/**
 * Found by the simulation (npm run sim, issue 11): a customer left submitted (B) — the process died between
 * Submit and Audit, or the Audit did not complete — and then changed in the source. Its update's UnAudit fails
 * (B is not audited) and B cannot be saved either, so it was rejected "不允许修改，请先反审核" while Kingdee holds it.
 * It is now audited and unaudited first, then saved, submitted and audited like the others.
 */
const RETRY = { maxAttempts: 8, initialDelayMs: 5, maxDelayMs: 40, multiplier: 2, jitter: 0 };

function named(scheme: Scheme, suffix: string): Scheme {
  const request = scheme.target.request.map((f) => (f.field === 'FName' ? { ...f, value: `{shop_name}${suffix}` } : f));
  return { ...scheme, retry: RETRY, target: { ...scheme.target, request } };
}

describe('updating a Kingdee record left submitted (B)', () => {
  it.each([false, true])('is audited, unaudited, saved and audited again, not rejected (a transient Audit failure on the way: %s)', async (transientAudit) => {
    const env = await startDemoEnvironment({ shops: 51 }); // every 50th disabled: 50 active
    const dir = tempDir();
    const store = new SqliteStore(join(dir, 'ferry.sqlite'));
    const run = async (scheme: Scheme) => {
      const r = openRun(scheme, parseConnections(env.connections, 'test'), store, { logFile: join(dir, 'ferry.log') });
      try {
        return await runScheme(r.cs, r.deps);
      } finally {
        await r.close();
      }
    };
    try {
      const base = { ...loadSchemeFile(SEED_SCHEME), retry: RETRY };
      expect((await run(base)).counts.created).toBe(50);
      // An Audit refused for every 10th row: those records are updated but left submitted, pending Audit.
      env.kingdee.setFaults({ rules: [{ kind: 'rowFail', every: 1, count: 1, rows: 10, msgCode: 12, message: '审核失败：审批流未结束。', services: ['Audit'] }] });
      const pending = await run(named(base, ' 新'));
      expect(pending.counts.incomplete).toBeGreaterThan(0);
      const submitted = [...env.kingdee.records('BD_Customer')].filter((c) => c.status === 'B').map((c) => c.number);
      expect(submitted.length).toBe(pending.counts.incomplete);

      // The source changes again before the pending Audit was retried; the first Audit of the submitted ones fails
      // for a row, transiently (a network-control conflict): that row is retried, not rejected.
      env.kingdee.setFaults(transientAudit ? { rules: [{ kind: 'rowFail', every: 1, count: 1, rows: 1, services: ['Audit'] }] } : {});
      const report = await run(named(base, ' 再'));
      expect(report.counts.rejected, JSON.stringify(report.rejected)).toBe(0);
      expect(report.status, report.reason ?? '').toBe('succeeded');
      const customers = [...env.kingdee.records('BD_Customer')];
      expect(customers.filter((c) => c.status !== 'C').map((c) => `${c.number} ${c.status}`)).toEqual([]);
      expect(customers.filter((c) => !String(c.fields.FName).endsWith(' 再')).map((c) => c.number)).toEqual([]);
      const ledger = await store.queryLedger({ scheme: base.name, limit: 1000 });
      expect(ledger.filter((x) => submitted.includes(x.sourceNumber ?? '')).map((x) => `${x.status} ${x.detail}`)).toEqual(submitted.map(() => 'written updated'));
    } finally {
      await store.close();
      await env.close();
    }
  }, 60_000);
});
