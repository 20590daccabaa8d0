import { createHash, createHmac } from 'node:crypto';

/**
 * Kingdee request signing, as the official SDKs 7.3+/8.x do it (reference §3b, §3c).
 * Pure functions: the caller supplies the clock values, so the SDK's published test vector can be replayed.
 */

/** The fixed XOR key the SDKs apply to the 32-char blob of an appId (reference §3b). */
const APP_ID_XOR_KEY = Buffer.from('0054f397c6234378b09ca7d3e5debce7', 'ascii');

/** KDHMAC(msg, key) = base64 of the lowercase-hex HMAC-SHA256 (base64 of the 64-char hex text, not of the raw digest). */
export function kdHmac(message: string, key: string): string {
  const hex = createHmac('sha256', Buffer.from(key, 'utf8')).update(message, 'utf8').digest('hex');
  return Buffer.from(hex, 'utf8').toString('base64');
}

/** Splits `<clientId>_<blob>` and derives the client secret used for X-Api-Signature. */
export function deriveClientSecret(appId: string): { clientId: string; clientSecret: string } {
  const cut = appId.indexOf('_');
  const clientId = cut >= 0 ? appId.slice(0, cut) : appId;
  const blob = cut >= 0 ? appId.slice(cut + 1) : '';
  // A blob that is not 32 chars is used as-is (the Java SDK's behaviour; Python would use an empty key).
  if (blob.length !== 32) return { clientId, clientSecret: blob };
  const bytes = Buffer.from(blob, 'base64');
  const out = Buffer.alloc(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = (bytes[i] ?? 0) ^ (APP_ID_XOR_KEY[i] ?? 0);
  return { clientId, clientSecret: out.toString('base64') };
}

/** The path the signature covers: from the first `/` after char 10 of the full URL, URL-encoded (`/` → `%2F`). */
export function encodedSignPath(fullUrl: string): string {
  const start = fullUrl.indexOf('/', 10);
  const path = start >= 0 ? fullUrl.slice(start) : '/';
  return encodeURIComponent(path);
}

export interface SignedHeaderInput {
  url: string;
  acctId: string;
  username: string;
  appId: string;
  appSecret: string;
  lcid: number;
  orgNum: string;
  /** Unix time as text: seconds (Python/Node SDK) or milliseconds (Java SDK). Also used as the nonce. */
  timestamp: string;
}

/** Builds the X-Api-* / X-Kd-* headers of one request (reference §3b table). Never log the result. */
export function buildSignedHeaders(input: SignedHeaderInput): Record<string, string> {
  const { clientId, clientSecret } = deriveClientSecret(input.appId);
  const nonce = input.timestamp;
  const signString = `POST\n${encodedSignPath(input.url)}\n\nx-api-nonce:${nonce}\nx-api-timestamp:${input.timestamp}\n`;
  const appData = `${input.acctId},${input.username},${input.lcid},${input.orgNum}`;
  return {
    'X-Api-ClientID': clientId,
    'X-Api-Auth-Version': '2.0',
    'x-api-timestamp': input.timestamp,
    'x-api-nonce': nonce,
    'x-api-signheaders': 'x-api-timestamp,x-api-nonce',
    'X-Api-Signature': kdHmac(signString, clientSecret),
    'X-Kd-Appkey': input.appId,
    'X-Kd-Appdata': Buffer.from(appData, 'utf8').toString('base64'),
    'X-Kd-Signature': kdHmac(input.appId + appData, input.appSecret),
  };
}

/** LoginBySign `sign`: hex SHA-256 of [acctId, username, appId, appSecret, timestamp] sorted ordinally and joined (§3c). */
export function loginSign(acctId: string, username: string, appId: string, appSecret: string, timestampSec: string): string {
  const parts = [acctId, username, appId, appSecret, timestampSec].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return createHash('sha256').update(parts.join(''), 'utf8').digest('hex');
}
