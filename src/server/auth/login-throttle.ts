/**
 * Slows password guessing: after 5 failed logins for one user name from one address within 15 minutes,
 * that pair waits a minute (doubling up to 15 minutes). In memory: a restart forgets, which is acceptable.
 */
export class LoginThrottle {
  private readonly fails = new Map<string, { count: number; first: number; until: number }>();

  blockedFor(key: string, now: number): number {
    const f = this.fails.get(key);
    return f && f.until > now ? f.until - now : 0;
  }

  fail(key: string, now: number): void {
    let f = this.fails.get(key);
    if (!f || now - f.first > 15 * 60_000) f = { count: 0, first: now, until: 0 };
    f.count++;
    if (f.count >= 5) f.until = now + Math.min(15 * 60_000, 60_000 * 2 ** (f.count - 5));
    this.fails.set(key, f);
    if (this.fails.size > 10_000) this.fails.delete(this.fails.keys().next().value!);
  }

  succeed(key: string): void {
    this.fails.delete(key);
  }
}
