import { Cron } from 'croner';
import type { SchemeProblem } from './problems.ts';

/**
 * A scheme's `schedule` checked with croner, the library `ferry serve` and `ferry schedule` run it with, so
 * an expression or time zone that would break the scheduler is refused when the scheme is validated or saved.
 */
export function scheduleProblems(s: { cron: string; timezone: string }, base = '$.schedule'): SchemeProblem[] {
  const out: SchemeProblem[] = [];
  const zone = timezoneProblem(s.timezone);
  if (zone) out.push({ path: `${base}.timezone`, message: zone, suggestion: 'use an IANA time zone name, e.g. "Asia/Shanghai" or "UTC"' });
  try {
    new Cron(s.cron, { paused: true, ...(zone ? {} : { timezone: s.timezone }) }).nextRun();
  } catch (e) {
    out.push({
      path: `${base}.cron`,
      message: `${JSON.stringify(s.cron)} is not a valid cron expression: ${cronReason(e)}`,
      suggestion: '5 fields (minute hour day-of-month month day-of-week) or 6 with seconds first, e.g. "0 */15 * * * *" or "30 2 * * *"',
    });
  }
  return out;
}

/** Why `zone` is not a time zone croner can run in, or undefined when it is one. */
export function timezoneProblem(zone: string): string | undefined {
  try {
    new Cron('* * * * *', { paused: true, timezone: zone }).nextRun();
    return undefined;
  } catch {
    return `${JSON.stringify(zone)} is not an IANA time zone`;
  }
}

function cronReason(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  return m.replace(/^Cron\w*:\s*/, '');
}

/** `date` as local time in `zone` with its offset, e.g. `2026-12-02 03:00:00 +08:00 (Asia/Shanghai)`. */
export function formatInZone(date: Date, zone: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'longOffset',
  }).formatToParts(date);
  const p = (t: string) => parts.find((x) => x.type === t)?.value ?? '';
  const offset = p('timeZoneName').replace(/^GMT/, '') || '+00:00';
  return `${p('year')}-${p('month')}-${p('day')} ${p('hour')}:${p('minute')}:${p('second')} ${offset} (${zone})`;
}
