import { accountIdentity, accountRateOf, type AccountRate } from './account-rate.ts';
import { systemClock, TokenBucket, Unlimited, type Clock, type RateLimiter } from './rate-limiter.ts';

interface AccountEntry {
  limiter: RateLimiter;
  rate: string;
}

/**
 * One rate limiter per vendor account in a process (`ferry serve` keeps one for its lifetime): every run of
 * every scheme whose connection reaches the same account (same identity, see `accountIdentity`) draws from the
 * same bucket, at the connection's `rateLimit` or the vendor's default. A scheme's own `rateLimit` still
 * applies to its runs on top (it can only be slower). A vendor's "wait" answer pauses the whole account.
 */
export class AccountLimiters {
  private readonly accounts = new Map<string, AccountEntry>();

  constructor(private readonly clock: Clock = systemClock) {}

  /** The limiter for one run's calls to a connection; `schemeRate` is the scheme's `rateLimit.source/target`. */
  forRun(platform: string, config: unknown, schemeRate?: { perSecond: number; burst?: number | undefined }): RateLimiter {
    const account = this.account(platform, config);
    if (!schemeRate) return account;
    return new BothLimiters(new TokenBucket(schemeRate.perSecond, schemeRate.burst, this.clock), account);
  }

  /** The shared limiter of the account behind a connection. A changed rate (connection edited) starts a new bucket. */
  account(platform: string, config: unknown): RateLimiter {
    const key = `${platform}:${accountIdentity(platform, config)}`;
    const rate = accountRateOf(platform, config);
    const sig = JSON.stringify(rate ?? null);
    let e = this.accounts.get(key);
    if (!e || e.rate !== sig) {
      e = { limiter: make(rate, this.clock), rate: sig };
      this.accounts.set(key, e);
    }
    return e.limiter;
  }
}

function make(rate: AccountRate | undefined, clock: Clock): RateLimiter {
  return rate ? new TokenBucket(rate.perSecond, rate.burst ?? 1, clock) : new Unlimited(clock);
}

/** A call starts when the scheme's bucket and then the account's give a token; a pause stops both. */
class BothLimiters implements RateLimiter {
  constructor(
    private readonly own: RateLimiter,
    private readonly account: RateLimiter,
  ) {}

  async acquire(signal?: AbortSignal): Promise<void> {
    await this.own.acquire(signal);
    await this.account.acquire(signal);
  }

  pause(ms: number): void {
    this.own.pause(ms);
    this.account.pause(ms);
  }
}
