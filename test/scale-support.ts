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

/** Fails with a plain message when Redis cannot be reached (the scale tests are never skipped). */
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
