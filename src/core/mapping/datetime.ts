import { CompileError } from './issues.ts';

/**
 * Dates and times, with the zone always explicit (never the machine's TZ).
 *
 * Vendor times are Beijing time: WDT sends `yyyy-MM-dd HH:mm:ss` strings in UTC+8 with no offset
 * (wdt-api.md "Timezone"), Kingdee reads naive times in the server's zone (UTC+8 in practice). So the
 * default zone is `+08:00`, a fixed offset (China has had no daylight saving since 1991). Any fixed
 * offset (`Z`, `UTC`, `+08:00`, `+0800`, `UTC+8`) or IANA name (`Asia/Shanghai`, via Intl) may be given.
 *
 * Inputs accepted: `yyyy-MM-dd`, `yyyy-MM-dd HH:mm[:ss[.SSS]]` (also `/` separators and `T`), ISO 8601
 * with `Z` or an offset, `yyyyMMdd`, `yyyyMMddHHmmss`, epoch seconds or milliseconds (numbers or digit
 * strings: 10 digits / below 1e11 = seconds, 13 digits / from 1e11 = milliseconds) and Date objects.
 * Text without an offset is wall time in the source zone; text with an offset and epochs are instants,
 * shown as wall time of the output zone. WDT's zero date `0000-00-00[ 00:00:00]` means "no date".
 */

export interface Zone {
  readonly name: string;
  /** Minutes east of UTC at the given instant. */
  offsetAt(epochMs: number): number;
}

export interface WallTime {
  y: number;
  mo: number;
  d: number;
  h: number;
  mi: number;
  s: number;
  ms: number;
}

export type ParsedTime = { kind: 'instant'; ms: number } | { kind: 'wall'; wall: WallTime; dateOnly: boolean };

const zoneCache = new Map<string, Zone>();

function fixedZone(name: string, minutes: number): Zone {
  return { name, offsetAt: () => minutes };
}

/** Parses a zone spec; throws CompileError for an unknown zone. */
export function parseZone(spec: string): Zone {
  const cached = zoneCache.get(spec);
  if (cached) return cached;
  const s = spec.trim();
  let zone: Zone;
  const m = /^(?:UTC|GMT)?([+-])(\d{1,2})(?::?(\d{2}))?$/i.exec(s);
  if (/^(Z|UTC|GMT)$/i.test(s)) zone = fixedZone('+00:00', 0);
  else if (m) {
    const minutes = (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0));
    if (Math.abs(minutes) > 18 * 60) throw new CompileError(`time zone "${spec}" is out of range`);
    zone = fixedZone(s, minutes);
  } else {
    let dtf: Intl.DateTimeFormat;
    try {
      dtf = new Intl.DateTimeFormat('en-US', {
        timeZone: s,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      throw new CompileError(`unknown time zone "${spec}" (use an offset like +08:00 or a name like Asia/Shanghai)`);
    }
    zone = {
      name: s,
      offsetAt(epochMs) {
        const p: Record<string, number> = {};
        for (const part of dtf.formatToParts(new Date(epochMs))) if (part.type !== 'literal') p[part.type] = Number(part.value);
        const asUtc = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
        return Math.round((asUtc - (epochMs - (((epochMs % 1000) + 1000) % 1000))) / 60000);
      },
    };
  }
  zoneCache.set(spec, zone);
  return zone;
}

const DATE_RE = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

function daysInMonth(y: number, mo: number): number {
  return new Date(Date.UTC(y, mo, 0)).getUTCDate();
}

function validWall(w: WallTime): boolean {
  return w.mo >= 1 && w.mo <= 12 && w.d >= 1 && w.d <= daysInMonth(w.y, w.mo) && w.h <= 23 && w.mi <= 59 && w.s <= 59;
}

function epoch(n: number): ParsedTime | undefined {
  if (!Number.isFinite(n)) return undefined;
  const ms = Math.abs(n) < 1e11 ? n * 1000 : n;
  return Math.abs(ms) <= 8.64e15 ? { kind: 'instant', ms: Math.round(ms) } : undefined;
}

/** Parses a date/time value. `'empty'` for the WDT zero date and blank text; undefined when not a date. */
export function parseTime(v: unknown): ParsedTime | 'empty' | undefined {
  if (typeof v === 'number') return epoch(v);
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? undefined : { kind: 'instant', ms: v.getTime() };
  if (typeof v !== 'string') return undefined;
  const s = v.trim();
  if (s === '' || /^0000-00-00(?:[ T]00:00:00)?$/.test(s)) return 'empty';
  if (/^\d+$/.test(s)) {
    if (s.length === 10 || s.length === 13) return epoch(Number(s));
    if (s.length === 8 || s.length === 14) {
      const n = (a: number, b: number) => Number(s.slice(a, b));
      const wall: WallTime = { y: n(0, 4), mo: n(4, 6), d: n(6, 8), h: 0, mi: 0, s: 0, ms: 0 };
      if (s.length === 14) Object.assign(wall, { h: n(8, 10), mi: n(10, 12), s: n(12, 14) });
      return validWall(wall) ? { kind: 'wall', wall, dateOnly: s.length === 8 } : undefined;
    }
    return undefined;
  }
  const m = DATE_RE.exec(s);
  if (!m) return undefined;
  const wall: WallTime = {
    y: Number(m[1]),
    mo: Number(m[2]),
    d: Number(m[3]),
    h: Number(m[4] ?? 0),
    mi: Number(m[5] ?? 0),
    s: Number(m[6] ?? 0),
    ms: m[7] ? Math.floor(Number(`0.${m[7]}`) * 1000) : 0,
  };
  if (!validWall(wall)) return undefined;
  const off = m[8];
  if (off === undefined) return { kind: 'wall', wall, dateOnly: m[4] === undefined };
  let minutes = 0;
  if (off.toUpperCase() !== 'Z') {
    const digits = off.slice(1).replace(':', '');
    minutes = (off[0] === '-' ? -1 : 1) * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || 0));
  }
  return { kind: 'instant', ms: wallAsUtc(wall) - minutes * 60000 };
}

function wallAsUtc(w: WallTime): number {
  const d = new Date(Date.UTC(2000, w.mo - 1, w.d, w.h, w.mi, w.s, w.ms));
  d.setUTCFullYear(w.y); // years below 100 must not be read as 19xx
  return d.getTime();
}

export function wallToInstant(w: WallTime, zone: Zone): number {
  const asUtc = wallAsUtc(w);
  let ms = asUtc - zone.offsetAt(asUtc) * 60000;
  ms = asUtc - zone.offsetAt(ms) * 60000; // second pass settles DST edges
  return ms;
}

export function instantToWall(ms: number, zone: Zone): WallTime {
  const d = new Date(ms + zone.offsetAt(ms) * 60000);
  return {
    y: d.getUTCFullYear(),
    mo: d.getUTCMonth() + 1,
    d: d.getUTCDate(),
    h: d.getUTCHours(),
    mi: d.getUTCMinutes(),
    s: d.getUTCSeconds(),
    ms: d.getUTCMilliseconds(),
  };
}

/** Wall time of `p` in zone `to`; naive input is read in zone `from` (kept as is when from === to). */
export function wallIn(p: ParsedTime, from: Zone, to: Zone): WallTime {
  if (p.kind === 'wall') return from === to ? p.wall : instantToWall(wallToInstant(p.wall, from), to);
  return instantToWall(p.ms, to);
}

export function instantOf(p: ParsedTime, from: Zone): number {
  return p.kind === 'instant' ? p.ms : wallToInstant(p.wall, from);
}

export const pad2 = (n: number): string => (n < 10 ? '0' + n : String(n));
const pad4 = (n: number): string => (n >= 0 && n < 10000 ? String(n).padStart(4, '0') : String(n));

export function formatDate(w: WallTime): string {
  return `${pad4(w.y)}-${pad2(w.mo)}-${pad2(w.d)}`;
}

export function formatDateTime(w: WallTime): string {
  return `${pad4(w.y)}-${pad2(w.mo)}-${pad2(w.d)} ${pad2(w.h)}:${pad2(w.mi)}:${pad2(w.s)}`;
}

export function formatOffset(minutes: number, colon = true): string {
  const sign = minutes < 0 ? '-' : '+';
  const a = Math.abs(minutes);
  return `${sign}${pad2(Math.floor(a / 60))}${colon ? ':' : ''}${pad2(a % 60)}`;
}
