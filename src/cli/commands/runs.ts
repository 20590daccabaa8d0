import type { Command } from 'commander';
import { dataDir, stateFile } from '../data-dir.ts';
import { padDisplay } from '../text-width.ts';
import { SqliteStore } from '../../store/sqlite/sqlite-store.ts';
import { interruptAbandonedRuns } from '../../engine/run-lock.ts';

export function registerRuns(program: Command): void {
  program
    .command('runs')
    .description('list recent runs with their status and counts')
    .argument('[scheme]', 'scheme name to filter by')
    .option('-d, --data <dir>', 'data directory')
    .option('-n, --limit <n>', 'how many', '20')
    .option('--json', 'print JSON')
    .action(async (scheme: string | undefined, o: { data?: string; limit: string; json?: boolean }) => {
      const store = new SqliteStore(stateFile(dataDir(o.data)));
      try {
        // A run left `running` by a process that is gone is shown (and stored) as interrupted, with its ledger counts.
        await interruptAbandonedRuns(store, { now: Date.now() });
        const runs = await store.listRuns({ ...(scheme ? { scheme } : {}), limit: Number(o.limit) || 20 });
        if (o.json) return void process.stdout.write(`${JSON.stringify(runs.map((r) => ({ ...r, report: r.report ? JSON.parse(r.report) : null })), null, 2)}\n`);
        if (!runs.length) return void process.stdout.write('no runs yet\n');
        process.stdout.write('run id                         scheme            status       trigger   started              read  written  skipped  rejected  failed\n');
        for (const r of runs) {
          const k = r.counts;
          process.stdout.write(
            `${r.id.padEnd(30)} ${padDisplay(r.scheme, 16)}  ${r.status.padEnd(11)}  ${r.trigger.padEnd(8)}  ${new Date(r.startedAt).toISOString().slice(0, 19)}  ${String(k.read).padStart(6)}  ${String(k.created + k.updated).padStart(7)}  ${String(k.skipped).padStart(7)}  ${String(k.rejected).padStart(8)}  ${String(k.failed).padStart(6)}${r.reason ? `\n    ${r.reason}` : ''}\n`,
          );
        }
      } finally {
        await store.close();
      }
    });
}
