import { randomUUID } from 'node:crypto';
import type { DestinationStream } from 'pino';
import { emptyCounts, type RunCounts, type StateStore } from '../core/contracts/state-store.ts';
import type { ServerStore } from '../core/contracts/server-store.ts';
import type { RunEvent } from '../engine/events.ts';
import type { RunReport } from '../engine/reconcile.ts';
import { RunEventHub } from './run-event-hub.ts';
import { replayRejected } from '../engine/replay.ts';
import { interruptAbandonedRuns, SchemeBusyError } from '../engine/run-lock.ts';
import { runScheme } from '../engine/run-scheme.ts';
import { openRun } from '../cli/open-run.ts';
import { AccountLimiters } from '../core/policy/account-limiters.ts';
import { UserError } from '../cli/user-error.ts';
import type { ConnectionService } from './connections/connection-service.ts';
import { HttpError, badRequest, conflict } from './http/errors.ts';
import { tapLineage, type LineageMode } from './runs/lineage-tap.ts';
import type { SchemeService } from './schemes/scheme-service.ts';

export type { RunListener } from './run-event-hub.ts';
import type { RunListener } from './run-event-hub.ts';

export interface LiveRun {
  runId: string;
  scheme: string;
  trigger: string;
  startedAt: number;
  counts: RunCounts;
  elapsedMs: number;
  totalEstimate?: number;
}

export interface StartedRun {
  runId: string;
  /** Settles with the report when the run ends (never rejects: a failed run is a report with status failed). */
  done: Promise<RunReport | undefined>;
}

export interface RunManagerDeps {
  state: StateStore;
  server: ServerStore;
  schemes: SchemeService;
  connections: ConnectionService;
  logFile: string;
  /** Where the runs' logs go instead of `logFile` (ferry serve's rotating file). */
  logStream?: DestinationStream;
  lineage: LineageMode;
  fetch?: typeof fetch;
  now?: () => number;
  /** Called when a run cannot even report (a bug); the server logs it. */
  onError?: (err: unknown) => void;
  /** Rate limiters per vendor account, shared by every run of this server (default: one set per manager). */
  limiters?: AccountLimiters;
}

interface Active {
  live: LiveRun;
  abort: AbortController;
  done: Promise<RunReport | undefined>;
}

/**
 * Runs schemes inside the server: one run per scheme at a time, cancellable, every engine event passed to
 * the subscribers (event log, metrics, alerts, live views). A scheduler calls `startRun(name, 'schedule')`
 * and checks `isRunning(name)` for its overlap policy.
 */
export class RunManager {
  private readonly active = new Map<string, Active>();
  private readonly hub: RunEventHub;
  private readonly now: () => number;
  private readonly limiters: AccountLimiters;

  constructor(private readonly d: RunManagerDeps) {
    this.now = d.now ?? Date.now;
    this.limiters = d.limiters ?? new AccountLimiters();
    this.hub = new RunEventHub(d.onError);
  }

  on(listener: RunListener): () => void {
    return this.hub.on(listener);
  }

  onReport(listener: (r: RunReport) => void): () => void {
    return this.hub.onReport(listener);
  }

  isRunning(schemeName: string): boolean {
    return this.active.has(schemeName);
  }

  running(): LiveRun[] {
    return [...this.active.values()].map((a) => ({ ...a.live, elapsedMs: this.now() - a.live.startedAt }));
  }

  live(runId: string): LiveRun | undefined {
    return this.running().find((r) => r.runId === runId);
  }

  /** Starts a run of a stored scheme. Refuses (409) when the scheme is disabled or already running. */
  async startRun(schemeName: string, trigger = 'manual'): Promise<StartedRun> {
    const runId = `${new Date(this.now()).toISOString().replace(/[-:T]/g, '').slice(0, 14)}-${randomUUID().slice(0, 8)}`;
    return this.launch(schemeName, trigger, runId, false, (cs, deps) => runScheme(cs, deps, { trigger, runId }));
  }

  /** Re-maps and re-sends rejected (and failed) records — all of them, or the given source ids. */
  async replay(schemeName: string, ids?: string[]): Promise<StartedRun> {
    return this.launch(schemeName, 'replay', undefined, true, (cs, deps) => replayRejected(cs, deps, ids ? { ids } : {}));
  }

  private emit(e: RunEvent): void {
    this.hub.emit(e);
  }

  cancel(runId: string): boolean {
    for (const a of this.active.values())
      if (a.live.runId === runId) {
        a.abort.abort(new Error('cancelled by the user'));
        return true;
      }
    return false;
  }

  /** Cancels every run and waits for them to record their end. */
  async shutdown(): Promise<void> {
    const all = [...this.active.values()];
    for (const a of all) a.abort.abort(new Error('server shutting down'));
    await Promise.all(all.map((a) => a.done));
  }

  /**
   * Runs left `running` by a process that is gone (this server killed, or a CLI run killed) are marked
   * interrupted with the counts their ledger holds (called at start); the next run of the scheme resumes.
   */
  async markAbandonedRuns(): Promise<number> {
    return (await interruptAbandonedRuns(this.d.state, { now: this.now() })).length;
  }

  private async launch(
    schemeName: string,
    trigger: string,
    runId: string | undefined,
    isReplay: boolean,
    go: (cs: Parameters<typeof runScheme>[0], deps: Parameters<typeof runScheme>[1]) => Promise<RunReport>,
  ): Promise<StartedRun> {
    if (this.active.has(schemeName)) throw conflict(`scheme "${schemeName}" is already running (run ${this.active.get(schemeName)!.live.runId || 'starting'})`);
    // Claim the scheme before the first await, so two requests cannot both start it.
    const abort = new AbortController();
    const live: LiveRun = { runId: runId ?? '', scheme: schemeName, trigger, startedAt: this.now(), counts: emptyCounts(), elapsedMs: 0 };
    let finish!: (r: RunReport | undefined) => void;
    const slot: Active = { live, abort, done: new Promise((r) => (finish = r)) };
    this.active.set(schemeName, slot);
    let opened: ReturnType<typeof openRun>;
    let started!: (id: string) => void;
    const gotId = new Promise<string>((r) => (started = r));
    try {
      const { stored, scheme } = await this.d.schemes.load(schemeName);
      if (!stored.enabled && !isReplay) throw conflict(`scheme "${schemeName}" is disabled; enable it to run it`);
      const connections = await this.d.connections.resolveAll();
      const onEvent = (e: RunEvent) => {
        if (e.type === 'run.started') {
          live.runId = e.runId;
          live.startedAt = e.at;
          started(e.runId);
        }
        if (e.type === 'progress') {
          live.counts = e.counts;
          if (e.totalEstimate !== undefined) live.totalEstimate = e.totalEstimate;
        }
        if (e.type === 'run.finished') live.counts = e.counts;
        this.emit(e);
      };
      opened = openRun(scheme, connections, this.d.state, { logFile: this.d.logFile, ...(this.d.logStream ? { logStream: this.d.logStream } : {}), onEvent, signal: abort.signal, limiters: this.limiters, ...(this.d.fetch ? { fetch: this.d.fetch } : {}) });
    } catch (err) {
      this.active.delete(schemeName);
      finish(undefined);
      if (err instanceof UserError) throw badRequest(err.message);
      throw err;
    }
    const deps = tapLineage(opened.deps, opened.cs, this.d.server, this.d.lineage);
    let busy: SchemeBusyError | undefined;
    void (async () => {
      let report: RunReport | undefined;
      try {
        report = await go(opened.cs, deps);
        this.hub.emitReport(report);
      } catch (err) {
        // A run of the scheme outside this server (a CLI `ferry run` on the same data) holds its lock.
        if (err instanceof SchemeBusyError) busy = err;
        // runScheme records failures in its report; reaching here means the store itself failed.
        else this.d.onError?.(err);
        started('');
      } finally {
        this.active.delete(schemeName);
        await opened.close().catch((err) => this.d.onError?.(err));
        finish(report);
      }
    })();
    const done = slot.done;
    const id = await Promise.race([gotId, done.then(() => '')]);
    if (!id && busy) throw conflict(busy.message);
    if (!id) throw new HttpError(500, `run of "${schemeName}" could not start; see the server log`);
    return { runId: id, done };
  }
}

