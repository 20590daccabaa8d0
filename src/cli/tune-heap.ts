import { setFlagsFromString } from 'node:v8';

/**
 * ferry runs for hours and days, often in a small container. V8's default lets the old space grow to about
 * four times the live heap before a full collection; with records in flight across HTTP calls (promoted, then
 * garbage) that made peak RSS grow with the size of a run (164 MB at 10k shops, 287 MB at 1M) although the live
 * heap stayed at ~25 MB. Growing the heap by 50% instead keeps peak memory near the live size, at the cost of
 * more frequent, incremental major collections (no throughput change measured by `npm run bench`).
 * FERRY_HEAP_GROWING_PERCENT overrides it (0 = V8's default).
 */
export function tuneHeap(env: NodeJS.ProcessEnv = process.env): void {
  const raw = env.FERRY_HEAP_GROWING_PERCENT;
  const percent = raw === undefined || raw === '' ? 50 : Number(raw);
  if (Number.isInteger(percent) && percent > 0 && percent <= 400) setFlagsFromString(`--heap-growing-percent=${percent}`);
}
