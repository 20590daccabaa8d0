/**
 * Formats window bounds the way an API wants them: ISO 8601, epoch seconds/milliseconds, or a pattern
 * such as `yyyy-MM-dd HH:mm:ss` (the usual form of Chinese ERPs, in Beijing time) — always in an explicit
 * zone, because a zone-less `2026-11-01 08:00:00` means nothing on its own.
 */

/** Offset of `zone` from UTC in minutes at instant `at`: `+08:00`, `-0530`, `Z`, `UTC` or an IANA name. */
export function zoneOffsetMinutes(zone: string, at: Date): number {
  const z = zone.trim();
  if (z === 'Z' || z.toUpperCase() === 'UTC' || z.toUpperCase() === 'GMT') return 0;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(z);
  if (m) return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
  let name: string | undefined;
  try {
    name = new Intl.DateTimeFormat('en-US', { timeZone: z, timeZoneName: 'longOffset' }).formatToParts(at).find((p) => p.type === 'timeZoneName')?.value;
  } catch {
    throw new Error(`"${zone}" is not a time zone (use an offset like +08:00 or a name like Asia/Shanghai)`);
  }
  const g = /GMT([+-])(\d{2}):(\d{2})/.exec(name ?? '');
  return g ? (g[1] === '-' ? -1 : 1) * (Number(g[2]) * 60 + Number(g[3])) : 0;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

export function formatTime(at: Date, format: string, zone: string): string | number {
  const f = format.trim();
  if (f === 'epoch' || f === 'epoch_s') return Math.floor(at.getTime() / 1000);
  if (f === 'epoch_ms') return at.getTime();
  const offset = zoneOffsetMinutes(zone, at);
  const local = new Date(at.getTime() + offset * 60_000);
  const parts: Record<string, string> = {
    yyyy: pad(local.getUTCFullYear(), 4),
    MM: pad(local.getUTCMonth() + 1),
    dd: pad(local.getUTCDate()),
    HH: pad(local.getUTCHours()),
    mm: pad(local.getUTCMinutes()),
    ss: pad(local.getUTCSeconds()),
    SSS: pad(local.getUTCMilliseconds(), 3),
  };
  if (f === 'iso') {
    const sign = offset < 0 ? '-' : '+';
    const abs = Math.abs(offset);
    const suffix = offset === 0 ? 'Z' : `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
    return `${parts.yyyy}-${parts.MM}-${parts.dd}T${parts.HH}:${parts.mm}:${parts.ss}.${parts.SSS}${suffix}`;
  }
  return f.replace(/yyyy|SSS|MM|dd|HH|mm|ss/g, (t) => parts[t]!);
}

/** The smallest step the format can express, in ms (used to make an exclusive end inclusive). */
export function formatResolutionMs(format: string): number {
  const f = format.trim();
  if (f === 'epoch' || f === 'epoch_s') return 1000;
  if (f === 'epoch_ms' || f === 'iso' || f.includes('SSS')) return 1;
  if (f.includes('ss')) return 1000;
  if (f.includes('mm')) return 60_000;
  if (f.includes('HH')) return 3_600_000;
  return 86_400_000;
}
