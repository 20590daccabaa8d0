import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { jobKeyFromEnv } from '../../scale/job-connections.ts';
import { startWorker } from '../../scale/worker.ts';
import { loadConnectionsFile } from '../connections.ts';
import { dataDir } from '../data-dir.ts';
import { UserError } from '../user-error.ts';

interface WorkerFlags {
  redis: string;
  postgres: string;
  concurrency: string;
  connections?: string;
  data?: string;
  schema: string;
  prefix: string;
  lockMs: string;
  stalledMs: string;
  quiet?: boolean;
}

const positive = (v: string, flag: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new UserError(`${flag} must be a whole number of at least 1, got ${v}`);
  return n;
};

export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description('take run partitions from BullMQ (Redis) and run them against the shared PostgreSQL store; start as many as you need')
    .requiredOption('--redis <url>', 'Redis URL, e.g. redis://127.0.0.1:6379')
    .requiredOption('--postgres <url>', 'PostgreSQL URL, e.g. postgres://ferry@127.0.0.1:5432/ferry')
    .option('--concurrency <n>', 'partitions this process runs at once', '2')
    .option('-c, --connections <file>', 'connections file (the same on every worker); without it, runs enqueued by ferry serve bring their connections, sealed — set FERRY_SECRET_KEY to the server\'s key')
    .option('-d, --data <dir>', 'data directory for this worker\'s log; default .ferry or $FERRY_DATA_DIR')
    .option('--schema <name>', 'PostgreSQL schema holding ferry\'s tables', 'ferry')
    .option('--prefix <p>', 'Redis key prefix (one per ferry installation)', 'ferry')
    .option('--lock-ms <ms>', 'job lock lifetime: a dead worker\'s partition is taken over after about this long', '30000')
    .option('--stalled-ms <ms>', 'how often to look for partitions of dead workers', '15000')
    .option('-q, --quiet', 'print nothing per job')
    .action(async (o: WorkerFlags) => {
      if (!/^rediss?:\/\//.test(o.redis)) throw new UserError(`--redis must be a URL starting with redis:// or rediss://, e.g. redis://127.0.0.1:6379`);
      if (!/^postgres(ql)?:\/\//.test(o.postgres)) throw new UserError(`--postgres must be a URL starting with postgres://, e.g. postgres://ferry@127.0.0.1:5432/ferry`);
      const connections = o.connections !== undefined ? loadConnectionsFile(o.connections) : undefined;
      let jobKey: Buffer | undefined;
      try {
        jobKey = jobKeyFromEnv();
      } catch (err) {
        throw new UserError((err as Error).message);
      }
      if (!connections && !jobKey)
        throw new UserError('ferry worker needs connections: pass --connections <file>, or set FERRY_SECRET_KEY to the key of the ferry serve that enqueues the runs (its connections travel sealed with the jobs)');
      const logFile = join(dataDir(o.data), 'logs', `worker-${hostname()}-${process.pid}.log`);
      const worker = await startWorker({
        redisUrl: o.redis,
        postgresUrl: o.postgres,
        ...(connections ? { connections } : {}),
        ...(jobKey ? { jobKey } : {}),
        logFile,
        concurrency: positive(o.concurrency, '--concurrency'),
        schema: o.schema,
        prefix: o.prefix,
        lockDuration: positive(o.lockMs, '--lock-ms'),
        stalledInterval: positive(o.stalledMs, '--stalled-ms'),
        onJob: (e) => {
          if (!o.quiet) process.stdout.write(`${new Date().toISOString()} ${e.ok ? 'done  ' : 'failed'} ${e.name} ${e.id}${e.error ? `: ${e.error}` : ''}\n`);
        },
      });
      const from = connections ? `connections from ${o.connections}` : 'connections from the jobs (sealed by ferry serve)';
      process.stdout.write(`ferry worker ${worker.workerId} ready (concurrency ${o.concurrency}, ${from}); log: ${logFile}\n`);
      await new Promise<void>((resolve) => {
        let stopping = false;
        const stop = () => {
          // First signal: finish the partitions in hand. Second: abort them (another worker resumes them).
          const force = stopping;
          stopping = true;
          process.stdout.write(force ? 'stopping now; unfinished partitions will be resumed by another worker\n' : 'finishing the partitions in hand (signal again to stop now)\n');
          worker.close(force).then(resolve, resolve);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });
}
