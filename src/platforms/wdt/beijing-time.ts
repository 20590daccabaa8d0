/**
 * Every WDT datetime string is Beijing time (UTC+8, no DST) written `yyyy-MM-dd HH:mm:ss` with no offset
 * (wdt-api.md §6). Convert before formatting, or a 60-minute window shifts by 8 hours.
 */

const BEIJING_OFFSET_MS = 8 * 3600_000;

/** `yyyy-MM-dd HH:mm:ss` in Beijing time for an instant (Date or ms since epoch); milliseconds are dropped. */
export function formatBeijingTime(instant: Date | number): string {
  const ms = typeof instant === 'number' ? instant : instant.getTime();
  const d = new Date(ms + BEIJING_OFFSET_MS);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

/**
 * Parses a vendor datetime (`yyyy-MM-dd HH:mm:ss`, Beijing time) to ms since epoch.
 * Returns undefined for anything else, including impossible dates and WDT's `0000-00-00 00:00:00` "no time".
 */
export function parseBeijingTime(text: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/.exec(text.trim());
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s) - BEIJING_OFFSET_MS;
  return formatBeijingTime(ms) === `${m[1]}-${m[2]}-${m[3]} ${m[4]}:${m[5]}:${m[6]}` ? ms : undefined;
}

/** Unix seconds, as the enterprise `timestamp` wants (§1.2). */
export function unixSeconds(ms: number): string {
  return String(Math.floor(ms / 1000));
}
