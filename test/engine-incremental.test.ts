import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConnections } from '../src/cli/connections.ts';
import { startDemoEnvironment } from '../src/cli/demo-setup.ts';
import { openRun } from '../src/cli/open-run.ts';
import { loadSchemeFile } from '../src/cli/scheme-file.ts';
import type { RunEvent } from '../src/engine/events.ts';
import { runScheme } from '../src/engine/run-scheme.ts';
import { formatBeijingTime } from '../src/platforms/wdt/index.ts';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import type { Scheme } from '../src/core/scheme/scheme.ts';
import { ROOT, SEED_SCHEME, tempDir } from './support/cli.ts';

const STOCKOUT_SCHEME = join(ROOT, 'examples/stockout-to-sales-outstock.json');
const DAY = 24 * 3600_000;

/**
 * Issue 5: the stockout scheme over 7 days of orders respects the window limits, picks up orders modified
 * during the run on the next run, and updates rather than duplicates them.
 */
describe('incremental stockouts → SAL_OUTSTOCK', () => {
  it('reads 7 days in windows, catches a mid-run modification on the next run, and updates it in place', async () => {
    const now = Date.now();
    const env = await startDemoEnvironment({
      shops: 40, // no disabled shop among the first 49: every stockout's customer exists
      wdt: { stockouts: 1400, trades: 1400, dataStart: formatBeijingTime(now - 7 * DAY - 3600_000), dataSpanMs: 7 * DAY },
    });
    const dir = tempDir();
    const store = new SqliteStore(join(dir, 'ferry.sqlite'));
    const connections = parseConnections(env.connections, 'test');
    const run = async (scheme: Scheme, onEvent?: (e: RunEvent) => void) => {
      const r = openRun(scheme, connections, store, { logFile: join(dir, 'ferry.log'), ...(onEvent ? { onEvent } : {}) });
      try {
        return await runScheme(r.cs, r.deps);
      } finally {
        await r.close();
      }
    };
    try {
      const customers = await run(loadSchemeFile(SEED_SCHEME));
      expect(customers.reconciliation.created).toBe(40);

      const base = loadSchemeFile(STOCKOUT_SCHEME);
      const scheme: Scheme = {
        ...base,
        source: { ...base.source, incremental: { ...base.source.incremental!, since: new Date(now - 8 * DAY).toISOString(), lagSeconds: 1 } },
      };
      const windows: { start: string; end: string }[] = [];
      let modified: Record<string, unknown> | undefined;
      const first = await run(scheme, (e) => {
        if (e.type === 'window.started') windows.push({ start: e.start, end: e.end });
        // A stockout already read is edited while the run goes on: its modified time is now (after this run's end).
        if (e.type === 'page.committed' && !modified) {
          // The first shipped (status ≥ 95) stockout: it was in the first page read.
          const id = Array.from({ length: 50 }, (_, i) => i + 1).find((i) => Number(env.wdt.control.get('stockouts', i)?.status) >= 95)!;
          modified = env.wdt.control.modify('stockouts', id, { modified: formatBeijingTime(Date.now()), logistics_no: 'SF-CHANGED-0005' });
        }
      });
      expect(first.status, first.reason).toBe('succeeded');
      expect(first.reconciliation.rejected).toBe(0);
      const written = first.reconciliation.created;
      expect(written).toBeGreaterThan(900); // shipped and completed stockouts of the 1,400
      expect(windows.length).toBeGreaterThanOrEqual(8);
      for (const w of windows) expect(Date.parse(w.end) - Date.parse(w.start)).toBeLessThanOrEqual(DAY);
      expect(modified).toBeDefined();

      const bills = () => [...env.kingdee.records('SAL_OUTSTOCK')];
      expect(bills().length).toBe(written);
      const before = bills().find((b) => b.number === String(modified!.order_no))!;
      expect(String(before.fields.FNote)).not.toMatch(/SF-CHANGED-0005/);

      await new Promise((r) => setTimeout(r, 1500)); // let the edit fall behind the lag
      const second = await run(scheme);
      expect(second.status, second.reason).toBe('succeeded');
      expect(second.reconciliation).toMatchObject({ created: 0, updated: 1, rejected: 0 });
      const after = bills();
      expect(after.length).toBe(written);
      expect(new Set(after.map((b) => b.number)).size).toBe(written);
      const bill = after.find((b) => b.number === String(modified!.order_no))!;
      expect(bill.id).toBe(before.id);
      expect(String(bill.fields.FNote)).toMatch(/SF-CHANGED-0005/);
      expect(Array.isArray(bill.fields.FEntity) && (bill.fields.FEntity as unknown[]).length).toBeGreaterThan(0);
    } finally {
      await store.close();
      await env.close();
    }
  }, 120_000);
});
