import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConnections } from '../src/cli/connections.ts';
import { startDemoEnvironment, type DemoEnvironment } from '../src/cli/demo-setup.ts';
import { enqueueRun } from '../src/scale/enqueue-run.ts';
import { startScaleScheduler } from '../src/scale/scale-scheduler.ts';
import type { ScheduleEvent } from '../src/scale/scheduler.ts';
import { startWorker, type RunningWorker } from '../src/scale/worker.ts';
import { skipWithoutScaleServices, openScaleTestEnv, seedScheme, TEST_PG_URL, TEST_REDIS_URL, waitForRun, type ScaleTestEnv } from './scale-support.ts';

const skip = await skipWithoutScaleServices('schedule-scale tests');

describe.skipIf(skip)('scheduler in the scaled-out mode: overlap is judged from the shared store', () => {
  let env: ScaleTestEnv;
  let demo: DemoEnvironment;
  let worker: RunningWorker | undefined;

  beforeAll(async () => {
    env = await openScaleTestEnv();
    demo = await startDemoEnvironment({ shops: 300 });
  });
  afterAll(async () => {
    await worker?.close();
    await demo?.close();
    await env?.cleanup();
  });

  it('queues one run behind an unfinished run enqueued elsewhere, and enqueues it once that run ends', async () => {
    const scheme = seedScheme((s) => ({ ...s, schedule: { cron: '0 0 1 1 *', timezone: 'Asia/Shanghai', overlap: 'queue', enabled: true } }));
    // A run enqueued by another process; no worker is up yet, so it stays unfinished.
    const first = await enqueueRun(env.scale, scheme, { trigger: 'other-serve' });
    const events: ScheduleEvent[] = [];
    const scheduler = startScaleScheduler(env.scale, [scheme], { onEvent: (e) => events.push(e) });
    try {
      expect(await scheduler.runNow(scheme.name)).toBe('queued');
      expect(await scheduler.runNow(scheme.name)).toBe('skipped');
      expect((await env.scale.store.listRuns({ scheme: scheme.name })).length).toBe(1);

      worker = await startWorker({
        redisUrl: TEST_REDIS_URL, postgresUrl: TEST_PG_URL, schema: env.schema, prefix: env.prefix,
        connections: parseConnections(demo.connections, 'test'), logFile: join(env.dir, 'w.log'), concurrency: 2,
      });
      expect((await waitForRun(env.scale, first)).status).toBe('succeeded');
      // The queued run is enqueued once the first has finished, and runs too.
      let second: string | undefined;
      while (!second) {
        second = (await env.scale.store.listRuns({ scheme: scheme.name })).find((r) => r.id !== first)?.id;
        if (!second) await new Promise((r) => setTimeout(r, 200));
      }
      const run2 = await waitForRun(env.scale, second);
      expect(run2).toMatchObject({ status: 'succeeded', trigger: 'manual' });
      expect(run2.startedAt).toBeGreaterThanOrEqual((await env.scale.store.getRun(first))!.endedAt!);
      expect(run2.counts).toMatchObject({ read: 294, skipped: 294 });
      expect(events.map((e) => e.type)).toEqual(['queued', 'skipped', 'started']);
    } finally {
      scheduler.stop();
    }
  });
});
