/**
 * WDT datetimes are Beijing time (UTC+8, no DST) written `yyyy-MM-dd HH:mm:ss` with no offset (wdt-api.md §6).
 * The emulator's own copy (emulators import nothing outside src/emulators).
 */
const OFFSET_MS = 8 * 3600_000;

export function formatBeijing(ms: number): string {
  const d = new Date(ms + OFFSET_MS);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

/** Parses `yyyy-MM-dd HH:mm:ss` (Beijing); returns undefined when the text is not that shape. */
export function parseBeijing(text: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(text.trim());
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s) - OFFSET_MS;
  return formatBeijing(ms) === text.trim() ? ms : undefined;
}
