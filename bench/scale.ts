/**
 * Scale-out throughput: the seed scheme (WDT shops → Kingdee customers) against both emulators with 20 ms
 * of latency on every call, once in one process (`ferry run`, SQLite) and then with 1, 2 and 4 `ferry worker`
 * processes (concurrency 2 each) on the machine's Redis and PostgreSQL.
 *
 *   npm run bench:scale [-- shops]          (default 20,000 shops; env FERRY_TEST_PG / FERRY_TEST_REDIS)
 *
 * Each configuration gets fresh emulators, a fresh PostgreSQL schema and Redis prefix. Throughput is
 * records delivered per second from enqueue to the run's end (planning and the final reconciliation
 * included). CPU seconds show where the two cores went: the workers' (from /proc) and this process's, which
 * hosts both emulators (and, for the one-process line, the engine too).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConnections } from '../src/cli/connections.ts';
import { startDemoEnvironment } from '../src/cli/demo-setup.ts';
import { openRun } from '../src/cli/open-run.ts';
import { runScheme } from '../src/engine/run-scheme.ts';
import { enqueueRun } from '../src/scale/enqueue-run.ts';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { openScaleTestEnv, seedScheme, spawnWorker, waitForRun, writeConnections, type WorkerProcess } from '../test/scale-support.ts';

const SHOPS = Number(process.argv[2] ?? 20_000);
const LATENCY_MS = 20;
const emulatorOptions = { shops: SHOPS, wdt: { faults: { latencyMs: LATENCY_MS } }, kingdee: { faults: { latencyMs: LATENCY_MS } } };

function cpuSecondsOf(pid: number): number {
  // /proc/<pid>/stat fields 14 and 15: utime and stime in clock ticks (100 per second on Linux).
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return NaN;
  }
}

async function oneProcess(): Promise<{ seconds: number; records: number; cpu: number }> {
  const demo = await startDemoEnvironment(emulatorOptions);
  const dir = mkdtempSync(join(tmpdir(), 'ferry-bench-'));
  const store = new SqliteStore(join(dir, 'ferry.sqlite'));
  try {
    const run = openRun(seedScheme(), parseConnections(demo.connections, 'bench'), store, { logFile: join(dir, 'ferry.log') });
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const report = await runScheme(run.cs, run.deps, { trigger: 'bench' });
    const seconds = (performance.now() - t0) / 1000;
    const c = process.cpuUsage(c0);
    await run.close();
    if (report.status !== 'succeeded') throw new Error(`single-process run ${report.status}: ${report.reason}`);
    return { seconds, records: report.reconciliation.written, cpu: (c.user + c.system) / 1e6 };
  } finally {
    await store.close();
    await demo.close();
  }
}

async function workers(n: number): Promise<{ seconds: number; records: number; cpu: number; emulatorCpu: number; partitions: number }> {
  const env = await openScaleTestEnv();
  const demo = await startDemoEnvironment(emulatorOptions);
  const procs: WorkerProcess[] = [];
  try {
    const file = writeConnections(env.dir, demo.connections);
    for (let i = 0; i < n; i++) procs.push(await spawnWorker({ schema: env.schema, prefix: env.prefix, connectionsFile: file, dir: env.dir, concurrency: 2 }));
    const cpu0 = procs.reduce((s, p) => s + cpuSecondsOf(p.pid), 0);
    const own0 = process.cpuUsage();
    const t0 = performance.now();
    const runId = await enqueueRun(env.scale, seedScheme(), { trigger: 'bench', pagesPerPartition: 10 });
    const run = await waitForRun(env.scale, runId, 600_000);
    const seconds = (performance.now() - t0) / 1000;
    const cpu = procs.reduce((s, p) => s + cpuSecondsOf(p.pid), 0) - cpu0;
    const own = process.cpuUsage(own0);
    const emulatorCpu = (own.user + own.system) / 1e6;
    if (run.status !== 'succeeded') throw new Error(`run with ${n} workers ${run.status}: ${run.reason}`);
    const partitions = (await env.scale.dist.partitions(runId)).length;
    return { seconds, records: run.counts.created + run.counts.updated, cpu, emulatorCpu, partitions };
  } finally {
    for (const p of procs) p.child.kill('SIGTERM');
    await Promise.all(procs.map((p) => p.exited));
    await demo.close();
    await env.cleanup();
  }
}

const line = (label: string, r: { seconds: number; records: number }, extra = '') =>
  console.log(`${label.padEnd(34)} ${String(r.records).padStart(7)} records  ${r.seconds.toFixed(1).padStart(6)} s  ${String(Math.round(r.records / r.seconds)).padStart(6)} records/s${extra}`);

console.log(`ferry scale-out bench: ${SHOPS} shops, ${LATENCY_MS} ms latency per call on WDT and Kingdee, ${cpus().length} cores\n`);
const single = await oneProcess();
line('one process (ferry run, SQLite)', single, `  CPU: engine + emulators ${single.cpu.toFixed(1)} s`);
for (const n of [1, 2, 4]) {
  const r = await workers(n);
  line(`${n} worker${n > 1 ? 's' : ' '} × concurrency 2 (PG)`, r, `  ${(r.records / r.seconds / (single.records / single.seconds)).toFixed(2)}× one process, CPU: workers ${r.cpu.toFixed(1)} s, emulators ${r.emulatorCpu.toFixed(1)} s, ${r.partitions} partitions`);
}
process.exit(0);
