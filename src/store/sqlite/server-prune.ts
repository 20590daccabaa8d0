import type Database from 'better-sqlite3';
import type { PruneCounts, PruneCutoffs } from '../../core/contracts/server-store.ts';

/** Rows deleted per statement: each batch is its own short transaction, so runs keep committing meanwhile. */
const BATCH = 2000;

/**
 * Retention of the server's logs in SQLite. Touches run_events, api_calls, api_stats, record_lineage, and (when
 * asked) old finished runs and their quality counts — never `ledger` or `checkpoints`. Freed pages are reused by
 * SQLite, so the file stops growing once the retention window is full (it does not shrink; VACUUM would).
 */
export function pruneServerLogs(db: Database.Database, c: PruneCutoffs): PruneCounts {
  const drain = (sql: string, ...args: unknown[]): number => {
    const st = db.prepare(sql);
    let n = 0;
    for (;;) {
      const changes = st.run(...args, BATCH).changes;
      n += changes;
      if (changes < BATCH) return n;
    }
  };
  const out: PruneCounts = {
    events: drain('DELETE FROM run_events WHERE seq IN (SELECT seq FROM run_events WHERE at < ? ORDER BY seq LIMIT ?)', c.events),
    apiCalls: drain('DELETE FROM api_calls WHERE seq IN (SELECT seq FROM api_calls WHERE at < ? ORDER BY at LIMIT ?)', c.apiCalls),
    apiStats: drain('DELETE FROM api_stats WHERE rowid IN (SELECT rowid FROM api_stats WHERE bucket_start < ? LIMIT ?)', c.apiCalls),
    lineage: drain('DELETE FROM record_lineage WHERE (scheme, source_id) IN (SELECT scheme, source_id FROM record_lineage WHERE updated_at < ? LIMIT ?)', c.lineage),
    runs: 0,
    qualityCounts: 0,
  };
  if (c.runs !== undefined) {
    const old = `SELECT id FROM runs r WHERE r.status <> 'running' AND r.started_at < ?
        AND r.id NOT IN (SELECT run_id FROM checkpoints)
        AND r.started_at < (SELECT MAX(started_at) FROM runs l WHERE l.scheme = r.scheme) LIMIT ?`;
    for (;;) {
      const ids = (db.prepare(old).all(c.runs, BATCH) as { id: string }[]).map((r) => r.id);
      if (!ids.length) break;
      db.transaction(() => {
        const marks = ids.map(() => '?').join(',');
        out.qualityCounts += db.prepare(`DELETE FROM quality_counts WHERE run_id IN (${marks})`).run(...ids).changes;
        out.runs += db.prepare(`DELETE FROM runs WHERE id IN (${marks})`).run(...ids).changes;
      })();
      if (ids.length < BATCH) break;
    }
  }
  return out;
}
