/**
 * Calls and errors within a sliding time window, in buckets of windowMs / 30 (so the window edge is
 * accurate to 1/30 of its length). O(1) amortised per add; memory bounded by the bucket count.
 */
export class WindowCounter {
  private readonly bucketMs: number;
  private readonly buckets: { start: number; calls: number; errors: number }[] = [];
  private calls = 0;
  private errors = 0;

  constructor(readonly windowMs: number) {
    this.bucketMs = Math.max(1000, Math.floor(windowMs / 30));
  }

  add(at: number, ok: boolean): void {
    this.prune(at);
    const start = at - (at % this.bucketMs);
    let last = this.buckets[this.buckets.length - 1];
    if (!last || last.start !== start) {
      last = { start, calls: 0, errors: 0 };
      this.buckets.push(last);
    }
    last.calls++;
    this.calls++;
    if (!ok) {
      last.errors++;
      this.errors++;
    }
  }

  totals(at: number): { calls: number; errors: number } {
    this.prune(at);
    return { calls: this.calls, errors: this.errors };
  }

  private prune(at: number): void {
    const from = at - this.windowMs;
    while (this.buckets.length && this.buckets[0]!.start + this.bucketMs <= from) {
      const b = this.buckets.shift()!;
      this.calls -= b.calls;
      this.errors -= b.errors;
    }
  }
}
