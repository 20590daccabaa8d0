import { createHash } from 'node:crypto';

/** Connection settings that identify the vendor account behind a connection (never secrets). */
const IDENTITY_KEYS = ['baseUrl', 'sid', 'appkey', 'appKey', 'acctId', 'username', 'appId', 'tenant', 'clientId'];

/**
 * The Redis key of a vendor account's shared rate limit. Two connections (in one file or in the
 * files of different workers) that reach the same account share one budget, whatever they are named:
 * the key hashes the platform and the identifying settings, never a secret.
 */
export function accountKey(prefix: string, platform: string, config: unknown): string {
  const c = (config && typeof config === 'object' ? config : {}) as Record<string, unknown>;
  const identity = IDENTITY_KEYS.filter((k) => typeof c[k] === 'string' || typeof c[k] === 'number').map((k) => `${k}=${String(c[k])}`);
  const digest = createHash('sha1').update(`${platform}\n${identity.join('\n')}`).digest('hex').slice(0, 16);
  return `${prefix}:rate:${platform}:${digest}`;
}
