import { createHash, createHmac } from 'node:crypto';

/**
 * WDT request signatures. Pure functions over the exact params that go on the wire (strings).
 */

export type LengthUnit = 'char' | 'byte';

function lengthIn(text: string, unit: LengthUnit): number {
  if (unit === 'byte') return Buffer.byteLength(text, 'utf8');
  let n = 0;
  for (const _ of text) n++; // code points: the official PHP SDK's iconv_strlen(…, 'UTF-8') (wdt-api.md §1.3)
  return n;
}

function byKey(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The enterprise packed string (§1.3): keys sorted, each pair `LL-key:VVVV-value` (lengths zero-padded to
 * 2 and 4 digits, never truncated), joined with `;`, `sign` itself excluded.
 */
export function packOpenApiParams(params: Record<string, string>, unit: LengthUnit = 'char'): string {
  return Object.keys(params)
    .filter((k) => k !== 'sign')
    .sort(byKey)
    .map((k) => {
      const v = params[k]!;
      return `${String(lengthIn(k, unit)).padStart(2, '0')}-${k}:${String(lengthIn(v, unit)).padStart(4, '0')}-${v}`;
    })
    .join(';');
}

/** Enterprise sign: lowercase md5 of the packed string followed by the appsecret. Lengths count characters by default. */
export function signOpenApi(params: Record<string, string>, appsecret: string, unit: LengthUnit = 'char'): string {
  return createHash('md5').update(packOpenApiParams(params, unit) + appsecret, 'utf8').digest('hex');
}

/**
 * Qimen/TOP sign (§2.3): keys sorted ASCII-ascending, `k1v1k2v2…` (sign excluded, empty values skipped as
 * the TOP reference code does), plus the raw body for non-form bodies. md5 wraps the text with the secret;
 * hmac is HMAC-MD5 keyed with the secret. Uppercase hex.
 */
export function signQimen(params: Record<string, string>, secret: string, method: 'md5' | 'hmac', body = ''): string {
  const text =
    Object.keys(params)
      .filter((k) => k !== 'sign' && params[k] !== '')
      .sort(byKey)
      .map((k) => k + params[k])
      .join('') + body;
  const digest =
    method === 'md5'
      ? createHash('md5').update(secret + text + secret, 'utf8').digest('hex')
      : createHmac('md5', secret).update(text, 'utf8').digest('hex');
  return digest.toUpperCase();
}
