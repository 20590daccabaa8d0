import type { ApiCallEvent } from '../../core/contracts/platform.ts';
import type { AlertFacts } from './types.ts';
import type { AlertRule, RuleOf } from './rule-schema.ts';
import { ANOMALY_MIN_DELTA, ANOMALY_MIN_SAMPLE, ruleCoversScheme, type AnomalyMetric } from './rule-schema.ts';
import { processedOf, type FinishedRun, type RunActivity } from './activity.ts';
import { WindowCounter } from './window-counter.ts';

/**
 * Turns observations into signals, per rule type. Pure and synchronous: no I/O, time passed in.
 *
 * A `fire` signal carries an `occurrence` — what makes this sighting new: the run id for run-based
 * rules, the time slice for state-based ones (api error rate: one per window; no-records: one per N
 * hours; long run: one per multiple of the limit). The engine emits a fire only when the occurrence
 * changed for that condition, so a condition that keeps holding is re-signalled at that pace, and
 * the service's silence window decides whether a re-signal is sent or suppressed.
 */
export type Signal =
  | { kind: 'fire'; rule: AlertRule; scheme?: string; conditionKey: string; occurrence: string; runId?: string; facts: AlertFacts; at: number }
  | { kind: 'resolve'; rule: AlertRule; scheme?: string; conditionKey: string; runId?: string; at: number };

/** The de-duplication identity: rule + scheme + condition key. */
export function incidentKey(ruleId: string, scheme: string | undefined, conditionKey: string): string {
  return `${ruleId}|${scheme ?? '*'}|${conditionKey}`;
}

interface ApiGroup {
  counter: WindowCounter;
  connection: string;
  api?: string;
  lastError?: string;
  lastRunId?: string;
  schemes: Set<string>;
}

const HOUR = 3600_000;
const MINUTE = 60_000;

export class ConditionEngine {
  /** Per api_error_rate rule: its counters per connection (+ API). Reset when the rule's window changes. */
  private readonly apiGroups = new Map<string, { windowMs: number; groups: Map<string, ApiGroup> }>();
  /** Last fired occurrence per incident key; cleared by a resolve. */
  private readonly emitted = new Map<string, string>();

  constructor(
    readonly activity: RunActivity,
    /** Baseline for no-records when a listed scheme was never seen (service start). */
    private readonly startedAt: number,
  ) {}

  runFinished(run: FinishedRun, rules: readonly AlertRule[]): Signal[] {
    const out: Signal[] = [];
    for (const rule of rules) {
      if (!rule.enabled || !ruleCoversScheme(rule, run.scheme)) continue;
      const at = run.at;
      const scheme = run.scheme;
      switch (rule.type) {
        case 'run_failed':
          if ((rule.statuses as string[]).includes(run.status)) {
            out.push(this.fire({ rule, scheme, conditionKey: 'run', occurrence: run.runId, runId: run.runId, at, facts: { type: 'run_failed', status: run.status, counts: run.counts, ...(run.reason ? { reason: run.reason } : {}), ...(run.durationMs !== undefined ? { durationMs: run.durationMs } : {}) } }));
          } else if (run.status === 'succeeded' || run.status === 'partial') out.push(this.resolve({ rule, scheme, conditionKey: 'run', runId: run.runId, at }));
          break;
        case 'rejection_rate':
          out.push(...this.rejectionRate(rule, run));
          break;
        case 'no_records':
          if ((run.status === 'succeeded' || run.status === 'partial') && run.counts.read > 0) out.push(this.resolve({ rule, scheme, conditionKey: 'no-records', runId: run.runId, at }));
          break;
        case 'long_run':
          out.push(this.resolve({ rule, scheme, conditionKey: run.runId, runId: run.runId, at }));
          break;
        case 'api_error_rate':
          break;
        case 'anomaly':
          out.push(...this.anomaly(rule, run));
          break;
      }
    }
    return out.filter((s) => s.kind === 'resolve' || this.isNew(s));
  }

  apiCall(call: ApiCallEvent, runId: string, scheme: string | undefined, at: number, rules: readonly AlertRule[]): Signal[] {
    const out: Signal[] = [];
    for (const rule of rules) {
      if (rule.type !== 'api_error_rate' || !rule.enabled || !ruleCoversScheme(rule, scheme)) continue;
      if (rule.connections && !rule.connections.includes(call.connection)) continue;
      const groups = this.groupsOf(rule);
      const gkey = rule.groupBy === 'api' ? `${call.connection}/${call.api}` : call.connection;
      let g = groups.get(gkey);
      if (!g) {
        g = { counter: new WindowCounter(rule.windowMinutes * MINUTE), connection: call.connection, ...(rule.groupBy === 'api' ? { api: call.api } : {}), schemes: new Set() };
        groups.set(gkey, g);
      }
      g.counter.add(at, call.ok);
      if (scheme) g.schemes.add(scheme);
      g.lastRunId = runId;
      if (!call.ok) g.lastError = [call.status ? `HTTP ${call.status}` : '', call.code ?? '', call.message ?? ''].filter(Boolean).join(' ').slice(0, 300);
      const sig = this.apiVerdict(rule, gkey, g, at);
      if (sig) out.push(sig);
    }
    return out.filter((s) => s.kind === 'resolve' || this.isNew(s));
  }

  /** Time-driven checks: long runs, no records, api windows that emptied. */
  tick(now: number, rules: readonly AlertRule[]): Signal[] {
    const out: Signal[] = [];
    for (const rule of rules) {
      if (!rule.enabled) continue;
      if (rule.type === 'long_run') {
        const limit = rule.maxMinutes * MINUTE;
        for (const r of this.activity.running.values()) {
          if (!ruleCoversScheme(rule, r.scheme) || now - r.startedAt <= limit) continue;
          const elapsedMs = now - r.startedAt;
          out.push(this.fire({ rule, scheme: r.scheme, conditionKey: r.runId, occurrence: `${r.runId}#${Math.floor(elapsedMs / limit)}`, runId: r.runId, at: now, facts: { type: 'long_run', startedAt: r.startedAt, elapsedMs, maxMinutes: rule.maxMinutes, ...(r.counts ? { counts: r.counts } : {}) } }));
        }
      } else if (rule.type === 'no_records') {
        out.push(...this.noRecords(rule, now));
      } else if (rule.type === 'api_error_rate') {
        for (const [gkey, g] of this.groupsOf(rule)) {
          const sig = this.apiVerdict(rule, gkey, g, now);
          if (sig?.kind === 'resolve') out.push(sig);
        }
      }
    }
    return out.filter((s) => s.kind === 'resolve' || this.isNew(s));
  }

  /** Forget per-rule state (rule deleted or edited). */
  forgetRule(ruleId: string): void {
    this.apiGroups.delete(ruleId);
    for (const k of [...this.emitted.keys()]) if (k.startsWith(`${ruleId}|`)) this.emitted.delete(k);
  }

  private rejectionRate(rule: RuleOf<'rejection_rate'>, run: FinishedRun): Signal[] {
    const runs = this.activity.finishedSince(run.scheme, run.at - rule.windowMinutes * MINUTE);
    let processed = 0;
    let rejected = 0;
    for (const r of runs) {
      processed += processedOf(r.counts);
      rejected += r.counts.rejected;
    }
    if (processed < rule.minRecords) return [];
    const ratePercent = (rejected / processed) * 100;
    const base = { rule, scheme: run.scheme, conditionKey: 'rejection-rate', runId: run.runId, at: run.at };
    if (ratePercent <= rule.thresholdPercent) return [this.resolve(base)];
    return [this.fire({ ...base, occurrence: run.runId, facts: { type: 'rejection_rate', ratePercent, thresholdPercent: rule.thresholdPercent, rejected, processed, runs: runs.length, windowMinutes: rule.windowMinutes } })];
  }

  /**
   * The run's value against the median of the scheme's last N earlier runs that count (succeeded or
   * partial, right trigger, enough sample). Quiet — no signal at all — until `minHistory` such runs exist.
   */
  private anomaly(rule: RuleOf<'anomaly'>, run: FinishedRun): Signal[] {
    if (!anomalyCounts(rule, run)) return [];
    const value = metricOf(rule.metric, run, minSampleOf(rule));
    if (value === undefined) return [];
    const s = this.activity.schemes.get(run.scheme);
    const earlier = (s?.finished ?? []).filter((r) => r.runId !== run.runId && anomalyCounts(rule, r));
    const values: number[] = [];
    for (let i = earlier.length - 1; i >= 0 && values.length < rule.lookbackRuns; i--) {
      const v = metricOf(rule.metric, earlier[i]!, minSampleOf(rule));
      if (v !== undefined) values.push(v);
    }
    if (values.length < rule.minHistory) return [];
    const median = medianOf(values);
    const minDelta = rule.minDelta ?? ANOMALY_MIN_DELTA[rule.metric];
    const base = { rule, scheme: run.scheme, conditionKey: `anomaly:${rule.metric}`, runId: run.runId, at: run.at };
    const zero = rule.metric === 'records_read' && value === 0 && median > 0;
    let direction: 'below' | 'above' | undefined;
    let thresholdRatio = 0;
    if (rule.metric === 'records_read' && rule.belowRatio !== null && (zero || (value < median * rule.belowRatio && median - value >= minDelta))) {
      direction = 'below';
      thresholdRatio = rule.belowRatio;
    } else if (rule.aboveRatio !== null && value > median * rule.aboveRatio && value - median >= minDelta) {
      direction = 'above';
      thresholdRatio = rule.aboveRatio;
    }
    if (!direction) return [this.resolve(base)];
    return [this.fire({ ...base, occurrence: run.runId, facts: { type: 'anomaly', metric: rule.metric, direction, value, median, thresholdRatio, history: values.length, lookbackRuns: rule.lookbackRuns, ...(zero ? { zero: true } : {}), counts: run.counts } })];
  }

  private noRecords(rule: RuleOf<'no_records'>, now: number): Signal[] {
    const limit = rule.hours * HOUR;
    const names = rule.schemes === 'all' ? [...this.activity.schemes.keys()] : rule.schemes;
    const out: Signal[] = [];
    for (const scheme of names) {
      const s = this.activity.schemes.get(scheme);
      const since = s?.lastRecordsAt ?? Math.min(s?.firstSeenAt ?? this.startedAt, this.startedAt);
      const quiet = now - since;
      if (quiet <= limit) continue;
      out.push(this.fire({
        rule, scheme, conditionKey: 'no-records', occurrence: String(Math.floor(quiet / limit)), at: now,
        ...(s?.lastRunId ? { runId: s.lastRunId } : {}),
        facts: { type: 'no_records', hours: rule.hours, ...(s?.lastRecordsAt ? { lastRecordsAt: s.lastRecordsAt } : {}), ...(s?.lastRunAt ? { lastRunAt: s.lastRunAt } : {}), ...(s?.lastRunStatus ? { lastRunStatus: s.lastRunStatus } : {}) },
      }));
    }
    return out;
  }

  private apiVerdict(rule: RuleOf<'api_error_rate'>, gkey: string, g: ApiGroup, at: number): Signal | undefined {
    const { calls, errors } = g.counter.totals(at);
    const conditionKey = `api:${gkey}`;
    if (calls === 0) return this.resolve({ rule, conditionKey, at });
    if (calls < rule.minCalls) return undefined;
    const ratePercent = (errors / calls) * 100;
    if (ratePercent <= rule.thresholdPercent) return this.resolve({ rule, conditionKey, at });
    return this.fire({
      rule, conditionKey, occurrence: String(Math.floor(at / g.counter.windowMs)), at,
      ...(g.lastRunId ? { runId: g.lastRunId } : {}),
      facts: { type: 'api_error_rate', connection: g.connection, ...(g.api ? { api: g.api } : {}), calls, errors, ratePercent, thresholdPercent: rule.thresholdPercent, windowMinutes: rule.windowMinutes, ...(g.lastError ? { lastError: g.lastError } : {}), schemes: [...g.schemes].sort() },
    });
  }

  private groupsOf(rule: RuleOf<'api_error_rate'>): Map<string, ApiGroup> {
    const windowMs = rule.windowMinutes * MINUTE;
    let entry = this.apiGroups.get(rule.id);
    if (!entry || entry.windowMs !== windowMs) {
      entry = { windowMs, groups: new Map() };
      this.apiGroups.set(rule.id, entry);
    }
    return entry.groups;
  }

  private fire(s: Omit<Extract<Signal, { kind: 'fire' }>, 'kind'>): Signal {
    return { kind: 'fire', ...s };
  }

  private resolve(s: Omit<Extract<Signal, { kind: 'resolve' }>, 'kind'>): Signal {
    this.emitted.delete(incidentKey(s.rule.id, s.scheme, s.conditionKey));
    return { kind: 'resolve', ...s };
  }

  /** True (and remembered) when this fire's occurrence differs from the last one emitted for its key. */
  private isNew(s: Signal): boolean {
    if (s.kind !== 'fire') return true;
    const key = incidentKey(s.rule.id, s.scheme, s.conditionKey);
    if (this.emitted.get(key) === s.occurrence) return false;
    this.emitted.set(key, s.occurrence);
    return true;
  }
}

/** A run that ended normally and matches the rule's triggers: judged, and part of the history. */
function anomalyCounts(rule: RuleOf<'anomaly'>, r: FinishedRun): boolean {
  if (r.status !== 'succeeded' && r.status !== 'partial') return false;
  return !rule.triggers || (r.trigger !== undefined && rule.triggers.includes(r.trigger));
}

function minSampleOf(rule: RuleOf<'anomaly'>): number {
  return rule.minSample ?? ANOMALY_MIN_SAMPLE[rule.metric];
}

/** The run's number for a metric, or undefined when the run has too little to say (or this process did not see its calls). */
function metricOf(metric: AnomalyMetric, r: FinishedRun, minSample: number): number | undefined {
  if (metric === 'records_read') return r.counts.read;
  if (metric === 'rejection_rate') {
    const processed = processedOf(r.counts);
    return processed > 0 && processed >= minSample ? (r.counts.rejected / processed) * 100 : undefined;
  }
  const calls = r.apiCalls ?? 0;
  return calls > 0 && calls >= minSample ? (r.apiMs ?? 0) / calls : undefined;
}

function medianOf(values: number[]): number {
  const v = [...values].sort((a, b) => a - b);
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
}
