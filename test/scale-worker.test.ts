import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { parseConnections } from '../src/cli/connections.ts';
import { startDemoEnvironment, type DemoEnvironment } from '../src/cli/demo-setup.ts';
import { enqueueRun } from '../src/scale/enqueue-run.ts';
import { startWorker, type RunningWorker } from '../src/scale/worker.ts';
import { skipWithoutScaleServices, openScaleTestEnv, seedScheme, TEST_PG_URL, TEST_REDIS_URL, waitForRun, type ScaleTestEnv } from './scale-support.ts';

const skip = await skipWithoutScaleServices('scale-worker tests');

describe.skipIf(skip)('scale-out: one in-process worker against the real Redis and PostgreSQL', () => {
  let env: ScaleTestEnv;
  let demo: DemoEnvironment;
  let worker: RunningWorker;

  beforeAll(async () => {
    env = await openScaleTestEnv();
    demo = await startDemoEnvironment({ shops: 2000 });
    worker = await startWorker({
      redisUrl: TEST_REDIS_URL,
      postgresUrl: TEST_PG_URL,
      schema: env.schema,
      prefix: env.prefix,
      connections: parseConnections(demo.connections, 'test'),
      logFile: join(env.dir, 'worker.log'),
      concurrency: 3,
    });
  });

  afterAll(async () => {
    await worker?.close();
    await demo?.close();
    await env?.cleanup();
  });

  it('splits a full read into page-range partitions and delivers every shop once', async () => {
    const scheme = seedScheme();
    const runId = await enqueueRun(env.scale, scheme, { trigger: 'test', pagesPerPartition: 4 });
    // The run row is committed before the job exists.
    expect((await env.scale.store.getRun(runId))!.status).toBe('running');
    const run = await waitForRun(env.scale, runId);
    expect(run.status).toBe('succeeded');
    expect(run.counts).toMatchObject({ read: 1960, created: 1960, rejected: 0, failed: 0 });
    const parts = await env.scale.dist.partitions(runId);
    expect(parts.map((p) => p.stream)).toEqual(['full:p0', 'full:p1', 'full:p2', 'full:p3', 'full:p4']);
    expect(parts.every((p) => p.status === 'done')).toBe(true);
    expect(parts.map((p) => p.counts.read)).toEqual([400, 400, 400, 400, 360]);
    const numbers = [...demo.kingdee.records('BD_Customer')].map((r) => r.number);
    expect(numbers.length).toBe(1960);
    expect(new Set(numbers).size).toBe(1960);
    const report = JSON.parse(run.report!);
    expect(report.reconciliation).toMatchObject({ source: 1960, written: 1960, heldByTarget: 1960 });
    // Partition checkpoints are cleared once the run is over.
    expect((await env.scale.store.listCheckpoints(scheme.name)).filter((c) => c.stream.startsWith('full:'))).toEqual([]);
  });

  it('a second run finds everything unchanged (idCheck through the shared ledger)', async () => {
    const runId = await enqueueRun(env.scale, seedScheme(), { trigger: 'test', pagesPerPartition: 7 });
    const run = await waitForRun(env.scale, runId);
    expect(run.status).toBe('succeeded');
    expect(run.counts).toMatchObject({ read: 1960, skipped: 1960, created: 0, updated: 0 });
    expect([...demo.kingdee.records('BD_Customer')].length).toBe(1960);
  });
});
