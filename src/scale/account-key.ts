import { accountIdentity } from '../core/policy/account-rate.ts';

/**
 * The Redis key of a vendor account's shared rate limit. Two connections (in one file or in the
 * files of different workers) that reach the same account share one budget, whatever they are named:
 * the key hashes the platform and the identifying settings, never a secret.
 */
export function accountKey(prefix: string, platform: string, config: unknown): string {
  return `${prefix}:rate:${platform}:${accountIdentity(platform, config)}`;
}
