import { emptyCounts, type RunRow } from '../core/contracts/state-store.ts';
import { interruptAbandonedRuns } from '../engine/run-lock.ts';
import type { RunEvent } from '../engine/events.ts';
import type { RunReport } from '../engine/reconcile.ts';
import { RunEventHub } from './run-event-hub.ts';
import { enqueueRun, isSchemeRunning, requeueUnplanned, type EnqueueOptions, type ScaleConnection } from '../scale/enqueue-run.ts';
import { sealJobConnections } from '../scale/job-connections.ts';
import type { ConnectionService } from './connections/connection-service.ts';
import { badRequest, conflict } from './http/errors.ts';
import type { RunControl } from './run-control.ts';
import type { LiveRun, RunListener, RunManager, StartedRun } from './run-manager.ts';
import type { SchemeService } from './schemes/scheme-service.ts';

export interface ScaledRunManagerDeps {
  /** PostgreSQL (runs, ledger, checkpoints: what the workers write) and the BullMQ producer. */
  scale: ScaleConnection;
  schemes: SchemeService;
  connections: ConnectionService;
  /** The server key: the run's connections travel sealed with it (workers need the same FERRY_SECRET_KEY). */
  key: Buffer;
  /** Partitioning options passed to every enqueue. */
  enqueue?: Pick<EnqueueOptions, 'pagesPerPartition' | 'maxPartitions'>;
  /** How often the runs this server follows are read back from PostgreSQL. Default 1000 ms. */
  pollMs?: number;
  now?: () => number;
  onError?: (err: unknown) => void;
  /** Runs replays in this process against the PostgreSQL stores (its events are forwarded to our subscribers). */
  replayer?: RunManager;
}

interface Followed {
  live: LiveRun;
  done: Promise<RunReport | undefined>;
  finish: (r: RunReport | undefined) => void;
}

/**
 * The run manager of `ferry serve --redis --postgres`: a run is enqueued for `ferry worker` processes (with the
 * scheme from the server store and the connections it uses, sealed with the server key) instead of running in
 * this process. The server follows its runs by reading their rows from PostgreSQL, which the workers update,
 * and tells its subscribers (event log, metrics, alerts, live views) `run.started`, `progress` and
 * `run.finished`; the finer engine events stay in the workers' logs.
 */
export class ScaledRunManager implements RunControl {
  private readonly followed = new Map<string, Followed>();
  private readonly hub: RunEventHub;
  private readonly now: () => number;
  private timer: NodeJS.Timeout | undefined;
  private polling = false;

  constructor(private readonly d: ScaledRunManagerDeps) {
    this.now = d.now ?? Date.now;
    this.hub = new RunEventHub(d.onError);
    d.replayer?.on((e) => this.hub.emit(e));
    d.replayer?.onReport((r) => this.hub.emitReport(r));
  }

  on(listener: RunListener): () => void {
    return this.hub.on(listener);
  }

  onReport(listener: (r: RunReport) => void): () => void {
    return this.hub.onReport(listener);
  }

  isRunning(schemeName: string): boolean {
    return this.followed.has(schemeName);
  }

  /** A run of the scheme not finished in PostgreSQL, whichever server enqueued it. */
  async isRunningAnywhere(schemeName: string): Promise<boolean> {
    return this.followed.has(schemeName) || (await isSchemeRunning(this.d.scale, schemeName));
  }

  running(): LiveRun[] {
    return [...this.followed.values()].map((f) => ({ ...f.live, elapsedMs: this.now() - f.live.startedAt }));
  }

  live(runId: string): LiveRun | undefined {
    return this.running().find((r) => r.runId === runId);
  }

  /** Enqueues a run of a stored scheme. Refuses (409) when it is disabled or a run of it is unfinished. */
  async startRun(schemeName: string, trigger = 'manual'): Promise<StartedRun> {
    if (this.followed.has(schemeName)) throw conflict(`scheme "${schemeName}" is already running (run ${this.followed.get(schemeName)!.live.runId || 'starting'})`);
    // Claim the scheme before the first await, so two requests cannot both enqueue it.
    const slot = this.follow({ runId: '', scheme: schemeName, trigger, startedAt: this.now(), counts: emptyCounts(), elapsedMs: 0 });
    try {
      const { stored, scheme } = await this.d.schemes.load(schemeName);
      if (!stored.enabled) throw conflict(`scheme "${schemeName}" is disabled; enable it to run it`);
      if (await isSchemeRunning(this.d.scale, schemeName)) throw conflict(`scheme "${schemeName}" has an unfinished run (enqueued by another server process)`);
      const runId = await enqueueRun(this.d.scale, scheme, { ...this.d.enqueue, trigger, connections: await this.sealedConnections(scheme) });
      slot.live.runId = runId;
      slot.live.startedAt = this.now();
      this.emit({ type: 'run.started', runId, scheme: schemeName, trigger, at: slot.live.startedAt, resumed: false });
      this.ensurePolling();
      return { runId, done: slot.done };
    } catch (err) {
      this.followed.delete(schemeName);
      slot.finish(undefined);
      throw err;
    }
  }

  /**
   * Replays are small (only the rejected records) and run in this process, against the shared PostgreSQL
   * ledger, through the in-process run manager; never while a run of the scheme is going on any worker.
   */
  async replay(schemeName: string, ids?: string[]): Promise<StartedRun> {
    if (!this.d.replayer)
      throw conflict(`replaying rejected records of "${schemeName}" is not available in this server; run the scheme again instead`);
    if (await this.isRunningAnywhere(schemeName))
      throw conflict(`a run of "${schemeName}" is going on the workers; replay its rejected records when it has ended`);
    return this.d.replayer.replay(schemeName, ids);
  }

  /**
   * Best effort: the run is marked cancelled and finished in PostgreSQL, so workers start none of its remaining
   * partitions; partitions in hand end their page (their commits keep the ledger right).
   */
  cancel(runId: string): boolean {
    const f = [...this.followed.values()].find((x) => x.live.runId === runId);
    if (!f) return false;
    void (async () => {
      const at = this.now();
      await this.d.scale.store.updateRun(runId, { status: 'cancelled', reason: 'cancelled by the user (partitions already running end their current page)', endedAt: at });
      await this.d.scale.dist.markFinished(runId, at);
      await this.poll();
    })().catch((err) => this.d.onError?.(err));
    return true;
  }

  /** Stops following: the runs themselves go on in the workers. */
  async shutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    for (const f of this.followed.values()) f.finish(undefined);
    this.followed.clear();
    await this.d.replayer?.shutdown();
  }

  /** Runs belong to the workers (a dead worker's partitions are taken over); unfinished ones are followed again. */
  /** The sealed connections a run of this scheme carries to the workers. */
  private async sealedConnections(scheme: { name: string; source: { connection: string }; target: { connection: string } }) {
    const all = await this.d.connections.resolveAll();
    const used = [...new Set([scheme.source.connection, scheme.target.connection])].map((name) => {
      const c = all.get(name);
      if (!c) throw badRequest(`scheme "${scheme.name}" uses connection "${name}", which this server does not define or cannot open (FERRY_SECRET_KEY changed?)`);
      return c;
    });
    return sealJobConnections(this.d.key, used);
  }

  /**
   * At start: follows the runs still going, and re-enqueues the plan job of runs whose row was committed but
   * whose job never reached Redis (the server died in between), with their connections sealed again.
   */
  async markAbandonedRuns(): Promise<number> {
    // Runs of one process (replays run in this server) left by a process that is gone: interrupted.
    const interrupted = await interruptAbandonedRuns(this.d.scale.store, { now: this.now() });
    for (const r of await this.d.scale.store.listRuns({ limit: 200 }))
      if (r.status === 'running' && !this.followed.has(r.scheme)) {
        this.follow({ runId: r.id, scheme: r.scheme, trigger: r.trigger, startedAt: r.startedAt, counts: r.counts, elapsedMs: 0 });
        try {
          const { scheme } = await this.d.schemes.load(r.scheme);
          await requeueUnplanned(this.d.scale, r.scheme, 0, this.now(), await this.sealedConnections(scheme));
        } catch (err) {
          this.d.onError?.(err);
        }
      }
    if (this.followed.size) this.ensurePolling();
    return interrupted.length;
  }

  private follow(live: LiveRun): Followed {
    let finish!: (r: RunReport | undefined) => void;
    const f: Followed = { live, done: new Promise((r) => (finish = r)), finish: (r) => finish(r) };
    this.followed.set(live.scheme, f);
    return f;
  }

  private ensurePolling(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.poll().catch((err) => this.d.onError?.(err)), this.d.pollMs ?? 1000);
    this.timer.unref();
  }

  private async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      for (const f of [...this.followed.values()]) {
        if (!f.live.runId) continue;
        const row = await this.d.scale.store.getRun(f.live.runId);
        if (!row) continue;
        this.update(f, row);
      }
      if (!this.followed.size && this.timer) {
        clearInterval(this.timer);
        this.timer = undefined;
      }
    } finally {
      this.polling = false;
    }
  }

  private update(f: Followed, row: RunRow): void {
    const elapsedMs = this.now() - row.startedAt;
    if (JSON.stringify(row.counts) !== JSON.stringify(f.live.counts)) {
      f.live.counts = row.counts;
      if (row.status === 'running') this.emit({ type: 'progress', runId: row.id, counts: row.counts, elapsedMs });
    }
    if (row.status === 'running') return;
    this.followed.delete(f.live.scheme);
    this.emit({ type: 'run.finished', runId: row.id, status: row.status, counts: row.counts, ...(row.reason ? { reason: row.reason } : {}), durationMs: (row.endedAt ?? this.now()) - row.startedAt });
    const report = parseReport(row.report ?? null);
    if (report)
      this.hub.emitReport(report);
    f.finish(report);
  }

  private emit(e: RunEvent): void {
    this.hub.emit(e);
  }
}

function parseReport(text: string | null): RunReport | undefined {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as RunReport;
  } catch {
    return undefined;
  }
}
