import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteStore } from './sqlite-store.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('SqliteStore', () => {
  it('pages a run\'s ledger by an index range (no scan, no sort), so the reconciliation is linear', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ferry-sqlite-'));
    dirs.push(dir);
    const file = join(dir, 'ferry.sqlite');
    await new SqliteStore(file).close();
    const db = new Database(file, { readonly: true });
    const plan = (sql: string) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all('s', 'r', 'written', 'a', 500) as { detail: string }[]).map((r) => r.detail).join('; ');
    const p = plan('SELECT source_id, target_number FROM ledger WHERE scheme = ? AND run_id = ? AND status = ? AND source_id > ? ORDER BY source_id LIMIT ?');
    db.close();
    expect(p).toMatch(/SEARCH ledger USING COVERING INDEX ledger_run_status_source/);
    expect(p).not.toMatch(/TEMP B-TREE/);
  });
});
