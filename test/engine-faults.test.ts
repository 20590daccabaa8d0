import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { parseConnections } from '../src/cli/connections.ts';
import { startDemoEnvironment } from '../src/cli/demo-setup.ts';
import { openRun } from '../src/cli/open-run.ts';
import { loadSchemeFile } from '../src/cli/scheme-file.ts';
import { runScheme } from '../src/engine/run-scheme.ts';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { SEED_SCHEME, tempDir } from './support/cli.ts';

/**
 * Issue 5: with 10% 5xx on both emulators, session expiry on Kingdee and WDT rate limiting on,
 * the run completes with every record written exactly once.
 */
describe('a run under faults on both sides', () => {
  it('writes every shop exactly once despite 5xx, session expiry and rate limiting', async () => {
    const env = await startDemoEnvironment({
      shops: 5102, // every 50th disabled: 5,000 active
      wdt: { rateLimit: 8, faults: { rate5xx: 0.1 } },
      kingdee: { faults: { rules: [{ kind: '5xx', rate: 0.1 }, { kind: 'sessionExpire', every: 7 }] } },
    });
    const dir = tempDir();
    const store = new SqliteStore(join(dir, 'ferry.sqlite'));
    try {
      // Session login (password mode), so an expired session really has to be renewed.
      const c = env.kingdee.credentials;
      const connections = parseConnections(
        {
          wdt: { ...env.connections.wdt, rateLimitRetryMs: 300 },
          kingdee: { platform: 'kingdee', mode: 'password', baseUrl: env.kingdee.url, acctId: c.acctId, username: c.username, password: c.password },
        },
        'test',
      );
      const scheme = { ...loadSchemeFile(SEED_SCHEME), retry: { maxAttempts: 12, initialDelayMs: 20, maxDelayMs: 400, multiplier: 2, jitter: 0.2 } };
      const events: string[] = [];
      const run = openRun(scheme, connections, store, { logFile: join(dir, 'ferry.log'), onEvent: (e) => events.push(e.type) });
      const report = await runScheme(run.cs, run.deps);
      await run.close();

      expect(report.status, report.reason).toBe('succeeded');
      expect(report.reconciliation).toMatchObject({ source: 5000, created: 5000, rejected: 0, failed: 0, heldByTarget: 5000 });
      const customers = [...env.kingdee.records('BD_Customer')];
      expect(customers.length).toBe(5000);
      expect(new Set(customers.map((x) => x.number)).size).toBe(5000);
      const k = env.kingdee.stats();
      expect(k.faults['5xx'] ?? 0).toBeGreaterThan(0);
      expect(k.sessionLost + (k.faults.sessionExpire ?? 0)).toBeGreaterThan(0);
      expect(k.rejectedRows).toBe(0);
      const w = env.wdt.control.stats();
      expect(JSON.stringify(w)).toMatch(/1012|rate/i);
      expect(report.counts.retries).toBeGreaterThan(0);
    } finally {
      await store.close();
      await env.close();
    }
  }, 120_000);
});
