import type { SourceSession, TargetSession } from '../core/contracts/platform.ts';
import type { StateStore } from '../core/contracts/state-store.ts';
import type { Clock, RateLimiter } from '../core/policy/rate-limiter.ts';
import type { EventSink } from './events.ts';

/** What a run needs from the composition root: the store, opened sessions, limiters, clock and an event sink. */
export interface EngineDeps {
  store: StateStore;
  source: SourceSession;
  target: TargetSession;
  sourceLimiter: RateLimiter;
  targetLimiter: RateLimiter;
  clock?: Clock;
  random?: () => number;
  onEvent?: EventSink;
  signal?: AbortSignal;
}
