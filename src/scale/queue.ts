import { FlowProducer, Queue, Worker, type Job, type JobsOptions } from 'bullmq';
import { Redis } from 'ioredis';
import type { SealedJobConnection } from './job-connections.ts';

/**
 * The BullMQ side of scale-out. One queue carries three kinds of job, all keyed by run id:
 * - `plan`      {runId}          enqueued by enqueueRun once the run row is committed; splits the run,
 *                                commits the partitions, then adds the flow below;
 * - `partition` {runId, index}   one partition of the run (children of the flow);
 * - `finish`    {runId}          the flow's parent: runs when every partition has completed or failed for
 *                                good; rolls the counts up, moves the high-water mark, writes the report.
 * Job ids are derived from the run id, so a retried plan never enqueues a partition twice.
 */
export const QUEUE_NAME = 'ferry-runs';

/**
 * `connections`: set when the run was enqueued by `ferry serve` — the connections the scheme uses, sealed
 * with the server key (job-connections.ts); absent when workers read a connections file.
 */
export type PlanJob = { runId: string; connections?: SealedJobConnection[] };
export type PartitionJob = { runId: string; index: number; connections?: SealedJobConnection[] };
export type FinishJob = { runId: string; connections?: SealedJobConnection[] };
export type ScaleJobData = PlanJob | PartitionJob | FinishJob;
export type ScaleJobName = 'plan' | 'partition' | 'finish';

export interface QueueSettings {
  /** Redis URL, `redis://[user:password@]host:6379[/db]` (`rediss://` for TLS). */
  redisUrl: string;
  /** Key prefix in Redis (several ferry installations can share one Redis). Default `ferry`. */
  prefix?: string;
}

export const jobIds = {
  plan: (runId: string) => `${runId}.plan`,
  partition: (runId: string, index: number) => `${runId}.p${index}`,
  finish: (runId: string) => `${runId}.finish`,
};

/** Retries of a partition job (a failed attempt resumes from the partition's checkpoint). */
export const PARTITION_JOB_OPTIONS: JobsOptions = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 2000 },
  // The run still finishes (as failed) when a partition fails for good.
  ignoreDependencyOnFailure: true,
  removeOnComplete: { age: 7 * 24 * 3600 },
  removeOnFail: { age: 30 * 24 * 3600 },
};

export const PLAN_JOB_OPTIONS: JobsOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 2000 },
  removeOnComplete: { age: 7 * 24 * 3600 },
  removeOnFail: { age: 30 * 24 * 3600 },
};

export const FINISH_JOB_OPTIONS: JobsOptions = PLAN_JOB_OPTIONS;

export interface RedisClientOptions {
  /** CLIENT SETNAME, so `CLIENT LIST` shows who holds a connection. */
  connectionName?: string;
  /**
   * Wait for Redis as long as it takes instead of failing a command after ioredis' 20 reconnect attempts.
   * BullMQ requires it of a worker's connections (their blocking commands must survive a Redis restart).
   */
  waitForever?: boolean;
  /** Do not connect until the first command (or `connect()`): for a client that only serves as a template. */
  lazy?: boolean;
}

/**
 * An ioredis client for the URL. BullMQ is built and tested with ioredis; we hand it instances rather
 * than connection options, because bullmq's ESM build cannot `require` ioredis by itself (it then fails with
 * "BullMQ could not load the optional 'ioredis' package", although it is installed).
 */
export function redisClient(url: string, o: RedisClientOptions = {}): Redis {
  // ioredis would read other strings as a host or socket path and retry a wrong address for ever.
  // The URL is not echoed: it may hold a password.
  if (!/^rediss?:\/\//.test(url)) throw new Error('the Redis URL must start with redis:// or rediss://, e.g. redis://127.0.0.1:6379');
  return new Redis(url, {
    ...(o.connectionName ? { connectionName: o.connectionName } : {}),
    ...(o.waitForever ? { maxRetriesPerRequest: null } : {}),
    ...(o.lazy ? { lazyConnect: true } : {}),
  });
}

/** Producer side: the queue and the flow producer, sharing one Redis connection (neither blocks). */
export interface ScaleQueues {
  queue: Queue<ScaleJobData, unknown, ScaleJobName>;
  flow: FlowProducer;
  prefix: string;
  /** PING on the producer's connection (readiness probe). */
  ping(): Promise<string>;
  close(): Promise<void>;
}

export function openQueues(s: QueueSettings): ScaleQueues {
  const prefix = s.prefix ?? 'ferry';
  const client = redisClient(s.redisUrl, { connectionName: `${prefix}:producer` });
  // BullMQ leaves a caller's client open (and listens to its errors itself); we close it after both users.
  const queue = new Queue<ScaleJobData, unknown, ScaleJobName>(QUEUE_NAME, { connection: client, prefix });
  const flow = new FlowProducer({ connection: client, prefix });
  return {
    queue,
    flow,
    prefix,
    ping: () => client.ping(),
    async close() {
      await queue.close();
      await flow.close();
      await client.quit().catch(() => client.disconnect());
    },
  };
}

export interface WorkerSettings extends QueueSettings {
  concurrency: number;
  /** How long a job's lock lives without renewal; a dead worker's job is taken over after it (ms). Default 30 s. */
  lockDuration?: number;
  /** How often live workers look for jobs whose lock expired (ms). Default 15 s. */
  stalledInterval?: number;
  /** Times a job may be taken over from a dead worker before it fails. Default 5. */
  maxStalledCount?: number;
  name?: string;
}

export function createWorker(s: WorkerSettings, process: (job: Job<ScaleJobData, unknown, ScaleJobName>) => Promise<unknown>): { worker: Worker<ScaleJobData, unknown, ScaleJobName>; close(): Promise<void> } {
  const prefix = s.prefix ?? 'ferry';
  // Only a template: BullMQ duplicates it into the worker's two connections (commands and the blocking
  // fetch), which it owns and closes. Lazy, so the template itself never opens a connection.
  const client = redisClient(s.redisUrl, { connectionName: `${prefix}:worker`, waitForever: true, lazy: true });
  const worker = new Worker<ScaleJobData, unknown, ScaleJobName>(QUEUE_NAME, process, {
    connection: client,
    prefix,
    concurrency: s.concurrency,
    lockDuration: s.lockDuration ?? 30_000,
    stalledInterval: s.stalledInterval ?? 15_000,
    maxStalledCount: s.maxStalledCount ?? 5,
    ...(s.name ? { name: s.name } : {}),
  });
  return {
    worker,
    async close() {
      await worker.close();
      client.disconnect();
    },
  };
}
