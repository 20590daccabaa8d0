import type { Redis } from 'ioredis';
import type { StateStore } from '../core/contracts/state-store.ts';
import { checkScheme } from '../core/scheme/load.ts';
import type { Scheme } from '../core/scheme/scheme.ts';
import { openRun, type OpenedRun } from '../cli/open-run.ts';
import type { ResolvedConnection } from '../cli/connections.ts';
import type { EventSink } from '../engine/events.ts';
import type { DistStore } from '../store/postgres/dist-store.ts';
import { accountKey } from './account-key.ts';
import { sharedRateOf } from '../core/policy/account-rate.ts';
import { RedisRateLimiter } from './redis-rate-limiter.ts';

/** What a worker holds for every job: the shared store, Redis, the connections file, where to log. */
export interface WorkerContext {
  store: StateStore;
  dist: DistStore;
  /** The worker's own client for the shared rate limits (not BullMQ's). */
  redis: Redis;
  prefix: string;
  connections: Map<string, ResolvedConnection>;
  logFile: string;
  /** `pid@host`, written on the partitions it runs. */
  workerId: string;
  fetch?: typeof fetch;
  onEvent?: EventSink;
}

/** The scheme document a run was enqueued with (every partition of a run maps with the same scheme). */
export async function loadRunScheme(ctx: WorkerContext, runId: string): Promise<Scheme> {
  const run = await ctx.dist.getRun(runId);
  if (!run) throw new Error(`run ${runId} is not in the store (was it enqueued against another PostgreSQL schema?)`);
  const r = checkScheme(run.schemeDoc);
  if (!r.ok) throw new Error(`run ${runId}: the stored scheme no longer loads: ${r.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
  return r.scheme;
}

/**
 * Opens sessions for one job of a run, like `ferry run` does, but with the rate limits shared through
 * Redis: one bucket per vendor account, whichever worker calls it.
 */
export function openDistRun(ctx: WorkerContext, scheme: Scheme, store: StateStore, signal?: AbortSignal): OpenedRun {
  // The shared bucket runs at the slower of the scheme's rate and the account's (the connection's rateLimit or the
  // vendor's default, as in one process — docs/deploy.md#rate-limits).
  const limiterFor = (conn: ResolvedConnection, rate: { perSecond: number; burst?: number | undefined } | undefined) => {
    const r = sharedRateOf(conn.profile.name, conn.config, rate);
    return new RedisRateLimiter(ctx.redis, accountKey(ctx.prefix, conn.profile.name, conn.config), r ? { perSecond: r.perSecond, ...(r.burst ? { burst: r.burst } : {}) } : {});
  };
  return openRun(scheme, ctx.connections, store, {
    logFile: ctx.logFile,
    ...(ctx.onEvent ? { onEvent: ctx.onEvent } : {}),
    ...(signal ? { signal } : {}),
    ...(ctx.fetch ? { fetch: ctx.fetch } : {}),
    limiterFor,
  });
}
