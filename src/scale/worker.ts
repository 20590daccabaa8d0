import { hostname } from 'node:os';
import { UnrecoverableError, type Job } from 'bullmq';
import type { ResolvedConnection } from '../cli/connections.ts';
import type { EventSink } from '../engine/events.ts';
import { DistStore } from '../store/postgres/dist-store.ts';
import { PostgresStore } from '../store/postgres/postgres-store.ts';
import type { WorkerContext } from './dist-run.ts';
import { unsealJobConnections } from './job-connections.ts';
import { handleFinish, handlePartition, handlePlan } from './job-handlers.ts';
import { interruptAbandonedRuns } from '../engine/run-lock.ts';
import { createWorker, openQueues, redisClient, type FinishJob, type PartitionJob, type PlanJob, type ScaleJobData, type ScaleJobName } from './queue.ts';

export interface WorkerOptions {
  redisUrl: string;
  postgresUrl: string;
  /**
   * Connections from a file (the same on every worker). Without them, each job must carry the connections
   * it uses, sealed by `ferry serve`, and `jobKey` (the server's FERRY_SECRET_KEY) opens them.
   */
  connections?: Map<string, ResolvedConnection>;
  jobKey?: Buffer;
  /** Log file of this worker (one per process: several processes never share a file). */
  logFile: string;
  /** Partitions this process runs at once. Default 2. */
  concurrency?: number;
  schema?: string;
  prefix?: string;
  lockDuration?: number;
  stalledInterval?: number;
  maxStalledCount?: number;
  fetch?: typeof fetch;
  onEvent?: EventSink;
  /** Told about each job that ends (for the CLI's output). */
  onJob?: (e: { name: string; id: string; ok: boolean; result?: unknown; error?: string }) => void;
}

export interface RunningWorker {
  workerId: string;
  /** Stops taking jobs and waits for the jobs in hand to end; `force` aborts them (they are retried elsewhere). */
  close(force?: boolean): Promise<void>;
}

/**
 * A scale-out worker: takes plan / partition / finish jobs from BullMQ and runs them with the engine
 * against the shared PostgreSQL store. Kill it at any moment: its jobs' locks expire and another worker
 * takes them over; a partition resumes at its last committed page and the ledger + target look-up keep
 * the target free of duplicates.
 */
export async function startWorker(o: WorkerOptions): Promise<RunningWorker> {
  const prefix = o.prefix ?? 'ferry';
  const concurrency = o.concurrency ?? 2;
  // First the client, so a malformed Redis URL fails before anything is open.
  const redis = redisClient(o.redisUrl, { connectionName: `${prefix}:limits` });
  // Connection trouble is retried by ioredis (a call that still fails fails its partition attempt, which
  // BullMQ retries); without a listener ioredis would print every reconnect error. Commands sent before
  // the connection is up wait in ioredis' offline queue, and waitUntilReady below waits for Redis anyway.
  redis.on('error', () => undefined);
  const store = await PostgresStore.open({ connectionString: o.postgresUrl, ...(o.schema ? { schema: o.schema } : {}), max: Math.max(4, concurrency * 2 + 2) }).catch((err: unknown) => {
    redis.disconnect();
    throw err;
  });
  // Runs of one process (a replay in a scaled-out `ferry serve`) left `running` by a process that is gone.
  await interruptAbandonedRuns(store, { now: Date.now() }).catch(() => undefined);
  const queues = openQueues({ redisUrl: o.redisUrl, prefix });
  const workerId = `${process.pid}@${hostname()}`;
  const hardStop = new AbortController();
  const baseCtx: WorkerContext = {
    store,
    dist: new DistStore(store),
    redis,
    prefix,
    connections: o.connections ?? new Map(),
    logFile: o.logFile,
    workerId,
    ...(o.fetch ? { fetch: o.fetch } : {}),
    ...(o.onEvent ? { onEvent: o.onEvent } : {}),
  };

  const processJob = async (job: Job<ScaleJobData, unknown, ScaleJobName>): Promise<unknown> => {
    let ctx: WorkerContext;
    try {
      ctx = contextFor(baseCtx, job.data, o);
    } catch (err) {
      // The run cannot go on without its connections: say why on the run, not only in this worker's output.
      const reason = `worker ${workerId}: ${(err as Error).message}`;
      await baseCtx.store.updateRun(job.data.runId, { status: 'failed', reason, endedAt: Date.now() });
      await baseCtx.dist.markFinished(job.data.runId, Date.now());
      throw err;
    }
    switch (job.name) {
      case 'plan':
        return handlePlan(ctx, queues, job as Job<PlanJob>);
      case 'partition':
        return handlePartition(ctx, job as Job<PartitionJob>, hardStop.signal);
      case 'finish':
        return handleFinish(ctx, job as Job<FinishJob>);
      default:
        throw new Error(`unknown job ${String(job.name)}`);
    }
  };
  const w = createWorker(
    {
      redisUrl: o.redisUrl,
      prefix,
      concurrency,
      name: workerId,
      ...(o.lockDuration ? { lockDuration: o.lockDuration } : {}),
      ...(o.stalledInterval ? { stalledInterval: o.stalledInterval } : {}),
      ...(o.maxStalledCount ? { maxStalledCount: o.maxStalledCount } : {}),
    },
    processJob,
  );
  w.worker.on('completed', (job, result) => o.onJob?.({ name: job.name, id: job.id ?? '', ok: true, result }));
  w.worker.on('failed', (job, err) => o.onJob?.({ name: job?.name ?? '?', id: job?.id ?? '', ok: false, error: err.message }));
  // Redis hiccups are retried by the client; they must not crash the process.
  w.worker.on('error', () => undefined);
  await w.worker.waitUntilReady();

  return {
    workerId,
    async close(force = false) {
      if (force) hardStop.abort(new Error('worker stopping'));
      await w.close();
      await queues.close();
      await redis.quit().catch(() => redis.disconnect());
      await store.close();
    },
  };
}


/**
 * The context of one job: a connections file wins (today's deployments keep working); else the job's sealed
 * connections are opened with the worker's key. Either problem fails the job for good, with a plain reason.
 */
function contextFor(base: WorkerContext, data: ScaleJobData, o: WorkerOptions): WorkerContext {
  if (o.connections) return base;
  if (!data.connections)
    throw new UnrecoverableError('this job carries no connections and the worker has no connections file (start the worker with --connections, or enqueue through ferry serve)');
  if (!o.jobKey) throw new UnrecoverableError('this job carries sealed connections; start the worker with the server\'s FERRY_SECRET_KEY to open them');
  try {
    return { ...base, connections: unsealJobConnections(o.jobKey, data.connections) };
  } catch (err) {
    throw new UnrecoverableError((err as Error).message);
  }
}
