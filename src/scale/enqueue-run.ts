import { randomUUID } from 'node:crypto';
import { emptyCounts } from '../core/contracts/state-store.ts';
import type { Scheme } from '../core/scheme/scheme.ts';
import { DistStore } from '../store/postgres/dist-store.ts';
import { PostgresStore } from '../store/postgres/postgres-store.ts';
import type { SealedJobConnection } from './job-connections.ts';
import { jobIds, openQueues, PLAN_JOB_OPTIONS, type ScaleQueues } from './queue.ts';

export interface EnqueueOptions {
  trigger?: string;
  runId?: string;
  /** Pages per partition of a full read (default 20). */
  pagesPerPartition?: number;
  /** Most partitions per stream of an incremental read (default 64). */
  maxPartitions?: number;
  now?: number;
  /** Connections for the workers, sealed with the server key (set by `ferry serve`; see job-connections.ts). */
  connections?: SealedJobConnection[];
}

export interface ScaleConnection {
  store: PostgresStore;
  dist: DistStore;
  queues: ScaleQueues;
}

/** The run-row owner of scaled-out runs (their partitions run on many workers). */
export const DIST_OWNER = 'scale-out';

export function newRunId(now: number): string {
  return `${new Date(now).toISOString().replace(/[-:T]/g, '').slice(0, 14)}-${randomUUID().slice(0, 8)}`;
}

/**
 * Starts a scaled-out run: the run row and the scheme document are committed to PostgreSQL FIRST, and
 * only then is the plan job enqueued — so no worker ever takes a job whose run it cannot find. If the
 * process dies between the two, the run stays `running` without jobs; `requeueUnplanned` adds the job
 * again (its id is derived from the run id, so doing it twice is harmless).
 */
export async function enqueueRun(c: ScaleConnection, scheme: Scheme, o: EnqueueOptions = {}): Promise<string> {
  const now = o.now ?? Date.now();
  const runId = o.runId ?? newRunId(now);
  const options = {
    ...(o.pagesPerPartition ? { pagesPerPartition: o.pagesPerPartition } : {}),
    ...(o.maxPartitions ? { maxPartitions: o.maxPartitions } : {}),
  };
  await c.dist.createRun(
    { id: runId, scheme: scheme.name, status: 'running', trigger: o.trigger ?? 'manual', startedAt: now, counts: emptyCounts(), owner: DIST_OWNER },
    scheme,
    options,
  );
  await c.queues.queue.add('plan', { runId, ...(o.connections ? { connections: o.connections } : {}) }, { ...PLAN_JOB_OPTIONS, jobId: jobIds.plan(runId) });
  return runId;
}

/** Re-enqueues the plan job of unfinished runs that were never planned (enqueue interrupted after the commit). */
export async function requeueUnplanned(
  c: ScaleConnection,
  scheme: string,
  olderThanMs = 60_000,
  now = Date.now(),
  /** Sealed connections to carry again (runs enqueued by `ferry serve`, whose workers take connections from jobs). */
  connections?: EnqueueOptions['connections'],
): Promise<string[]> {
  const out: string[] = [];
  for (const runId of await c.dist.unfinished(scheme)) {
    const run = await c.dist.getRun(runId);
    const row = await c.store.getRun(runId);
    if (!run || run.plannedAt !== null || !row || now - row.startedAt < olderThanMs) continue;
    await c.queues.queue.add('plan', { runId, ...(connections ? { connections } : {}) }, { ...PLAN_JOB_OPTIONS, jobId: jobIds.plan(runId) });
    out.push(runId);
  }
  return out;
}

export interface ScaleSettings {
  redisUrl: string;
  postgresUrl: string;
  /** PostgreSQL schema (default `ferry`). */
  schema?: string;
  /** Redis key prefix (default `ferry`). */
  prefix?: string;
  /** PostgreSQL pool size (default 10). */
  poolSize?: number;
}

/** Opens PostgreSQL (migrated) and the BullMQ producers: what `ferry serve --redis --postgres` needs to enqueue. */
export async function openScale(s: ScaleSettings): Promise<ScaleConnection & { close(): Promise<void> }> {
  // Queues first: a malformed Redis URL fails before PostgreSQL is open.
  const queues = openQueues({ redisUrl: s.redisUrl, ...(s.prefix ? { prefix: s.prefix } : {}) });
  const store = await PostgresStore.open({ connectionString: s.postgresUrl, ...(s.schema ? { schema: s.schema } : {}), max: s.poolSize ?? 10 }).catch(async (err: unknown) => {
    await queues.close().catch(() => undefined);
    throw err;
  });
  return {
    store,
    dist: new DistStore(store),
    queues,
    async close() {
      await queues.close();
      await store.close();
    },
  };
}

/** Whether a scheme has a scaled-out run that has not finished (for the scheduler's overlap policy). */
export async function isSchemeRunning(c: ScaleConnection, scheme: string): Promise<boolean> {
  return (await c.dist.unfinished(scheme)).length > 0;
}
