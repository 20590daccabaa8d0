import { Scheduler, type ScheduleEvent, type ScheduleInfo } from '../scale/scheduler.ts';
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
  /** Schemes whose schedule cannot run, with why: listed beside the others, never breaking the list. */
  private broken = new Map<string, ScheduleInfo>();

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
    const broken = new Map<string, ScheduleInfo>();
    for (const summary of await this.schemes.list()) {
      if (!summary.enabled || !summary.schedule) continue;
      let scheme;
      try {
        scheme = (await this.schemes.load(summary.name)).scheme;
      } catch (e) {
        // An invalid scheme is not scheduled; it is listed with its problem so the others still show.
        const raw = rawSchedule(await this.schemes.get(summary.name).then((x) => x.text, () => ''));
        broken.set(summary.name, brokenEntry(summary.name, raw.cron ?? summary.schedule, raw.timezone, e));
        continue;
      }
      if (!scheme.schedule?.enabled) continue;
      const key = JSON.stringify(scheme.schedule);
      if (this.known.get(scheme.name) === key) {
        seen.add(scheme.name);
        continue;
      }
      try {
        this.scheduler.set(scheme);
      } catch (e) {
        this.scheduler.remove(scheme.name);
        broken.set(scheme.name, brokenEntry(scheme.name, scheme.schedule.cron, scheme.schedule.timezone, e));
        continue;
      }
      seen.add(scheme.name);
      this.known.set(scheme.name, key);
    }
    for (const name of [...this.known.keys()])
      if (!seen.has(name)) {
        this.scheduler.remove(name);
        this.known.delete(name);
      }
    this.broken = broken;
  }

  /** Every enabled schedule with its next run; a schedule that cannot run has `problem` and no next run. */
  list(): ScheduleInfo[] {
    return [...this.scheduler.list(), ...this.broken.values()].sort((a, b) => a.scheme.localeCompare(b.scheme));
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.scheduler.stop();
  }
}

function brokenEntry(scheme: string, cron: string, timezone: string | null | undefined, e: unknown): ScheduleInfo {
  const message = e instanceof Error ? e.message : String(e);
  return { scheme, cron, timezone: timezone ?? 'Asia/Shanghai', overlap: 'skip', enabled: false, next: null, queued: false, problem: message };
}

/** The `schedule` block of a document that did not validate, as far as it can be read. */
function rawSchedule(text: string): { cron?: string; timezone?: string } {
  try {
    const s = (JSON.parse(text.replace(/^\uFEFF/, '')) as { schedule?: { cron?: unknown; timezone?: unknown } }).schedule;
    return { ...(typeof s?.cron === 'string' ? { cron: s.cron } : {}), ...(typeof s?.timezone === 'string' ? { timezone: s.timezone } : {}) };
  } catch {
    return {};
  }
}
