import { Scheduler, type ScheduleEvent } from '../scale/scheduler.ts';
import type { RunControl } from './run-control.ts';
import type { SchemeService } from './schemes/scheme-service.ts';

/**
 * Cron schedules inside `ferry serve`: every enabled scheme with a `schedule` block runs on its cron
 * (Beijing time by default) through the run manager (in-process, or enqueued for workers), with the scheme's overlap policy. The list is
 * re-read every `refreshMs`, so a scheme saved, enabled or disabled in the console takes effect without
 * a restart.
 */
export class ServerSchedules {
  private readonly scheduler: Scheduler;
  private timer: NodeJS.Timeout | undefined;
  private known = new Map<string, string>();

  constructor(
    private readonly schemes: SchemeService,
    runs: RunControl,
    onEvent: (e: ScheduleEvent) => void,
    private readonly refreshMs = 15_000,
  ) {
    this.scheduler = new Scheduler({
      startRun: async (name, trigger) => {
        const started = await runs.startRun(name, trigger);
        await started.done;
      },
      isRunning: (name) => (runs.isRunningAnywhere ? runs.isRunningAnywhere(name) : runs.isRunning(name)),
      onEvent,
    });
  }

  async start(): Promise<void> {
    await this.sync();
    this.timer = setInterval(() => void this.sync().catch(() => undefined), this.refreshMs);
    this.timer.unref();
  }

  /** Brings the scheduler in line with the stored schemes (added, changed, disabled, deleted). */
  async sync(): Promise<void> {
    const seen = new Set<string>();
    for (const summary of await this.schemes.list()) {
      if (!summary.enabled || !summary.schedule) continue;
      let scheme;
      try {
        scheme = (await this.schemes.load(summary.name)).scheme;
      } catch {
        continue; // an invalid scheme is not scheduled; the console shows why
      }
      if (!scheme.schedule?.enabled) continue;
      seen.add(scheme.name);
      const key = JSON.stringify(scheme.schedule);
      if (this.known.get(scheme.name) === key) continue;
      this.scheduler.set(scheme);
      this.known.set(scheme.name, key);
    }
    for (const name of [...this.known.keys()])
      if (!seen.has(name)) {
        this.scheduler.remove(name);
        this.known.delete(name);
      }
  }

  list() {
    return this.scheduler.list();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.scheduler.stop();
  }
}
