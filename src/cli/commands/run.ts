import type { Command } from 'commander';
import { runScheme } from '../../engine/run-scheme.ts';
import { loadConnectionsFile } from '../connections.ts';
import { dataDir, logFile, stateFile } from '../data-dir.ts';
import { exitCodeOf, formatReport } from '../format-report.ts';
import { openRun } from '../open-run.ts';
import { createProgress } from '../progress.ts';
import { printRunNotice } from '../run-notices.ts';
import { loadSchemeFile } from '../scheme-file.ts';
import { SqliteStore } from '../../store/sqlite/sqlite-store.ts';

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('run a scheme once: read, map, validate and write every record exactly once, then print the reconciliation')
    .argument('<scheme>', 'scheme file')
    .option('-c, --connections <file>', 'connections file', 'ferry.connections.json')
    .option('-d, --data <dir>', 'data directory (state database and logs); default .ferry or $FERRY_DATA_DIR')
    .option('--json', 'print the report as JSON')
    .option('--no-reconcile', 'skip counting the run\'s records in the target at the end')
    .option('--log-level <level>', 'log level of the log file', 'info')
    .action(async (file: string, o: { connections: string; data?: string; json?: boolean; reconcile: boolean; logLevel: string }) => {
      loadSchemeFile(file); // a bad scheme is refused first, with the lines `ferry validate` prints
      const connections = loadConnectionsFile(o.connections);
      const scheme = loadSchemeFile(file, connections); // and its platforms' options checked on the real connections
      const dir = dataDir(o.data);
      const store = new SqliteStore(stateFile(dir));
      const ac = new AbortController();
      const stop = () => ac.abort(new Error('interrupted'));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      const progress = createProgress();
      const run = openRun(scheme, connections, store, { logFile: logFile(dir), logLevel: o.logLevel, onEvent: (e) => (progress.onEvent(e), printRunNotice(e)), signal: ac.signal });
      try {
        const report = await runScheme(run.cs, run.deps, { reconcileTarget: o.reconcile });
        progress.done();
        process.stdout.write(o.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatReport(report)}\n  logs: ${logFile(dir)}\n`);
        process.exitCode = exitCodeOf(report.status);
      } finally {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        await run.close();
        await store.close();
      }
    });
}
