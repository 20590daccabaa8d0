import { describe, expect, it } from 'vitest';
import { WindowCounter } from './window-counter.ts';

describe('WindowCounter', () => {
  it('counts calls and errors within the window and drops old buckets', () => {
    const w = new WindowCounter(10 * 60_000); // 20 s buckets
    w.add(0, false);
    w.add(1_000, true);
    w.add(5 * 60_000, false);
    expect(w.totals(5 * 60_000)).toEqual({ calls: 3, errors: 2 });
    expect(w.totals(10 * 60_000 + 20_000)).toEqual({ calls: 1, errors: 1 }); // the first bucket [0, 20 s) is out
    expect(w.totals(16 * 60_000)).toEqual({ calls: 0, errors: 0 });
  });

  it('keeps a bounded number of buckets however many calls arrive', () => {
    const w = new WindowCounter(60_000);
    for (let t = 0; t < 10 * 60_000; t += 100) w.add(t, t % 1000 !== 0);
    const { calls, errors } = w.totals(10 * 60_000);
    expect(calls).toBeGreaterThanOrEqual(590);
    expect(calls).toBeLessThanOrEqual(610);
    expect(errors).toBe(calls / 10);
  });
});
