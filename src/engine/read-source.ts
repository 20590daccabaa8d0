import type { Cursor, ReadSpec, SourcePage, SourceSession } from '../core/contracts/platform.ts';
import type { Clock, RateLimiter } from '../core/policy/rate-limiter.ts';
import { withRetry, type RetryOptions } from '../core/policy/retry.ts';
import type { FerryError } from '../core/errors.ts';
import type { JsonObject } from '../core/records.ts';
import { ReadGuard, type TotalMismatch } from './read-guard.ts';

export interface ReadOptions {
  signal: AbortSignal;
  retry: RetryOptions;
  limiter: RateLimiter;
  clock: Clock;
  random?: () => number;
  /** Resume here instead of the first page. */
  startCursor?: Cursor | null;
  onRetry?: (error: FerryError, attempt: number, delayMs: number) => void;
  /** A record's identity (the scheme's source id), for the repeated-page guard; the whole record when absent. */
  identity?: (record: JsonObject) => unknown;
  /**
   * Told at the end of a read that started at the first page and ran to its end, when the total the vendor
   * reported differs from the records read.
   */
  onTotalMismatch?: (m: TotalMismatch) => void;
}

export interface ReadPage extends SourcePage {
  /** The cursor this page was fetched with. */
  cursor: Cursor;
}

/**
 * Pages of one read (or one window) as an async iterable. Each page is fetched under the rate limiter
 * with retries for what the platform marked retryable; page N+1 is fetched only when the consumer
 * pulls it (back-pressure). Ends when the platform returns `next: null`. A ReadGuard refuses pages that
 * repeat records of this read and reads that run far past the vendor's total (see read-guard.ts).
 */
export async function* readPages(session: SourceSession, spec: ReadSpec, o: ReadOptions): AsyncGenerator<ReadPage> {
  const fromStart = !o.startCursor;
  let cursor: Cursor | null = o.startCursor ?? session.first(spec);
  const guard = new ReadGuard(spec, o.identity);
  while (cursor) {
    const at: Cursor = cursor;
    const page = await withRetry(async () => guard.check(await session.fetchPage(spec, at, o.signal)), o.retry, {
      clock: o.clock,
      limiter: o.limiter,
      signal: o.signal,
      ...(o.random ? { random: o.random } : {}),
      ...(o.onRetry ? { onRetry: o.onRetry } : {}),
    });
    guard.accept(page);
    yield { ...page, cursor: at };
    cursor = page.next;
  }
  const m = fromStart ? guard.mismatch() : undefined;
  if (m) o.onTotalMismatch?.(m);
}
