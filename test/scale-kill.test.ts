import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoEnvironment, type DemoEnvironment } from '../src/cli/demo-setup.ts';
import { enqueueRun } from '../src/scale/enqueue-run.ts';
import {
  skipWithoutScaleServices,
  maxInWindow, openScaleTestEnv, seedScheme, spawnWorker, startRecordingProxy, waitForRun, writeConnections,
  type ScaleTestEnv, type WorkerProcess,
} from './scale-support.ts';

const skip = await skipWithoutScaleServices('scale-kill tests');

/** The WDT emulator refuses (code 1012) a sid's calls beyond this many in one second. */
const WDT_LIMIT = 40;
/** What the scheme allows itself, shared by all workers through Redis. */
const SCHEME_RATE = 25;

describe.skipIf(skip)('scale-out: three worker processes, one killed with SIGKILL midway, 50,000 shops', () => {
  let env: ScaleTestEnv;
  let demo: DemoEnvironment;
  let proxy: Awaited<ReturnType<typeof startRecordingProxy>>;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    env = await openScaleTestEnv();
    demo = await startDemoEnvironment({ shops: 50_000, wdt: { rateLimit: WDT_LIMIT } });
    proxy = await startRecordingProxy(demo.wdt.url);
    const connections = { ...demo.connections, wdt: { ...demo.connections.wdt, baseUrl: `${proxy.url}/router/qm` } };
    const file = writeConnections(env.dir, connections);
    for (let i = 0; i < 3; i++) workers.push(await spawnWorker({ schema: env.schema, prefix: env.prefix, connectionsFile: file, dir: env.dir, concurrency: 2 }));
  });

  afterAll(async () => {
    for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
    await Promise.all(workers.map((w) => w.exited));
    await proxy?.close();
    await demo?.close();
    await env?.cleanup();
  }, 60_000);

  it('ends with every customer exactly once and the vendor rate never exceeded', { timeout: 180_000 }, async () => {
    const scheme = seedScheme((s) => ({ ...s, rateLimit: { ...s.rateLimit, source: { perSecond: SCHEME_RATE } } }));
    const runId = await enqueueRun(env.scale, scheme, { trigger: 'test', pagesPerPartition: 10 });

    // Midway: kill a worker that is inside a partition, without warning.
    let victim: WorkerProcess | undefined;
    let victimPartitions: number[] = [];
    while (!victim) {
      const parts = await env.scale.dist.partitions(runId);
      const read = parts.reduce((n, p) => n + p.counts.read, 0);
      if (read >= 15_000) {
        const running = parts.filter((p) => p.status === 'running');
        victim = workers.find((w) => running.some((p) => p.worker?.startsWith(`${w.pid}@`)));
        victimPartitions = running.filter((p) => victim && p.worker?.startsWith(`${victim.pid}@`)).map((p) => p.index);
      }
      if (!victim) {
        if ((await env.scale.store.getRun(runId))!.status !== 'running') throw new Error('the run ended before a worker could be killed midway');
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    victim.child.kill('SIGKILL');
    await victim.exited;

    const run = await waitForRun(env.scale, runId);
    expect(run.status, run.reason ?? '').toBe('succeeded');

    // Kingdee holds every active shop (every 50th is disabled) exactly once.
    const numbers = [...demo.kingdee.records('BD_Customer')].map((r) => r.number);
    expect(numbers.length).toBe(49_000);
    expect(new Set(numbers).size).toBe(49_000);
    expect(run.counts.read).toBe(49_000);
    expect(run.counts.created + run.counts.updated).toBe(49_000);
    expect(run.counts.rejected + run.counts.failed).toBe(0);

    // The partitions the victim held were taken over by another worker and resumed.
    const parts = await env.scale.dist.partitions(runId);
    for (const i of victimPartitions) {
      const p = parts[i]!;
      expect(p.status).toBe('done');
      expect(p.attempts).toBeGreaterThanOrEqual(2);
      expect(p.worker?.startsWith(`${victim.pid}@`)).toBe(false);
    }

    // The vendor never had to refuse a call, and no second saw more calls than it allows.
    const stats = demo.wdt.control.stats();
    expect(stats.byCode['1012'] ?? 0).toBe(0);
    expect(proxy.arrivals.length).toBeGreaterThanOrEqual(491);
    expect(maxInWindow(proxy.arrivals, 1000)).toBeLessThanOrEqual(WDT_LIMIT);
    const spanS = (Math.max(...proxy.arrivals) - Math.min(...proxy.arrivals)) / 1000;
    expect(proxy.arrivals.length / spanS).toBeLessThanOrEqual(SCHEME_RATE * 1.05);
  });
});
