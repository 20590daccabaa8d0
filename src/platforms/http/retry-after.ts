/**
 * How long a server asks us to wait, from its response headers. The engine does the waiting; we only
 * compute `retryAfterMs`.
 *
 * - `Retry-After` (RFC 9110 §10.2.3): delay-seconds or an HTTP-date.
 * - `RateLimit-Reset` (IETF ratelimit-headers draft) and `X-RateLimit-Reset-After`: seconds from now.
 * - `X-RateLimit-Reset` / `X-Rate-Limit-Reset`: vendors disagree — GitHub sends epoch seconds, others
 *   seconds-from-now. Values after the year 2001 in epoch seconds (> 1e9) are taken as an instant,
 *   > 1e12 as epoch milliseconds, anything smaller as a delay in seconds.
 */

const DEFAULT_HEADERS = ['retry-after', 'ratelimit-reset', 'x-ratelimit-reset-after', 'x-ratelimit-reset', 'x-rate-limit-reset'];

export function retryAfterMs(headers: Headers, now: number, extraHeaders: readonly string[] = []): number | undefined {
  for (const name of [...extraHeaders.map((h) => h.toLowerCase()), ...DEFAULT_HEADERS]) {
    const raw = headers.get(name);
    if (raw === null || raw.trim() === '') continue;
    const ms = name === 'retry-after' ? parseRetryAfter(raw, now) : parseReset(raw, now);
    if (ms !== undefined) return ms;
  }
  return undefined;
}

/** `Retry-After: 120` or `Retry-After: Wed, 21 Oct 2015 07:28:00 GMT`. Past dates give 0. */
export function parseRetryAfter(raw: string, now: number): number | undefined {
  const v = raw.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

export function parseReset(raw: string, now: number): number | undefined {
  const v = raw.trim();
  if (!/^\d+(\.\d+)?$/.test(v)) return parseRetryAfter(v, now);
  const n = Number(v);
  if (n > 1e12) return Math.max(0, Math.round(n - now));
  if (n > 1e9) return Math.max(0, Math.round(n * 1000 - now));
  return Math.round(n * 1000);
}
