import { Cron } from 'croner';
import type { Scheme } from '../core/scheme/scheme.ts';

/**
 * Cron schedules of schemes (the scheme's `schedule` block: cron, timezone — Beijing time by default —,
 * overlap skip|queue, enabled), plus manual runs under the same overlap policy.
 *
 * The scheduler decides *when*; the host decides *how*: `startRun` starts a run (in-process inside
 * `ferry serve`, or enqueued for workers in the scaled-out mode) and may resolve when the run has started
 * or when it has ended; `isRunning` is the truth about whether a run of the scheme is going.
 * Overlap: `skip` drops a tick while a run is going; `queue` keeps ONE run waiting and starts it when the
 * current one ends (further ticks meanwhile are dropped — a backlog of identical runs helps nobody).
 *
 * The omission remedy is not a separate timer: a scheme's `source.incremental.remedyHours` is re-read by
 * every run (each scheduled run also re-reads that trailing range), so a scheme that wants the remedy
 * more or less often than its main read uses a second scheme with its own schedule.
 */

export interface SchedulerClock {
  now(): number;
  /** Calls `fn` after `ms`; returns a cancel function. */
  setTimer(fn: () => void, ms: number): () => void;
}

export const realSchedulerClock: SchedulerClock = {
  now: () => Date.now(),
  setTimer: (fn, ms) => {
    // Long delays are re-armed in steps: setTimeout cannot wait more than ~24.8 days.
    const t = setTimeout(fn, Math.min(ms, 2 ** 31 - 1));
    t.unref?.();
    return () => clearTimeout(t);
  },
};

export type ScheduleEvent =
  | { type: 'started'; scheme: string; trigger: string; at: number }
  | { type: 'skipped'; scheme: string; trigger: string; at: number; reason: string }
  | { type: 'queued'; scheme: string; trigger: string; at: number }
  | { type: 'error'; scheme: string; trigger: string; at: number; message: string };

export interface SchedulerOptions {
  startRun(schemeName: string, trigger: string): Promise<void>;
  isRunning(schemeName: string): boolean | Promise<boolean>;
  clock?: SchedulerClock;
  /** How often a queued run checks whether the running one has ended (ms). Default 1000. */
  pollMs?: number;
  onEvent?: (e: ScheduleEvent) => void;
}

interface Entry {
  name: string;
  cron?: Cron;
  timezone: string;
  overlap: 'skip' | 'queue';
  /** A startRun promise of ours is pending. */
  active: boolean;
  queued?: string;
  cancelTimer?: () => void;
  cancelPoll?: () => void;
  next?: Date | null;
}

export interface ScheduleInfo {
  scheme: string;
  cron?: string;
  timezone: string;
  overlap: 'skip' | 'queue';
  enabled: boolean;
  next: string | null;
  queued: boolean;
  /** Why this schedule does not run (an invalid scheme or schedule); absent when it runs. */
  problem?: string;
}

export class Scheduler {
  private readonly entries = new Map<string, Entry>();
  private readonly clock: SchedulerClock;
  private stopped = false;

  constructor(private readonly o: SchedulerOptions) {
    this.clock = o.clock ?? realSchedulerClock;
  }

  /** Adds or replaces a scheme's schedule (a scheme without an enabled schedule can still be run by hand). */
  set(scheme: Pick<Scheme, 'name' | 'schedule'>): void {
    this.remove(scheme.name);
    const s = scheme.schedule;
    const entry: Entry = { name: scheme.name, timezone: s?.timezone ?? 'Asia/Shanghai', overlap: s?.overlap ?? 'skip', active: false };
    if (s && s.enabled) {
      // Validates the expression and the time zone now, so a bad schedule is refused when it is set.
      entry.cron = new Cron(s.cron, { timezone: entry.timezone, paused: true });
      this.arm(entry);
    }
    this.entries.set(scheme.name, entry);
  }

  remove(name: string): void {
    const e = this.entries.get(name);
    if (!e) return;
    e.cancelTimer?.();
    e.cancelPoll?.();
    e.cron?.stop();
    this.entries.delete(name);
  }

  list(): ScheduleInfo[] {
    return [...this.entries.values()].map((e) => ({
      scheme: e.name,
      ...(e.cron ? { cron: e.cron.getPattern() ?? '' } : {}),
      timezone: e.timezone,
      overlap: e.overlap,
      enabled: !!e.cron,
      next: e.next ? e.next.toISOString() : null,
      queued: e.queued !== undefined,
    }));
  }

  /** A manual run, under the scheme's overlap policy. */
  async runNow(name: string, trigger = 'manual'): Promise<'started' | 'queued' | 'skipped'> {
    const e = this.entries.get(name) ?? { name, timezone: 'Asia/Shanghai', overlap: 'skip' as const, active: false };
    if (!this.entries.has(name)) this.entries.set(name, e);
    return this.tick(e, trigger);
  }

  stop(): void {
    this.stopped = true;
    for (const name of [...this.entries.keys()]) this.remove(name);
  }

  /** Sets the timer of the next slot strictly after `after` (the slot just fired) or after now. */
  private arm(e: Entry, after?: number): void {
    if (this.stopped || !e.cron) return;
    const now = this.clock.now();
    e.next = e.cron.nextRun(new Date(Math.max(now, after ?? -Infinity)));
    if (!e.next) return;
    const due = e.next.getTime();
    e.cancelTimer = this.clock.setTimer(() => {
      // A timer may fire early (long waits are re-armed in steps, clocks drift): wait for the slot.
      if (this.clock.now() < due) return this.armAt(e, due);
      this.arm(e, due);
      void this.tick(e, 'schedule');
    }, Math.max(0, due - now));
  }

  private armAt(e: Entry, due: number): void {
    e.cancelTimer = this.clock.setTimer(() => {
      if (this.clock.now() < due) return this.armAt(e, due);
      this.arm(e, due);
      void this.tick(e, 'schedule');
    }, Math.max(1, due - this.clock.now()));
  }

  private async tick(e: Entry, trigger: string): Promise<'started' | 'queued' | 'skipped'> {
    const at = this.clock.now();
    let running = e.active;
    if (!running) {
      try {
        running = await this.o.isRunning(e.name);
      } catch (err) {
        this.emit({ type: 'error', scheme: e.name, trigger, at, message: `cannot tell whether a run is going: ${(err as Error).message}` });
        return 'skipped';
      }
    }
    if (running) {
      if (e.overlap === 'queue' && e.queued === undefined) {
        e.queued = trigger;
        this.emit({ type: 'queued', scheme: e.name, trigger, at });
        this.waitThenStart(e);
        return 'queued';
      }
      this.emit({ type: 'skipped', scheme: e.name, trigger, at, reason: e.queued !== undefined ? 'a run is going and one is already queued' : 'a run is going' });
      return 'skipped';
    }
    this.start(e, trigger);
    return 'started';
  }

  private start(e: Entry, trigger: string): void {
    e.active = true;
    this.emit({ type: 'started', scheme: e.name, trigger, at: this.clock.now() });
    this.o.startRun(e.name, trigger).then(
      () => this.settled(e),
      (err: unknown) => {
        this.emit({ type: 'error', scheme: e.name, trigger, at: this.clock.now(), message: err instanceof Error ? err.message : String(err) });
        this.settled(e);
      },
    );
  }

  private settled(e: Entry): void {
    e.active = false;
    if (e.queued !== undefined) this.waitThenStart(e);
  }

  /** Starts the queued run as soon as nothing of the scheme is running. */
  private waitThenStart(e: Entry): void {
    e.cancelPoll?.();
    const check = async () => {
      e.cancelPoll = undefined;
      if (this.stopped || e.queued === undefined || e.active) return;
      let running: boolean;
      try {
        running = await this.o.isRunning(e.name);
      } catch {
        running = true;
      }
      if (e.queued === undefined || e.active) return;
      if (running) {
        e.cancelPoll = this.clock.setTimer(() => void check(), this.o.pollMs ?? 1000);
        return;
      }
      const trigger = e.queued;
      e.queued = undefined;
      this.start(e, trigger);
    };
    void check();
  }

  private emit(ev: ScheduleEvent): void {
    this.o.onEvent?.(ev);
  }
}
