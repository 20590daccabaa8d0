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

  it('commits a page of any length in multi-row statements: every row stored, a repeated source id ends as its last row, unset fields kept', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ferry-sqlite-'));
    dirs.push(dir);
    const store = new SqliteStore(join(dir, 'ferry.sqlite'));
    const row = (i: number, extra: object = {}) => ({ scheme: 's', sourceId: `id${i}`, status: 'written' as const, runId: 'r1', updatedAt: i, targetId: `t${i}`, payloadHash: `h${i}`, ...extra });
    await store.commitPage([row(7)], null);
    // 250 rows: chunks of 100, 100 and 50; id7 appears three times, across chunks, and keeps its hash when the later rows send none.
    const rows = Array.from({ length: 248 }, (_, i) => row(i));
    rows.push(row(7, { payloadHash: null, targetId: 'second', detail: 'second' }), row(7, { payloadHash: null, targetId: null, detail: 'third', message: 'last' }));
    await store.commitPage(rows, { scheme: 's', stream: 'default', cursor: { page: 3 }, highWater: null, runId: 'r1', updatedAt: 1 });
    const all = await store.getLedger('s', Array.from({ length: 248 }, (_, i) => `id${i}`));
    expect(all.size).toBe(248);
    expect(all.get('id247')).toMatchObject({ targetId: 't247', payloadHash: 'h247', status: 'written' });
    expect(all.get('id7')).toMatchObject({ detail: 'third', message: 'last', targetId: 'second', payloadHash: 'h7' });
    expect((await store.getCheckpoint('s', 'default'))?.cursor).toEqual({ page: 3 });
    await store.close();
  });
});
