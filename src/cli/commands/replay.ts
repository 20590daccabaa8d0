import type { Command } from 'commander';
import { replayRejected } from '../../engine/replay.ts';
import { loadConnectionsFile } from '../connections.ts';
import { dataDir, logFile, stateFile } from '../data-dir.ts';
import { exitCodeOf, formatReport } from '../format-report.ts';
import { openRun } from '../open-run.ts';
import { loadSchemeFile } from '../scheme-file.ts';
import { SqliteStore } from '../../store/sqlite/sqlite-store.ts';

export function registerReplay(program: Command): void {
  program
    .command('replay')
    .description('re-map rejected (and failed) records with the current scheme and send just them again')
    .argument('<scheme>', 'scheme file')
    .option('--ids <ids>', 'comma-separated source ids (default: every rejected and failed record)')
    .option('-c, --connections <file>', 'connections file', 'ferry.connections.json')
    .option('-d, --data <dir>', 'data directory')
    .option('--json', 'print the report as JSON')
    .action(async (file: string, o: { ids?: string; connections: string; data?: string; json?: boolean }) => {
      const scheme = loadSchemeFile(file);
      const dir = dataDir(o.data);
      const store = new SqliteStore(stateFile(dir));
      const run = openRun(scheme, loadConnectionsFile(o.connections), store, { logFile: logFile(dir) });
      try {
        const ids = o.ids?.split(',').map((s) => s.trim()).filter(Boolean);
        const report = await replayRejected(run.cs, run.deps, ids ? { ids } : {});
        process.stdout.write(o.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatReport(report)}\n`);
        process.exitCode = exitCodeOf(report.status);
      } finally {
        await run.close();
        await store.close();
      }
    });
}
