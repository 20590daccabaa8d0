import type { Cursor, ReadSpec, SourcePage, SourceSession } from '../core/contracts/platform.ts';
import type { Clock, RateLimiter } from '../core/policy/rate-limiter.ts';
import { withRetry, type RetryOptions } from '../core/policy/retry.ts';
import type { FerryError } from '../core/errors.ts';

export interface ReadOptions {
  signal: AbortSignal;
  retry: RetryOptions;
  limiter: RateLimiter;
  clock: Clock;
  random?: () => number;
  /** Resume here instead of the first page. */
  startCursor?: Cursor | null;
  onRetry?: (error: FerryError, attempt: number, delayMs: number) => void;
}

export interface ReadPage extends SourcePage {
  /** The cursor this page was fetched with. */
  cursor: Cursor;
}

/**
 * Pages of one read (or one window) as an async iterable. Each page is fetched under the rate limiter
 * with retries for what the platform marked retryable; page N+1 is fetched only when the consumer
 * pulls it (back-pressure). Ends when the platform returns `next: null`.
 */
export async function* readPages(session: SourceSession, spec: ReadSpec, o: ReadOptions): AsyncGenerator<ReadPage> {
  let cursor: Cursor | null = o.startCursor ?? session.first(spec);
  while (cursor) {
    const at: Cursor = cursor;
    const page = await withRetry(() => session.fetchPage(spec, at, o.signal), o.retry, {
      clock: o.clock,
      limiter: o.limiter,
      signal: o.signal,
      ...(o.random ? { random: o.random } : {}),
      ...(o.onRetry ? { onRetry: o.onRetry } : {}),
    });
    yield { ...page, cursor: at };
    cursor = page.next;
  }
}
