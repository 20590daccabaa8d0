import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConnections, type ResolvedConnection } from '../src/cli/connections.ts';
import { startDemoEnvironment } from '../src/cli/demo-setup.ts';
import { openRun } from '../src/cli/open-run.ts';
import { loadSchemeFile } from '../src/cli/scheme-file.ts';
import { Unlimited, type RateLimiter } from '../src/core/policy/rate-limiter.ts';
import type { Scheme } from '../src/core/scheme/scheme.ts';
import { runScheme } from '../src/engine/run-scheme.ts';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { SEED_SCHEME, tempDir } from './support/cli.ts';

/**
 * The rate limit counts vendor HTTP requests, not engine calls: one Kingdee write makes several requests (log-in,
 * look-up chunk, BatchSave, and UnAudit/Submit/Audit around an update), and each must take a limiter permit
 * (PlatformContext.pace, wired by openRun), so the vendor never sees more requests per second than the limit.
 */
describe('rate limit per HTTP request', () => {
  it('takes one limiter permit per vendor HTTP request, for the source and the Kingdee target', async () => {
    const env = await startDemoEnvironment({ shops: 40 });
    const dir = tempDir();
    const store = new SqliteStore(join(dir, 'ferry.sqlite'));
    try {
      const requests = { kingdee: 0, wdt: 0 };
      const countingFetch: typeof fetch = (input, init) => {
        requests[/\.kdsvc/.test(String(input)) ? 'kingdee' : 'wdt']++;
        return fetch(input, init);
      };
      const permits = new Map<string, number>();
      const limiterFor = (conn: ResolvedConnection): RateLimiter => {
        const inner = new Unlimited();
        return {
          acquire: (signal) => (permits.set(conn.profile.name, (permits.get(conn.profile.name) ?? 0) + 1), inner.acquire(signal)),
          pause: (ms) => inner.pause(ms),
        };
      };
      const connections = parseConnections(env.connections, 'test');
      const base = loadSchemeFile(SEED_SCHEME);
      const renamed: Scheme = { ...base, target: { ...base.target, request: base.target.request.map((f) => (f.field === 'FName' ? { ...f, value: '{shop_name} 新' } : f)) } };
      for (const scheme of [base, renamed]) {
        const run = openRun(scheme, connections, store, { logFile: join(dir, 'ferry.log'), fetch: countingFetch, limiterFor });
        const report = await runScheme(run.cs, run.deps);
        await run.close();
        expect(report.status).toBe('succeeded');
      }
      expect(requests.kingdee).toBeGreaterThan(0);
      expect({ kingdee: permits.get('kingdee'), wdt: permits.get('wdt') }).toEqual(requests);
    } finally {
      await store.close();
      await env.close();
    }
  }, 60_000);
});
