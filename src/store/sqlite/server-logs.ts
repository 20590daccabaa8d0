import type Database from 'better-sqlite3';
import type {
  ApiCallQuery,
  ApiCallRow,
  ApiStatBucket,
  EventQuery,
  LineageRow,
  QualityCount,
  RunEventRow,
  ThroughputBucket,
} from '../../core/contracts/server-store.ts';
import type { Row } from './rows.ts';
import { apiCallFromRow, eventFromRow, lineageFromRow, statFromRow } from './server-rows.ts';

/**
 * The log side of the server store: run events, API calls, latency statistics, lineage, quality counts and
 * throughput. Writes come in batches (one transaction each); reads are bounded by `limit`.
 */
export class ServerLogs {
  private readonly insEvent: Database.Statement;
  private readonly insCall: Database.Statement;
  private readonly getStat: Database.Statement;
  private readonly putStat: Database.Statement;
  private readonly putLineage: Database.Statement;
  private readonly addQuality: Database.Statement;

  constructor(private readonly db: Database.Database) {
    this.insEvent = db.prepare('INSERT INTO run_events (run_id, scheme, at, type, level, message, data) VALUES (@runId, @scheme, @at, @type, @level, @message, @data)');
    this.insCall = db.prepare(`INSERT INTO api_calls (run_id, scheme, at, platform, connection, api, endpoint, duration_ms, ok, status, code, message)
      VALUES (@runId, @scheme, @at, @platform, @connection, @api, @endpoint, @durationMs, @ok, @status, @code, @message)`);
    this.getStat = db.prepare('SELECT * FROM api_stats WHERE connection = ? AND api = ? AND bucket_start = ?');
    this.putStat = db.prepare(`INSERT OR REPLACE INTO api_stats (connection, platform, api, bucket_start, calls, errors, total_ms, hist)
      VALUES (@connection, @platform, @api, @bucketStart, @calls, @errors, @totalMs, @hist)`);
    this.putLineage = db.prepare(`INSERT INTO record_lineage (scheme, source_id, run_id, source_data, payload, response, target_id, updated_at)
      VALUES (@scheme, @sourceId, @runId, @sourceData, @payload, @response, @targetId, @updatedAt)
      ON CONFLICT (scheme, source_id) DO UPDATE SET run_id = excluded.run_id,
        source_data = COALESCE(excluded.source_data, record_lineage.source_data),
        payload = COALESCE(excluded.payload, record_lineage.payload),
        response = COALESCE(excluded.response, record_lineage.response),
        target_id = COALESCE(excluded.target_id, record_lineage.target_id), updated_at = excluded.updated_at`);
    this.addQuality = db.prepare(`INSERT INTO quality_counts (run_id, scheme, error_code, error_field, count) VALUES (@runId, @scheme, @errorCode, @errorField, @count)
      ON CONFLICT (run_id, error_code, error_field) DO UPDATE SET count = quality_counts.count + excluded.count`);
  }

  appendEvents(rows: RunEventRow[]): void {
    this.db.transaction(() => rows.forEach((r) => this.insEvent.run(r)))();
  }

  queryEvents(q: EventQuery): RunEventRow[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (q.runId) {
      where.push('run_id = ?');
      args.push(q.runId);
    }
    if (q.scheme) {
      where.push('scheme = ?');
      args.push(q.scheme);
    }
    if (q.type) {
      where.push('type = ?');
      args.push(q.type);
    }
    if (q.level) {
      where.push('level = ?');
      args.push(q.level);
    }
    if (q.search) {
      where.push("message LIKE ? ESCAPE '\\'");
      args.push(`%${likeEscape(q.search)}%`);
    }
    const sql = `SELECT * FROM run_events ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq ${q.runId ? 'ASC' : 'DESC'} LIMIT ? OFFSET ?`;
    return (this.db.prepare(sql).all(...args, q.limit ?? 200, q.offset ?? 0) as Row[]).map(eventFromRow);
  }

  appendApiCalls(rows: ApiCallRow[]): void {
    this.db.transaction(() => rows.forEach((r) => this.insCall.run({ ...r, ok: r.ok ? 1 : 0 })))();
  }

  queryApiCalls(q: ApiCallQuery): ApiCallRow[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (q.runId) {
      where.push('run_id = ?');
      args.push(q.runId);
    }
    if (q.connection) {
      where.push('connection = ?');
      args.push(q.connection);
    }
    if (q.api) {
      where.push('api = ?');
      args.push(q.api);
    }
    if (q.ok !== undefined) {
      where.push('ok = ?');
      args.push(q.ok ? 1 : 0);
    }
    if (q.since !== undefined) {
      where.push('at >= ?');
      args.push(q.since);
    }
    if (q.search) {
      where.push("(message LIKE ? ESCAPE '\\' OR api LIKE ? ESCAPE '\\' OR endpoint LIKE ? ESCAPE '\\' OR code = ?)");
      const like = `%${likeEscape(q.search)}%`;
      args.push(like, like, like, q.search);
    }
    const sql = `SELECT * FROM api_calls ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq ${q.runId ? 'ASC' : 'DESC'} LIMIT ? OFFSET ?`;
    return (this.db.prepare(sql).all(...args, q.limit ?? 200, q.offset ?? 0) as Row[]).map(apiCallFromRow);
  }

  addApiStats(buckets: ApiStatBucket[]): void {
    this.db.transaction(() => {
      for (const b of buckets) {
        const old = this.getStat.get(b.connection, b.api, b.bucketStart) as Row | undefined;
        const prev = old ? statFromRow(old) : undefined;
        const hist = b.hist.map((n, i) => n + (prev?.hist[i] ?? 0));
        this.putStat.run({
          connection: b.connection,
          platform: b.platform,
          api: b.api,
          bucketStart: b.bucketStart,
          calls: b.calls + (prev?.calls ?? 0),
          errors: b.errors + (prev?.errors ?? 0),
          totalMs: Math.round(b.totalMs + (prev?.totalMs ?? 0)),
          hist: JSON.stringify(hist),
        });
      }
    })();
  }

  queryApiStats(q: { since: number; connection?: string }): ApiStatBucket[] {
    const rows = q.connection
      ? this.db.prepare('SELECT * FROM api_stats WHERE bucket_start >= ? AND connection = ? ORDER BY bucket_start').all(q.since, q.connection)
      : this.db.prepare('SELECT * FROM api_stats WHERE bucket_start >= ? ORDER BY bucket_start').all(q.since);
    return (rows as Row[]).map(statFromRow);
  }

  saveLineage(rows: LineageRow[]): void {
    this.db.transaction(() => rows.forEach((r) => this.putLineage.run(r)))();
  }

  getLineage(scheme: string, sourceId: string): LineageRow | undefined {
    const r = this.db.prepare('SELECT * FROM record_lineage WHERE scheme = ? AND source_id = ?').get(scheme, sourceId) as Row | undefined;
    return r ? lineageFromRow(r) : undefined;
  }

  addQualityCounts(rows: QualityCount[]): void {
    this.db.transaction(() => rows.forEach((r) => this.addQuality.run(r)))();
  }

  qualitySummary(q: { scheme: string; runId?: string; since?: number }): { errorCode: string; errorField: string; count: number }[] {
    const rows = q.runId
      ? this.db.prepare('SELECT error_code, error_field, SUM(count) n FROM quality_counts WHERE scheme = ? AND run_id = ? GROUP BY error_code, error_field ORDER BY n DESC').all(q.scheme, q.runId)
      : this.db
          .prepare(
            `SELECT q.error_code, q.error_field, SUM(q.count) n FROM quality_counts q JOIN runs r ON r.id = q.run_id
             WHERE q.scheme = ? AND r.started_at >= ? GROUP BY q.error_code, q.error_field ORDER BY n DESC`,
          )
          .all(q.scheme, q.since ?? 0);
    return (rows as Row[]).map((r) => ({ errorCode: String(r.error_code), errorField: String(r.error_field), count: Number(r.n) }));
  }

  throughput(q: { since: number; bucketMs: number; scheme?: string }): ThroughputBucket[] {
    const rows = (
      q.scheme
        ? this.db.prepare('SELECT started_at, status, counts FROM runs WHERE started_at >= ? AND scheme = ?').all(q.since, q.scheme)
        : this.db.prepare('SELECT started_at, status, counts FROM runs WHERE started_at >= ?').all(q.since)
    ) as Row[];
    const out = new Map<number, ThroughputBucket>();
    for (const r of rows) {
      const start = Math.floor(Number(r.started_at) / q.bucketMs) * q.bucketMs;
      const b = out.get(start) ?? { bucketStart: start, runs: 0, failedRuns: 0, read: 0, written: 0, rejected: 0, failed: 0 };
      const k = JSON.parse(String(r.counts)) as Record<string, number>;
      b.runs++;
      if (r.status === 'failed' || r.status === 'aborted' || r.status === 'interrupted') b.failedRuns++;
      b.read += k.read ?? 0;
      b.written += (k.created ?? 0) + (k.updated ?? 0);
      b.rejected += k.rejected ?? 0;
      b.failed += k.failed ?? 0;
      out.set(start, b);
    }
    return [...out.values()].sort((a, b) => a.bucketStart - b.bucketStart);
  }

  listRunningRuns(): { id: string; scheme: string; owner: string | null }[] {
    return (this.db.prepare("SELECT id, scheme, owner FROM runs WHERE status = 'running'").all() as Row[]).map((r) => ({
      id: String(r.id),
      scheme: String(r.scheme),
      owner: r.owner == null ? null : String(r.owner),
    }));
  }
}

function likeEscape(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}
