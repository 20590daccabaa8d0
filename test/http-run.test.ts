import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConnections } from '../src/cli/connections.ts';
import { openRun } from '../src/cli/open-run.ts';
import { loadSchemeFile } from '../src/cli/scheme-file.ts';
import { startHttpEmulator } from '../src/emulators/http/index.ts';
import { runScheme } from '../src/engine/run-scheme.ts';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { ROOT, tempDir } from './support/cli.ts';

/**
 * Issue 8 through the engine: examples/http-to-http.json against the JSON emulator. A 429 with Retry-After
 * slows the run instead of failing it; a batch endpoint that rejects some rows keeps the others.
 */
describe('the HTTP example scheme, run by the engine', () => {
  it('waits out 429s and keeps the good rows of partly rejected batches', async () => {
    const emu = await startHttpEmulator({
      collections: { orders: 1000, customers: 0 },
      faults: { rateLimitEvery: 15, retryAfterSeconds: 1 },
      reject: (row, collection) => (collection === 'customers' && String(row.number).endsWith('7') ? 'customer numbers ending in 7 are blocked' : undefined),
    });
    const dir = tempDir();
    const store = new SqliteStore(join(dir, 'ferry.sqlite'));
    try {
      const scheme = loadSchemeFile(join(ROOT, 'examples/http-to-http.json'));
      const run = openRun(scheme, parseConnections({ emu: { platform: 'http', baseUrl: emu.url } }, 'test'), store, { logFile: join(dir, 'ferry.log') });
      const t0 = Date.now();
      const report = await runScheme(run.cs, run.deps);
      const ms = Date.now() - t0;
      await run.close();

      // Some rows are rejected on purpose (numbers ending in 7), so the run is partial, not a plain success.
      expect(report.status, report.reason).toBe('partial');
      expect(report.reconciliation.source).toBe(1000);
      const k = report.reconciliation;
      expect(k.rejected).toBeGreaterThan(0);
      expect(k.created + k.updated + k.rejected + k.skippedUnchanged).toBe(1000);
      expect(report.counts.retries).toBeGreaterThan(0);
      expect(emu.stats().rateLimited).toBeGreaterThan(0);
      expect(emu.stats().rowsRejected).toBe(k.rejected);
      expect(ms).toBeGreaterThanOrEqual(1000); // at least one Retry-After of 1 s was honoured, not retried at once

      const saved = emu.records('customers') as { number: string }[];
      expect(saved.length).toBeGreaterThan(0);
      expect(saved.every((c) => !c.number.endsWith('7'))).toBe(true);
      expect(new Set(saved.map((c) => c.number)).size).toBe(saved.length);
      const rejected = await store.queryLedger({ scheme: scheme.name, status: 'rejected', limit: 5 });
      expect(rejected[0]?.message).toMatch(/blocked/);
    } finally {
      await store.close();
      await emu.close();
    }
  }, 120_000);
});
