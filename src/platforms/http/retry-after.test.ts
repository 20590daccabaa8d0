import { describe, expect, it } from 'vitest';
import { parseReset, parseRetryAfter, retryAfterMs } from './retry-after.ts';

const now = Date.parse('2026-11-02T08:00:00Z');

describe('retry-after', () => {
  it('reads Retry-After as seconds or an HTTP-date', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Mon, 02 Nov 2026 08:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Mon, 02 Nov 2026 07:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });

  it('reads reset headers as epoch seconds, epoch ms, or seconds from now', () => {
    expect(parseReset(String(now / 1000 + 42), now)).toBe(42_000);
    expect(parseReset(String(now + 1500), now)).toBe(1500);
    expect(parseReset('15', now)).toBe(15_000);
  });

  it('prefers configured headers, then Retry-After, then the rate-limit headers', () => {
    const h = new Headers({ 'retry-after': '5', 'x-ratelimit-reset': String(now / 1000 + 60), 'x-wait': '9' });
    expect(retryAfterMs(h, now)).toBe(5000);
    expect(retryAfterMs(h, now, ['X-Wait'])).toBe(9000);
    expect(retryAfterMs(new Headers({ 'x-ratelimit-reset': String(now / 1000 + 60) }), now)).toBe(60_000);
    expect(retryAfterMs(new Headers(), now)).toBeUndefined();
  });
});
