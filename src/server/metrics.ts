import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { emptyCounts, type RunCounts } from '../core/contracts/state-store.ts';
import type { RunEvent } from '../engine/events.ts';

/**
 * Prometheus metrics of the server (its own registry, so tests can build several servers). Fed from run
 * events: record counters move by the difference between successive `progress` counts of a run, so they are
 * live during a run and exact at its end. Labels are scheme, platform, connection and API names — never
 * record data or anything from a connection's settings.
 */
export class FerryMetrics {
  readonly registry = new Registry();
  private readonly records: Counter<'scheme' | 'outcome'>;
  private readonly apiCalls: Counter<'platform' | 'connection' | 'api' | 'ok'>;
  private readonly apiLatency: Histogram<'platform' | 'api'>;
  private readonly runs: Counter<'scheme' | 'status' | 'trigger'>;
  private readonly runDuration: Histogram<'scheme' | 'status'>;
  private readonly running: Gauge<'scheme'>;
  private readonly retries: Counter<'scheme'>;
  private readonly rejections: Counter<'scheme' | 'stage' | 'kind' | 'code'>;
  private readonly last = new Map<string, { scheme: string; trigger: string; counts: RunCounts }>();

  constructor(o: { defaultMetrics?: boolean } = {}) {
    const registers = [this.registry];
    if (o.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry, prefix: 'ferry_process_' });
    this.records = new Counter({ name: 'ferry_records_total', help: 'Records by outcome: read, created, updated, skipped, rejected, failed.', labelNames: ['scheme', 'outcome'], registers });
    this.apiCalls = new Counter({ name: 'ferry_api_calls_total', help: 'Vendor API calls.', labelNames: ['platform', 'connection', 'api', 'ok'], registers });
    this.apiLatency = new Histogram({
      name: 'ferry_api_call_duration_seconds',
      help: 'Latency of vendor API calls.',
      labelNames: ['platform', 'api'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.runs = new Counter({ name: 'ferry_runs_total', help: 'Finished runs by outcome.', labelNames: ['scheme', 'status', 'trigger'], registers });
    this.runDuration = new Histogram({
      name: 'ferry_run_duration_seconds',
      help: 'Duration of finished runs.',
      labelNames: ['scheme', 'status'],
      buckets: [1, 5, 15, 30, 60, 300, 900, 1800, 3600, 7200, 21600],
      registers,
    });
    this.running = new Gauge({ name: 'ferry_runs_running', help: 'Runs in progress.', labelNames: ['scheme'], registers });
    this.retries = new Counter({ name: 'ferry_retries_total', help: 'Retried vendor calls and rows.', labelNames: ['scheme'], registers });
    this.rejections = new Counter({
      name: 'ferry_rejections_total',
      help: 'Rejected records by reason: stage (mapping, quality, target), error kind, and the vendor\'s error code when it gave one.',
      labelNames: ['scheme', 'stage', 'kind', 'code'],
      registers,
    });
  }

  onEvent(e: RunEvent): void {
    switch (e.type) {
      case 'run.started':
        this.last.set(e.runId, { scheme: e.scheme, trigger: e.trigger, counts: emptyCounts() });
        this.running.inc({ scheme: e.scheme });
        // Exported from the first run on (at 0), so rate() and dashboards see the series before the first retry.
        this.retries.inc({ scheme: e.scheme }, 0);
        return;
      case 'progress':
        this.advance(e.runId, e.counts);
        return;
      case 'retry': {
        const r = this.last.get(e.runId);
        if (r) this.retries.inc({ scheme: r.scheme });
        return;
      }
      case 'record.rejected': {
        const r = this.last.get(e.runId);
        if (r) this.rejections.inc({ scheme: r.scheme, stage: e.stage, kind: e.error.kind, code: codeLabel(e.error.remote?.code) });
        return;
      }
      case 'api.call':
        this.apiCalls.inc({ platform: e.call.platform, connection: e.call.connection, api: e.call.api, ok: String(e.call.ok) });
        this.apiLatency.observe({ platform: e.call.platform, api: e.call.api }, e.call.durationMs / 1000);
        return;
      case 'run.finished': {
        const r = this.last.get(e.runId);
        this.advance(e.runId, e.counts);
        if (r) {
          this.runs.inc({ scheme: r.scheme, status: e.status, trigger: r.trigger });
          this.runDuration.observe({ scheme: r.scheme, status: e.status }, e.durationMs / 1000);
          this.running.dec({ scheme: r.scheme });
        }
        this.last.delete(e.runId);
        return;
      }
      default:
    }
  }

  private advance(runId: string, counts: RunCounts): void {
    const r = this.last.get(runId);
    if (!r) return;
    for (const k of ['read', 'created', 'updated', 'skipped', 'rejected', 'failed'] as const) {
      const d = counts[k] - r.counts[k];
      if (d > 0) this.records.inc({ scheme: r.scheme, outcome: k }, d);
    }
    r.counts = { ...counts };
  }

  async text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}

/** A vendor code as a label value: short codes as they are, anything else (free text) as `other`, so the label stays bounded. */
function codeLabel(code: string | undefined): string {
  if (code === undefined || code === '') return '';
  return /^[A-Za-z0-9_.:-]{1,32}$/.test(code) ? code : 'other';
}
