import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { backupSqlite, type BackupSummary } from '../../store/sqlite/backup.ts';
import { stateFile } from '../data-dir.ts';
import { UserError } from '../user-error.ts';

/** `ferry admin backup FILE`: the data directory's database (users, connections, schemes, runs, ledger, events). */
export async function backupDataDir(dir: string, file: string, overwrite = false): Promise<BackupSummary> {
  const source = stateFile(dir);
  if (!existsSync(source)) throw new UserError(`no ferry database in ${dir} (${source} does not exist); give the data directory of ferry serve with --data`);
  const target = resolve(file);
  if (target === resolve(source)) throw new UserError('the backup file cannot be the database itself');
  try {
    return await backupSqlite(source, target, { overwrite });
  } catch (err) {
    throw new UserError(`backup failed: ${(err as Error).message}`);
  }
}
