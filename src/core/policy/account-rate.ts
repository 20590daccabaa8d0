import { createHash } from 'node:crypto';
import { z } from 'zod';

/**
 * The rate limit of one vendor account: every scheme (and, scaled out, every worker) that calls the account
 * draws from one budget. Connections may set `rateLimit`; otherwise the vendor's default below applies.
 */
export const AccountRate = z
  .object({
    perSecond: z.number().positive().describe('Calls per second to this vendor account, shared by every scheme that uses it.'),
    burst: z.number().int().min(1).optional().describe('Calls allowed at once before the rate applies (default 1: calls evenly spaced).'),
  })
  .strict()
  .describe('Rate limit of the vendor account behind this connection, shared by every scheme using the same account (default: the vendor\'s, see docs/deploy.md#rate-limits).');
export type AccountRate = z.infer<typeof AccountRate>;

/**
 * Default account limits per platform (docs/deploy.md#rate-limits). WDT answers 1012 beyond its per-account
 * budget (wdt-api.md §5; plans differ — set `rateLimit` to yours); Kingdee documents no limit and queues calls per
 * user (kingdee-webapi.md §6), parallel calls are already capped by `maxInFlight`; generic HTTP APIs are unknown.
 * `undefined`: no rate, but a vendor's "too many calls" pause still applies to every scheme on the account.
 */
export const DEFAULT_ACCOUNT_RATES: Readonly<Record<string, AccountRate | undefined>> = {
  wdt: { perSecond: 10, burst: 1 },
  kingdee: undefined,
  http: undefined,
};

/** Connection settings that identify the vendor account behind a connection (never secrets). */
const IDENTITY_KEYS = ['baseUrl', 'sid', 'appkey', 'appKey', 'acctId', 'username', 'appId', 'tenant', 'clientId'];

/**
 * A stable identity of the vendor account a connection reaches: a hash of the platform and the identifying
 * settings (WDT sid + appkey/appKey, Kingdee acctId + username, the base URL), never a secret. Two connections
 * with different names but the same account have the same identity.
 */
export function accountIdentity(platform: string, config: unknown): string {
  const c = (config && typeof config === 'object' ? config : {}) as Record<string, unknown>;
  const identity = IDENTITY_KEYS.filter((k) => typeof c[k] === 'string' || typeof c[k] === 'number').map((k) => `${k}=${String(c[k])}`);
  return createHash('sha1').update(`${platform}\n${identity.join('\n')}`).digest('hex').slice(0, 16);
}

/** The account limit a connection asks for (`rateLimit`), else the platform's default. */
export function accountRateOf(platform: string, config: unknown): AccountRate | undefined {
  const own = config && typeof config === 'object' ? (config as { rateLimit?: unknown }).rateLimit : undefined;
  const parsed = own === undefined ? undefined : AccountRate.safeParse(own);
  return parsed?.success ? parsed.data : DEFAULT_ACCOUNT_RATES[platform];
}

/**
 * The rate of a bucket shared by every worker (scaled out, Redis): the slower of the scheme's own rate and the
 * account's, so the vendor default and a connection's `rateLimit` hold across workers too.
 */
export function sharedRateOf(platform: string, config: unknown, scheme: { perSecond: number; burst?: number | undefined } | undefined): { perSecond: number; burst?: number | undefined } | undefined {
  const account = accountRateOf(platform, config);
  return scheme && (!account || scheme.perSecond <= account.perSecond) ? scheme : account;
}
