/**
 * Per-sid call budget: at most `limit` calls in each one-second window (0 = unlimited). The vendor's
 * observed limit is per minute (wdt-api.md §5: "1分钟最多60次"); per second keeps tests fast.
 * A refused call does not consume budget.
 */
export class RateLimiter {
  private readonly windows = new Map<string, { second: number; used: number }>();

  constructor(
    public limit: number,
    private readonly clock: () => number = Date.now,
  ) {}

  /** True when the call may proceed (and is counted). */
  take(sid: string): boolean {
    if (!(this.limit > 0)) return true;
    const second = Math.floor(this.clock() / 1000);
    let w = this.windows.get(sid);
    if (!w || w.second !== second) {
      w = { second, used: 0 };
      this.windows.set(sid, w);
    }
    if (w.used >= this.limit) return false;
    w.used++;
    return true;
  }
}
