import type { SourceSession, TargetSession } from '../core/contracts/platform.ts';
import type { StateStore } from '../core/contracts/state-store.ts';
import type { Clock, RateLimiter } from '../core/policy/rate-limiter.ts';
import type { EventSink } from './events.ts';
import type { HolderJudge } from './process-liveness.ts';

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
  /** Judges the holder of a scheme's run lock (default: pid + start time on this host, heartbeat elsewhere); tests and the simulation inject theirs. */
  holderJudge?: HolderJudge;
}
