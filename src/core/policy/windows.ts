import type { TimeWindow } from '../contracts/platform.ts';

/** Splits [start, end) into consecutive windows no longer than `maxMs` (the vendor's limit). */
export function* splitWindows(start: Date, end: Date, maxMs: number): Generator<TimeWindow> {
  if (!(maxMs > 0)) throw new Error(`window length must be positive, got ${maxMs}`);
  let s = start.getTime();
  const e = end.getTime();
  while (s < e) {
    const next = Math.min(e, s + maxMs);
    yield { start: new Date(s), end: new Date(next) };
    s = next;
  }
}
