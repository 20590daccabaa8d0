import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunRow } from '../src/core/contracts/state-store.ts';
import { SEED_SCHEME_FILE } from '../src/cli/commands/demo.ts';
import { loadSchemeFile } from '../src/cli/scheme-file.ts';
import type { Scheme } from '../src/core/scheme/scheme.ts';
import { openScale, type ScaleConnection } from '../src/scale/enqueue-run.ts';
import { redisClient } from '../src/scale/queue.ts';
import { requireTestPostgres, TEST_PG_URL, uniqueSchema } from '../src/store/postgres/pg-test-support.ts';

export { TEST_PG_URL };
export const TEST_REDIS_URL = process.env.FERRY_TEST_REDIS ?? 'redis://127.0.0.1:6379';

/**
 * The scaled-out tests need PostgreSQL and Redis. Where either cannot be reached they are skipped with a message,
 * except under CI=true, where they run and fail with a plain message naming what is missing.
 */
export async function skipWithoutScaleServices(what: string): Promise<boolean> {
  if (process.env.CI === 'true') return false;
  try {
    await requireTestPostgres();
    await requireTestRedis();
    return false;
  } catch (err) {
    console.warn(`${what} skipped: ${(err as Error).message} (under CI=true they run and fail instead)`);
    return true;
  }
}

/** Fails with a plain message when Redis cannot be reached. */
export async function requireTestRedis(url = TEST_REDIS_URL): Promise<void> {
  const c = redisClient(url);
  try {
    const pong = await Promise.race([c.call('PING'), new Promise((_, reject) => setTimeout(() => reject(new Error('no answer in 5 s')), 5000))]);
    if (pong !== 'PONG') throw new Error(`answered ${String(pong)}`);
  } catch (err) {
    throw new Error(`Redis is not reachable at ${url} (${(err as Error).message}); start it or set FERRY_TEST_REDIS`, { cause: err });
  } finally {
    c.disconnect();
  }
}

export interface ScaleTestEnv {
  schema: string;
  prefix: string;
  scale: ScaleConnection & { close(): Promise<void> };
  dir: string;
  /** Drops the PostgreSQL schema and every Redis key of the prefix. */
  cleanup(): Promise<void>;
}

/** A unique PostgreSQL schema and Redis prefix per test file, removed afterwards. */
export async function openScaleTestEnv(): Promise<ScaleTestEnv> {
  await requireTestPostgres();
  await requireTestRedis();
  const schema = uniqueSchema('ferry_scale');
  const prefix = `ferrytest${randomBytes(4).toString('hex')}`;
  const scale = await openScale({ redisUrl: TEST_REDIS_URL, postgresUrl: TEST_PG_URL, schema, prefix });
  const dir = mkdtempSync(join(tmpdir(), 'ferry-scale-'));
  return {
    schema,
    prefix,
    scale,
    dir,
    async cleanup() {
      await scale.store.pool.query(`DROP SCHEMA IF EXISTS ${scale.store.s} CASCADE`).catch(() => undefined);
      await scale.close();
      const c = redisClient(TEST_REDIS_URL);
      try {
        for (let cursor = '0'; ; ) {
          const [next, keys] = (await c.call('SCAN', cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000)) as [string, string[]];
          if (keys.length) await c.call('DEL', ...keys);
          cursor = next;
          if (cursor === '0') break;
        }
      } finally {
        await c.quit();
      }
    },
  };
}

export function seedScheme(patch: (s: Scheme) => Scheme = (s) => s): Scheme {
  return patch(loadSchemeFile(SEED_SCHEME_FILE));
}

export function writeConnections(dir: string, connections: unknown): string {
  const file = join(dir, 'connections.json');
  writeFileSync(file, JSON.stringify(connections));
  return file;
}

/** Polls the run row until it is no longer running. */
export async function waitForRun(scale: ScaleConnection, runId: string, timeoutMs = 240_000): Promise<RunRow> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const run = await scale.store.getRun(runId);
    if (run && run.status !== 'running') return run;
    if (Date.now() > until) throw new Error(`run ${runId} still ${run?.status ?? 'missing'} after ${timeoutMs} ms: ${JSON.stringify(run?.counts)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * A pass-through HTTP proxy that records when each request arrived: an independent measure of the call
 * rate the vendor sees (the WDT emulator only reports refusals, not arrival times).
 */
export async function startRecordingProxy(target: string): Promise<{ url: string; arrivals: number[]; close(): Promise<void> }> {
  const { createServer } = await import('node:http');
  const arrivals: number[] = [];
  const server = createServer((req, res) => {
    arrivals.push(Date.now());
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      fetch(new URL(req.url ?? '/', target), {
        method: req.method ?? 'GET',
        headers: Object.fromEntries(Object.entries(req.headers).filter(([k, v]) => typeof v === 'string' && !['host', 'connection', 'content-length'].includes(k)) as [string, string][]),
        ...(req.method === 'GET' || req.method === 'HEAD' ? {} : { body: Buffer.concat(chunks) }),
      }).then(
        async (r) => {
          const body = Buffer.from(await r.arrayBuffer());
          res.writeHead(r.status, { 'content-type': r.headers.get('content-type') ?? 'application/octet-stream' });
          res.end(body);
        },
        () => {
          res.destroy();
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    arrivals,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Most arrivals inside any window of `ms` (sliding). */
export function maxInWindow(times: number[], ms = 1000): number {
  const t = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < t.length; i++) {
    while (t[i]! - t[j]! >= ms) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

export interface WorkerProcess {
  child: ChildProcess;
  pid: number;
  /** Everything the process printed. */
  output(): string;
  /** Resolves when the process has exited. */
  exited: Promise<number | null>;
}

/** Starts `ferry worker` as a child process and waits until it says it is ready. */
export async function spawnWorker(o: {
  schema: string;
  prefix: string;
  /** Absent: the worker opens the connections the jobs carry, with FERRY_SECRET_KEY from `env`. */
  connectionsFile?: string;
  dir: string;
  concurrency?: number;
  lockMs?: number;
  stalledMs?: number;
  env?: NodeJS.ProcessEnv;
}): Promise<WorkerProcess> {
  const { spawn } = await import('node:child_process');
  const bin = new URL('../bin/ferry.js', import.meta.url).pathname;
  const args = [
    bin, 'worker', '--redis', TEST_REDIS_URL, '--postgres', TEST_PG_URL, '--schema', o.schema, '--prefix', o.prefix,
    ...(o.connectionsFile ? ['-c', o.connectionsFile] : []), '-d', o.dir, '--concurrency', String(o.concurrency ?? 2),
    '--lock-ms', String(o.lockMs ?? 6000), '--stalled-ms', String(o.stalledMs ?? 2000),
  ];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...o.env } });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const t = setInterval(() => {
      if (out.includes(' ready ')) {
        clearInterval(t);
        resolve();
      }
    }, 50);
    exited.then((code) => {
      clearInterval(t);
      reject(new Error(`worker exited with ${code} before it was ready:\n${out}`));
    });
  });
  return { child, pid: child.pid!, output: () => out, exited };
}
