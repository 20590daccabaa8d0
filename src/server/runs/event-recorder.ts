import { LATENCY_BOUNDS_MS, type ApiCallRow, type ApiStatBucket, type EventLevel, type RunEventRow, type ServerStore } from '../../core/contracts/server-store.ts';
import type { RunEvent } from '../../engine/events.ts';
import { describeEvent } from './describe-event.ts';

/** Per-run caps of what is stored one by one; beyond them only counts (and the end-of-run summary) remain. */
export const RECORD_LIMITS = { rejections: 1000, retries: 500, pages: 200, okCalls: 2000, failedCalls: 5000 };

interface RunTally {
  scheme: string;
  rejections: number;
  retries: number;
  pages: number;
  committed: number;
  batches: number;
  batchMs: number;
  okCalls: number;
  failedCalls: number;
}

/**
 * Turns run events into the server's logs: the run event log (start, windows, page commits, retries,
 * rejections, the finish with a summary), the per-run API call log, and hourly API latency buckets
 * (calls, errors, histogram) for the API asset view. Buffered and written in one batch per flush
 * (every second and at the end of every run), so a run's hot path never waits on these tables.
 */
export class EventRecorder {
  private events: RunEventRow[] = [];
  private calls: ApiCallRow[] = [];
  private stats = new Map<string, ApiStatBucket>();
  private readonly runs = new Map<string, RunTally>();
  private readonly timer: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: ServerStore,
    private readonly redact: () => (s: string) => string,
    private readonly onError: (err: unknown) => void = () => {},
    flushEveryMs = 1000,
  ) {
    this.timer = setInterval(() => void this.flush(), flushEveryMs);
    this.timer.unref();
  }

  onEvent(e: RunEvent): void {
    if (e.type === 'run.started') this.runs.set(e.runId, { scheme: e.scheme, rejections: 0, retries: 0, pages: 0, committed: 0, batches: 0, batchMs: 0, okCalls: 0, failedCalls: 0 });
    const t = this.runs.get(e.runId);
    if (!t) return;
    switch (e.type) {
      case 'progress':
      case 'page.read':
        if (e.type === 'page.read') t.pages++;
        return;
      case 'page.committed':
        if (++t.committed <= RECORD_LIMITS.pages) this.push(e, t, 'info');
        return;
      case 'batch.written':
        t.batches++;
        t.batchMs += e.durationMs;
        return;
      case 'record.rejected':
        if (++t.rejections <= RECORD_LIMITS.rejections) this.push(e, t, 'warn');
        return;
      case 'read.warning':
        this.push(e, t, 'warn');
        return;
      case 'record.duplicate':
        if (++t.rejections <= RECORD_LIMITS.rejections) this.push(e, t, 'warn');
        return;
      case 'retry':
        if (++t.retries <= RECORD_LIMITS.retries) this.push(e, t, 'warn');
        return;
      case 'api.call':
        this.addCall(e.runId, t, e.call);
        return;
      case 'run.finished':
        this.push(e, t, e.status === 'succeeded' ? 'info' : e.status === 'partial' ? 'warn' : 'error', {
          pagesRead: t.pages,
          pagesCommitted: t.committed,
          batches: t.batches,
          avgBatchMs: t.batches ? Math.round(t.batchMs / t.batches) : 0,
          rejectionsNotLogged: Math.max(0, t.rejections - RECORD_LIMITS.rejections),
          retriesNotLogged: Math.max(0, t.retries - RECORD_LIMITS.retries),
          callsNotLogged: Math.max(0, t.okCalls - RECORD_LIMITS.okCalls) + Math.max(0, t.failedCalls - RECORD_LIMITS.failedCalls),
        });
        this.runs.delete(e.runId);
        void this.flush();
        return;
      default:
        this.push(e, t, 'info');
    }
  }

  private push(e: RunEvent, t: RunTally, level: EventLevel, extra?: Record<string, unknown>): void {
    const redact = this.redact();
    const { message, data } = describeEvent(e);
    this.events.push({
      runId: e.runId,
      scheme: t.scheme,
      at: 'at' in e ? e.at : Date.now(),
      type: e.type,
      level,
      message: redact(message),
      data: redact(JSON.stringify(extra ? { ...data, ...extra } : data)),
    });
  }

  private addCall(runId: string, t: RunTally, c: Extract<RunEvent, { type: 'api.call' }>['call']): void {
    const keepOne = c.ok ? ++t.okCalls <= RECORD_LIMITS.okCalls : ++t.failedCalls <= RECORD_LIMITS.failedCalls;
    const redact = this.redact();
    if (keepOne)
      this.calls.push({
        runId,
        scheme: t.scheme,
        at: c.startedAt,
        platform: c.platform,
        connection: c.connection,
        api: c.api,
        endpoint: redact(c.endpoint),
        durationMs: Math.round(c.durationMs),
        ok: c.ok,
        status: c.status ?? null,
        code: c.code ?? null,
        message: c.message ? redact(c.message) : null,
      });
    const hour = Math.floor(c.startedAt / 3600_000) * 3600_000;
    const key = `${c.connection}\u0000${c.api}\u0000${hour}`;
    const b = this.stats.get(key) ?? { connection: c.connection, platform: c.platform, api: c.api, bucketStart: hour, calls: 0, errors: 0, totalMs: 0, hist: new Array<number>(LATENCY_BOUNDS_MS.length + 1).fill(0) };
    b.calls++;
    if (!c.ok) b.errors++;
    b.totalMs += c.durationMs;
    const i = LATENCY_BOUNDS_MS.findIndex((ub) => c.durationMs <= ub);
    b.hist[i < 0 ? LATENCY_BOUNDS_MS.length : i]!++;
    this.stats.set(key, b);
  }

  /** Writes what is buffered. Flushes never overlap; errors go to `onError` (the run is not affected). */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      const events = this.events;
      const calls = this.calls;
      const stats = [...this.stats.values()];
      this.events = [];
      this.calls = [];
      this.stats = new Map();
      try {
        await this.store.appendEvents(events);
        await this.store.appendApiCalls(calls);
        await this.store.addApiStats(stats);
      } catch (err) {
        this.onError(err);
      }
    });
    return this.flushing;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
