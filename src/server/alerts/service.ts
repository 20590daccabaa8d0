import { randomUUID } from 'node:crypto';
import type { Transporter } from 'nodemailer';
import type { Clock } from '../../core/policy/rate-limiter.ts';
import { systemClock } from '../../core/policy/rate-limiter.ts';
import type { RunCounts, RunStatus } from '../../core/contracts/state-store.ts';
import type { RunEvent } from '../../engine/events.ts';
import type { AlertStore } from './alert-store.ts';
import { RunActivity, type PrimeRun } from './activity.ts';
import { ConditionEngine, incidentKey, type Signal } from './conditions.ts';
import { activeSilence, decideFire } from './dedup.ts';
import { DEFAULT_DELIVERY, type DeliveryPolicy } from './delivery.ts';
import { Dispatcher, silentLogger, type AlertLogger } from './dispatcher.ts';
import type { MailServerOptions } from './channels/driver.ts';
import { AlertConfig } from './alert-config.ts';
import type { Alert, AlertLanguage, AlertSilence } from './types.ts';

export interface AlertServiceOptions {
  store: AlertStore;
  /** Injected time: `now` for windows and history, `sleep` for delivery backoff. */
  clock?: Clock;
  fetch?: typeof fetch;
  /** Console base URL for links in messages, e.g. "https://ferry.example.com". No links when absent. */
  consoleBaseUrl?: string;
  /** Override the console paths (defaults: the console's `#/runs/<id>` and `#/schemes/<name>` under consoleBaseUrl). */
  links?: { run?: (runId: string, scheme?: string) => string; scheme?: (scheme: string) => string };
  /** Default message language (channels may override). Default zh-CN. */
  language?: AlertLanguage;
  /** Time zone of times in messages. Default Asia/Shanghai. */
  timeZone?: string;
  delivery?: Partial<DeliveryPolicy>;
  mailTransport?: (o: MailServerOptions) => Transporter;
  log?: AlertLogger;
  /** History older than this is pruned by `tick`. Default 90. */
  historyRetentionDays?: number;
}

/** What `onRunFinished` needs from a RunReport (the engine's report satisfies it). */
export interface RunFinishedInput {
  runId: string;
  scheme: string;
  status: RunStatus;
  reason?: string;
  durationMs?: number;
  counts: RunCounts;
  /** How the run was started, when the caller knows (else taken from its run.started event). */
  trigger?: string;
}

/**
 * Alerting: watches run events, evaluates rules, de-duplicates, delivers to channels, keeps history.
 *
 * Inputs are synchronous and cheap (`onRunEvent` can be the engine's event sink); evaluation results
 * are processed in order on an internal queue and deliveries run in the background — `idle()` waits
 * for both. Rules, channels, silences and the test-send live in `config` (AlertConfig), which the
 * HTTP routes call.
 */
export class AlertService {
  readonly config: AlertConfig;
  private readonly clock: Clock;
  private readonly activity = new RunActivity();
  private readonly engine: ConditionEngine;
  private readonly dispatcher: Dispatcher;
  private readonly log: AlertLogger;
  private readonly openKeys = new Set<string>();
  private readonly pendingFinish = new Map<string, Extract<RunEvent, { type: 'run.finished' }>>();
  private readonly background = new Set<Promise<unknown>>();
  private readonly abort = new AbortController();
  private queue: Promise<void> = Promise.resolve();
  private lastPrune = 0;
  private ticker: NodeJS.Timeout | undefined;
  private readonly createdAt: number;

  private constructor(private readonly opts: AlertServiceOptions) {
    this.clock = opts.clock ?? systemClock;
    this.log = opts.log ?? silentLogger;
    this.createdAt = this.clock.now();
    this.engine = new ConditionEngine(this.activity, this.createdAt);
    this.dispatcher = new Dispatcher({
      store: opts.store,
      clock: this.clock,
      fetch: opts.fetch ?? globalThis.fetch,
      policy: { ...DEFAULT_DELIVERY, ...opts.delivery },
      language: opts.language ?? 'zh-CN',
      timeZone: opts.timeZone ?? 'Asia/Shanghai',
      ...(opts.mailTransport ? { mailTransport: opts.mailTransport } : {}),
      log: this.log,
      newId: randomUUID,
      signal: this.abort.signal,
    });
    this.config = new AlertConfig(opts.store, this.clock, this.dispatcher, {
      onRuleChanged: (id) => this.ruleChanged(id),
    });
  }

  /** Loads rules, channels, silences and open incidents from the store. */
  static async create(opts: AlertServiceOptions): Promise<AlertService> {
    const s = new AlertService(opts);
    await s.config.load();
    for (const i of await opts.store.listIncidents({ open: true, limit: 1000 })) s.openKeys.add(i.key);
    return s;
  }

  /** Seeds run history after a restart (e.g. `store.listRuns({limit: 500})`), so windows and long-run checks know the past. */
  prime(runs: readonly PrimeRun[]): void {
    this.activity.prime(runs, this.clock.now());
  }

  /**
   * For runs this process does not see events of (scaled-out workers, `ferry run` from a shell): pass
   * the state store's recent runs periodically (e.g. `listRuns({limit: 200})` on each tick). Runs that
   * ended before this service was created only seed history (no alert); newer ones are evaluated once,
   * like `onRunFinished`; running ones are tracked for long-run checks.
   */
  observeRuns(runs: readonly PrimeRun[]): void {
    const old = runs.filter((r) => r.status !== 'running' && (r.endedAt ?? r.startedAt) < this.createdAt);
    if (old.length) this.activity.prime(old, this.clock.now());
    for (const r of runs) {
      if (r.status === 'running') this.activity.started(r.id, r.scheme, r.startedAt, r.trigger);
      else if ((r.endedAt ?? r.startedAt) >= this.createdAt) {
        const endedAt = r.endedAt ?? this.clock.now();
        this.finish({ runId: r.id, scheme: r.scheme, status: r.status, counts: r.counts, durationMs: endedAt - r.startedAt, ...(r.reason ? { reason: r.reason } : {}), ...(r.trigger ? { trigger: r.trigger } : {}) }, endedAt);
      }
    }
  }

  /** The engine's event sink. Never throws. */
  onRunEvent(e: RunEvent): void {
    try {
      const now = this.clock.now();
      switch (e.type) {
        case 'run.started':
          this.activity.started(e.runId, e.scheme, e.at, e.trigger);
          break;
        case 'progress':
          this.activity.progress(e.runId, e.counts);
          break;
        case 'api.call':
          this.activity.apiCall(e.runId, e.call.durationMs);
          this.process(this.engine.apiCall(e.call, e.runId, this.activity.schemeOf(e.runId), now, this.config.rules));
          break;
        case 'run.finished': {
          const scheme = this.activity.schemeOf(e.runId);
          if (scheme === undefined) {
            // Scheme unknown (no run.started seen): wait for onRunFinished(report), which names it.
            this.pendingFinish.set(e.runId, e);
            if (this.pendingFinish.size > 1000) this.pendingFinish.delete(this.pendingFinish.keys().next().value!);
            break;
          }
          this.finish({ runId: e.runId, scheme, status: e.status, counts: e.counts, durationMs: e.durationMs, ...(e.reason ? { reason: e.reason } : {}) }, now);
          break;
        }
        default:
          break;
      }
    } catch (err) {
      this.log.error({ err: String(err), event: e.type }, 'alert evaluation failed');
    }
  }

  /** Feed the end-of-run report too (or instead of `run.finished`); a run is evaluated once. */
  onRunFinished(report: RunFinishedInput): void {
    this.pendingFinish.delete(report.runId);
    this.finish(report, this.clock.now());
  }

  /** Time-driven rules (long run, no records, api windows). Resolves when the resulting work (deliveries included) is done. */
  tick(now: number = this.clock.now()): Promise<void> {
    this.process(this.engine.tick(now, this.config.rules));
    const retention = (this.opts.historyRetentionDays ?? 90) * 86_400_000;
    if (now - this.lastPrune > 3_600_000) {
      this.lastPrune = now;
      this.enqueue(async () => void (await this.opts.store.pruneHistory(now - retention)));
    }
    return this.idle();
  }

  /** Calls `tick()` every `intervalMs` (default 30 s) on the real timer until `close()`. */
  startTicker(intervalMs = 30_000): void {
    this.ticker ??= setInterval(() => void this.tick(), intervalMs);
    this.ticker.unref();
  }

  /** Waits until every queued evaluation and background delivery finished. */
  async idle(): Promise<void> {
    for (;;) {
      await this.queue;
      if (this.background.size === 0) return;
      await Promise.allSettled([...this.background]);
    }
  }

  /**
   * Stops the ticker and waits for work in flight. With `abortDeliveries`, deliveries in flight and
   * backoff waits are cancelled first (recorded as failed) — for a fast shutdown.
   */
  async close(opts: { abortDeliveries?: boolean } = {}): Promise<void> {
    if (this.ticker) clearInterval(this.ticker);
    if (opts.abortDeliveries) this.abort.abort();
    await this.idle();
  }

  private finish(r: RunFinishedInput, now: number): void {
    const run = { runId: r.runId, scheme: r.scheme, at: now, status: r.status, counts: r.counts, ...(r.reason ? { reason: r.reason } : {}), ...(r.durationMs !== undefined ? { durationMs: r.durationMs } : {}), ...(r.trigger ? { trigger: r.trigger } : {}) };
    if (!this.activity.finished(run)) return;
    const signals = this.engine.runFinished(run, this.config.rules);
    // no-records can also be decided right now for this scheme (a run that read nothing).
    this.process([...signals, ...this.engine.tick(now, this.config.rules.filter((x) => x.type === 'no_records'))]);
  }

  private ruleChanged(ruleId: string): void {
    this.engine.forgetRule(ruleId);
    const now = this.clock.now();
    const keys = [...this.openKeys].filter((k) => k.startsWith(`${ruleId}|`));
    for (const k of keys) this.openKeys.delete(k);
    // A changed or deleted rule starts from a clean slate: close its open incidents quietly.
    this.enqueue(async () => {
      for (const k of keys) {
        const i = await this.opts.store.getIncident(k);
        if (i && i.resolvedAt === null) await this.opts.store.putIncident({ ...i, resolvedAt: now });
      }
    });
  }

  private process(signals: Signal[]): void {
    for (const s of signals) {
      const key = incidentKey(s.rule.id, s.scheme, s.conditionKey);
      // Kept in step synchronously: a fire always leaves an open incident, so a resolve queued right
      // after it must not be skipped; resolves of conditions never opened are dropped cheaply.
      if (s.kind === 'fire') this.openKeys.add(key);
      else if (!this.openKeys.delete(key)) continue;
      this.enqueue(() => (s.kind === 'fire' ? this.fire(s) : this.resolve(s)));
    }
  }

  private enqueue(work: () => Promise<void>): void {
    this.queue = this.queue.then(work).catch((err: unknown) => this.log.error({ err: String(err) }, 'alert processing failed'));
  }

  private track(p: Promise<unknown>): void {
    const tracked = p.catch((err: unknown) => this.log.error({ err: String(err) }, 'alert delivery crashed')).finally(() => this.background.delete(tracked));
    this.background.add(tracked);
  }

  private alertOf(s: Signal, state: Alert['state'], facts: Alert['facts']): Alert {
    const link = this.linkFor(s.runId, s.scheme);
    return {
      id: randomUUID(),
      state,
      ruleId: s.rule.id,
      ruleName: s.rule.name,
      ruleType: s.rule.type,
      severity: s.rule.severity,
      ...(s.scheme !== undefined ? { scheme: s.scheme } : {}),
      ...(s.runId !== undefined ? { runId: s.runId } : {}),
      key: incidentKey(s.rule.id, s.scheme, s.conditionKey),
      at: s.at,
      facts,
      ...(link ? { link } : {}),
    };
  }

  private linkFor(runId: string | undefined, scheme: string | undefined): string | undefined {
    const base = this.opts.consoleBaseUrl?.replace(/\/+$/, '');
    const l = this.opts.links;
    if (runId) return l?.run ? l.run(runId, scheme) : base ? `${base}/#/runs/${encodeURIComponent(runId)}` : undefined;
    if (scheme) return l?.scheme ? l.scheme(scheme) : base ? `${base}/#/schemes/${encodeURIComponent(scheme)}` : undefined;
    return undefined;
  }

  private async fire(s: Extract<Signal, { kind: 'fire' }>): Promise<void> {
    const key = incidentKey(s.rule.id, s.scheme, s.conditionKey);
    const stored = await this.opts.store.getIncident(key);
    const silences: AlertSilence[] = this.config.silences;
    const d = decideFire(stored, { key, ruleId: s.rule.id, scheme: s.scheme ?? null, conditionKey: s.conditionKey, occurrence: s.occurrence, at: s.at }, s.rule.silenceMinutes, activeSilence(silences, s.rule.id, s.scheme ?? null, s.at));
    await this.opts.store.putIncident(d.incident);
    if (d.action === 'ignore') return;
    const alert = this.alertOf(s, 'firing', s.facts);
    if (d.action === 'suppress') return this.dispatcher.note(alert, 'suppressed', d.reason);
    const channels = this.config.channelsFor(s.rule);
    if (channels.length === 0) {
      await this.dispatcher.note(alert, 'failed', 'no enabled channel for this rule');
      return this.restoreSent(key, s.at, d.previousSentAt);
    }
    this.track(
      this.dispatcher.send(alert, channels).then((results) => {
        if (!results.some((r) => r.ok)) this.restoreSent(key, s.at, d.previousSentAt);
      }),
    );
  }

  /** Nothing was delivered: put `lastSentAt` back so the next occurrence is sent, not suppressed. */
  private restoreSent(key: string, sentAt: number, previous: number | null): void {
    this.enqueue(async () => {
      const cur = await this.opts.store.getIncident(key);
      if (cur && cur.lastSentAt === sentAt) await this.opts.store.putIncident({ ...cur, lastSentAt: previous });
    });
  }

  private async resolve(s: Extract<Signal, { kind: 'resolve' }>): Promise<void> {
    const key = incidentKey(s.rule.id, s.scheme, s.conditionKey);
    const cur = await this.opts.store.getIncident(key);
    if (!cur || cur.resolvedAt !== null) return;
    await this.opts.store.putIncident({ ...cur, resolvedAt: s.at, lastSeenAt: Math.max(cur.lastSeenAt, s.at) });
    if (!s.rule.notifyResolved || cur.lastSentAt === null) return;
    const channels = this.config.channelsFor(s.rule);
    const facts = { type: 'resolved', ...(s.conditionKey.startsWith('api:') ? { subject: s.conditionKey.slice(4) } : {}) } as const;
    if (channels.length) this.track(this.dispatcher.send(this.alertOf(s, 'resolved', facts), channels));
  }
}
