import Database from 'better-sqlite3';
import { chmodSync, existsSync, renameSync, rmSync, statSync } from 'node:fs';

export interface BackupSummary {
  file: string;
  bytes: number;
  users: number;
  runs: number;
  ledgerRows: number;
}

/**
 * A consistent copy of a ferry SQLite database, taken with SQLite's online backup API while other connections
 * (a running `ferry serve`, a run) keep writing: every remaining page is copied in one step, inside one read
 * transaction, so the copy is the database as of one commit — never half a page commit. The copy is checked
 * (`PRAGMA integrity_check`), made a self-contained file (rollback journal, no -wal beside it), mode 0600 (it holds
 * password hashes and customer data), and only then renamed to `target`.
 */
export async function backupSqlite(source: string, target: string, o: { overwrite?: boolean } = {}): Promise<BackupSummary> {
  if (!existsSync(source)) throw new Error(`${source} does not exist`);
  if (existsSync(target) && !o.overwrite) throw new Error(`${target} exists (give another file name, or --force to replace it)`);
  const partial = `${target}.partial-${process.pid}`;
  rmSync(partial, { force: true });
  const db = new Database(source, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    // The first step copies nothing (better-sqlite3 starts at 0); the progress callback then asks for all pages at once.
    await db.backup(partial, { progress: () => 0x7fffffff });
  } catch (err) {
    rmSync(partial, { force: true });
    throw err;
  } finally {
    db.close();
  }
  try {
    chmodSync(partial, 0o600);
    const copy = new Database(partial, { fileMustExist: true });
    let summary: Omit<BackupSummary, 'file' | 'bytes'>;
    try {
      copy.pragma('journal_mode = DELETE');
      const check = copy.pragma('integrity_check', { simple: true });
      if (check !== 'ok') throw new Error(`the copy fails SQLite's integrity check: ${String(check)}`);
      const count = (table: string) => {
        const exists = copy.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table);
        return exists ? Number((copy.prepare(`SELECT COUNT(*) n FROM ${table}`).get() as { n: number }).n) : 0;
      };
      summary = { users: count('users'), runs: count('runs'), ledgerRows: count('ledger') };
    } finally {
      copy.close();
    }
    renameSync(partial, target);
    return { file: target, bytes: statSync(target).size, ...summary };
  } catch (err) {
    rmSync(partial, { force: true });
    throw err;
  }
}
