import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Makes a database (or log) file private to the process's user before it is opened: its directory is
 * created 0700, the file itself 0600 — created empty with that mode when new, tightened when it exists
 * (a file made by an older version). SQLite creates `-wal`, `-shm` and `-journal` files with the database
 * file's own permissions, so they are 0600 too; existing ones are tightened here as well.
 */
export function preparePrivateFile(file: string): void {
  if (file === ':memory:' || file === '') return;
  const dir = dirname(file);
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true, mode: 0o700 });
  closeSync(openSync(file, 'a', 0o600));
  for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) tighten(f);
}

function tighten(file: string): void {
  try {
    if (statSync(file).mode & 0o077) chmodSync(file, 0o600);
  } catch {
    // absent (or not ours to change): nothing to tighten
  }
}
