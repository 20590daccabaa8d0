import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The emulator's own implementation of the signatures it checks (reference §3b, §3c). It deliberately
 * shares no code with the platform profile: the emulator is the independent truth the profile is tested against.
 */

const XOR_KEY = '0054f397c6234378b09ca7d3e5debce7';

/** base64 of the hex text of HMAC-SHA256 — the SDKs' "KDHMAC". */
export function hmacHexBase64(message: string, key: string): string {
  const hex = createHmac('sha256', key).update(message).digest('hex');
  return Buffer.from(hex).toString('base64');
}

/** clientSecret = base64(base64decode(blob) XOR ascii key) when the blob after `_` is 32 chars; else the blob. */
export function clientSecretFor(appId: string): string {
  const blob = appId.includes('_') ? appId.slice(appId.indexOf('_') + 1) : '';
  if (blob.length !== 32) return blob;
  const raw = Buffer.from(blob, 'base64');
  const key = Buffer.from(XOR_KEY);
  return Buffer.from(raw.map((b, i) => b ^ (key[i] ?? 0))).toString('base64');
}

export function expectedKdSignature(appId: string, appDataPlain: string, appSecret: string): string {
  return hmacHexBase64(appId + appDataPlain, appSecret);
}

/** X-Api-Signature over the request path as the client saw it (URL-encoded, `/` → `%2F`). */
export function expectedApiSignature(appId: string, path: string, nonce: string, timestamp: string): string {
  const sign = `POST\n${encodeURIComponent(path)}\n\nx-api-nonce:${nonce}\nx-api-timestamp:${timestamp}\n`;
  return hmacHexBase64(sign, clientSecretFor(appId));
}

/** LoginBySign: sha256 hex of the five values sorted ordinally and concatenated. */
export function expectedLoginSign(values: string[]): string {
  const sorted = [...values].sort((a, b) => (a === b ? 0 : a < b ? -1 : 1));
  return createHash('sha256').update(sorted.join('')).digest('hex');
}

export function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
