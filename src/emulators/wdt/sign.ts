import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Server-side signature checks, written independently of the platform's signer (the emulator is the
 * truth the platform is tested against).
 */

export type LengthUnit = 'char' | 'byte';

function lengthOf(s: string, unit: LengthUnit): number {
  if (unit === 'byte') return Buffer.byteLength(s, 'utf8');
  let n = 0;
  for (const _ of s) n++; // code points, like PHP iconv_strlen(…, 'UTF-8')
  return n;
}

/**
 * Enterprise sign (wdt-api.md §1.3): ksort, `LL-key:VVVV-value` joined by `;`, secret appended, lowercase md5.
 * `unit` picks what a length counts; the official SDK counts characters.
 */
export function expectedOpenApiSign(params: Record<string, string>, secret: string, unit: LengthUnit): string {
  const packed = Object.keys(params)
    .filter((k) => k !== 'sign')
    .sort()
    .map((k) => {
      const v = params[k] ?? '';
      return `${String(lengthOf(k, unit)).padStart(2, '0')}-${k}:${String(lengthOf(v, unit)).padStart(4, '0')}-${v}`;
    })
    .join(';');
  return createHash('md5').update(packed + secret, 'utf8').digest('hex');
}

/**
 * Qimen/TOP sign (wdt-api.md §2.3): keys sorted, `k1v1k2v2…`, plus the raw body when the request carries a
 * non-form body; md5 wraps with the secret, hmac keys with it. Uppercase hex.
 */
export function expectedQimenSign(
  params: Record<string, string>,
  secret: string,
  method: string,
  rawBody: string,
): string | undefined {
  const text =
    Object.keys(params)
      .filter((k) => k !== 'sign' && k !== '' && params[k] !== '')
      .sort()
      .map((k) => k + params[k])
      .join('') + rawBody;
  if (method === 'md5') return createHash('md5').update(secret + text + secret, 'utf8').digest('hex').toUpperCase();
  if (method === 'hmac') return createHmac('md5', secret).update(text, 'utf8').digest('hex').toUpperCase();
  if (method === 'hmac-sha256') return createHmac('sha256', secret).update(text, 'utf8').digest('hex').toUpperCase();
  return undefined;
}

export function sameSign(given: string, expected: string, caseInsensitive: boolean): boolean {
  const a = Buffer.from(caseInsensitive ? given.toLowerCase() : given);
  const b = Buffer.from(caseInsensitive ? expected.toLowerCase() : expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
