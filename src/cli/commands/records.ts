import { InvalidArgumentError, type Command } from 'commander';
import type { LedgerStatus } from '../../core/contracts/state-store.ts';
import { dataDir, stateFile } from '../data-dir.ts';
import { SqliteStore } from '../../store/sqlite/sqlite-store.ts';

const STATUSES: LedgerStatus[] = ['written', 'skipped', 'rejected', 'failed'];

export function registerRecords(program: Command): void {
  program
    .command('records')
    .description('show the record ledger of a scheme: what happened to each source record, and why')
    .argument('<scheme>', 'scheme name')
    .option('-s, --status <status>', `only records with this status (${STATUSES.join(', ')})`, (v) => {
      if (!STATUSES.includes(v as LedgerStatus)) throw new InvalidArgumentError(`must be one of ${STATUSES.join(', ')}`);
      return v;
    })
    .option('--search <text>', 'source id, source number or target number')
    .option('-d, --data <dir>', 'data directory')
    .option('-n, --limit <n>', 'how many', '50')
    .option('--json', 'print JSON (with source and mapped payloads of rejected records)')
    .action(async (scheme: string, o: { status?: LedgerStatus; search?: string; data?: string; limit: string; json?: boolean }) => {
      const store = new SqliteStore(stateFile(dataDir(o.data)));
      try {
        const rows = await store.queryLedger({ scheme, ...(o.status ? { status: o.status } : {}), ...(o.search ? { search: o.search } : {}), limit: Number(o.limit) || 50 });
        if (o.json) return void process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
        const counts = await store.countLedger(scheme);
        process.stdout.write(`scheme "${scheme}": written ${counts.written}, skipped ${counts.skipped}, rejected ${counts.rejected}, failed ${counts.failed}\n`);
        for (const r of rows)
          process.stdout.write(
            `${r.status.padEnd(8)} ${(r.detail ?? '').padEnd(9)} source ${r.sourceNumber ?? ''} (id ${r.sourceId}) → target ${r.targetNumber ?? '-'} (id ${r.targetId ?? '-'})  run ${r.runId}${r.message ? `\n         ${r.errorCode ? `[${r.errorCode}] ` : ''}${r.errorField ? `${r.errorField}: ` : ''}${r.message}` : ''}\n`,
          );
      } finally {
        await store.close();
      }
    });
}
