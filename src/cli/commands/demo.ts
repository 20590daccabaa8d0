import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { runScheme } from '../../engine/run-scheme.ts';
import { SqliteStore } from '../../store/sqlite/sqlite-store.ts';
import { parseConnections } from '../connections.ts';
import { dataDir, logFile, stateFile } from '../data-dir.ts';
import { startDemoEnvironment } from '../demo-setup.ts';
import { formatReport } from '../format-report.ts';
import { openRun } from '../open-run.ts';
import { createProgress } from '../progress.ts';
import { printRunNotice } from '../run-notices.ts';
import { loadSchemeFile } from '../scheme-file.ts';
import { fileURLToPath } from 'node:url';

export const SEED_SCHEME_FILE = fileURLToPath(new URL('../../../examples/shop-to-customer.json', import.meta.url));

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('run the seed scheme 店铺同步客户 (WDT shops → Kingdee customers) against the built-in emulators, then print the reconciliation')
    .option('--shops <n>', 'shops in the WDT emulator', '1000')
    .option('-d, --data <dir>', 'data directory (the demo keeps its state in <data>/demo)')
    .option('--fresh', 'forget earlier demo runs (ledger and emulated Kingdee data) first')
    .option('--transport <t>', 'WDT transport: qimen or openapi', 'qimen')
    .action(async (o: { shops: string; data?: string; fresh?: boolean; transport: string }) => {
      const shops = Number(o.shops);
      if (!Number.isInteger(shops) || shops < 0) throw new Error(`--shops must be a whole number, got ${o.shops}`);
      const dir = join(dataDir(o.data), 'demo');
      if (o.fresh) rmSync(dir, { recursive: true, force: true });
      const env = await startDemoEnvironment({ shops, dir, transport: o.transport === 'openapi' ? 'openapi' : 'qimen' });
      const store = new SqliteStore(stateFile(dir));
      const progress = createProgress();
      try {
        process.stdout.write(
          `ferry demo: ${shops} shops in the WDT emulator (${env.wdt.url}, ${o.transport}; every 50th is disabled, and wdt.shop.query lists only active shops), Kingdee emulator at ${env.kingdee.url}\n` +
            `scheme: ${SEED_SCHEME_FILE}\nstate: ${stateFile(dir)}\n\n`,
        );
        const scheme = loadSchemeFile(SEED_SCHEME_FILE);
        const run = openRun(scheme, parseConnections(env.connections, 'the demo'), store, { logFile: logFile(dir), onEvent: (e) => (progress.onEvent(e), printRunNotice(e)) });
        try {
          const report = await runScheme(run.cs, run.deps, { trigger: 'demo' });
          progress.done();
          const held = [...env.kingdee.records('BD_Customer')].length;
          process.stdout.write(`${formatReport(report)}\n\n  Kingdee emulator now holds ${held} customers (BD_Customer).\n  logs: ${logFile(dir)}\n`);
          process.stdout.write(`  run it again: nothing changed, so nothing is written (idCheck).\n`);
          process.exitCode = report.status === 'succeeded' ? 0 : 1;
        } finally {
          await run.close();
        }
      } finally {
        await store.close();
        await env.close();
      }
    });
}
