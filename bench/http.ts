/**
 * `npm run bench:http` — the generic HTTP job of issue 15, whole command as a user sees it:
 * read N shops from a paged POST JSON API (100 per page, {page_no, page_size} → {code, total_count, shoplist}),
 * map 6 fields, POST them as bare JSON arrays of 100. Contestants, interleaved, 3 repetitions each:
 *   - plain: bench/http/baseline.mjs, a plain Node fetch loop that imports nothing from src/;
 *   - ferry: `ferry run bench/http/scheme.json --connections … --data <fresh dir>` (bin/ferry.js).
 * The two mock servers (bench/http/mock-*.mjs) run as separate processes, so their CPU is not counted.
 * Each run is checked against the target's counts (rows = N, distinct ids = N); medians are printed as one table,
 * with the CPU time (user + sys) each contestant's process tree used per record and the size of ferry's state
 * database per record (ledger, checkpoints, run rows).
 * BENCH_SIZES=10000,100000 and BENCH_REPS=1 narrow it down (default 10000,100000,1000000 and 3).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

const sizes = (process.env.BENCH_SIZES ?? '10000,100000,1000000').split(',').map(Number);
const reps = Number(process.env.BENCH_REPS ?? 3);
const node = process.execPath;

interface Server {
  url: string;
  stop(): Promise<void>;
}

async function startServer(script: string, args: string[]): Promise<Server> {
  const child = spawn(node, [script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let buf = '';
    child.stdout!.on('data', (d) => {
      buf += d;
      if (buf.includes('\n')) resolve((JSON.parse(buf.split('\n')[0]!) as { url: string }).url);
    });
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Resident set size of a process and all its descendants, in bytes (0 once it is gone). */
function treeRss(pid: number): number {
  let kb = 0;
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    kb = m ? Number(m[1]) : 0;
    for (const tid of readdirSync(`/proc/${pid}/task`))
      for (const c of readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').split(' ').filter(Boolean)) kb += treeRss(Number(c)) / 1024;
  } catch {
    // the process ended between two reads
  }
  return kb * 1024;
}

interface Sample {
  ms: number;
  peakRss: number;
  /** CPU time (user + sys) of the process and its descendants. */
  cpuMs: number;
  /** Bytes of ferry's state database (with its WAL) after the run; 0 for the plain loop. */
  stateBytes?: number;
}

/** CPU ms of this process's terminated, waited-for children (cutime + cstime in /proc/self/stat). */
function childrenCpuMs(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').replace(/^.*\) /, '').split(' ');
  // After the ")" the fields start at field 3 (state); cutime and cstime are fields 16 and 17.
  return ((Number(fields[13]) + Number(fields[14])) * 1000) / 100;
}

function stateBytes(dir: string): number {
  let n = 0;
  for (const f of ['ferry.sqlite', 'ferry.sqlite-wal']) {
    try {
      n += statSync(join(dir, f)).size;
    } catch {
      // no WAL left
    }
  }
  return n;
}

async function timed(args: string[]): Promise<Sample> {
  const cpu0 = childrenCpuMs();
  const t0 = performance.now();
  const p: ChildProcess = spawn(node, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  p.stdout!.on('data', (d) => (out += d));
  p.stderr!.on('data', (d) => (err += d));
  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, treeRss(p.pid!))), 20);
  const code = await new Promise<number | null>((r) => p.on('close', r));
  const ms = performance.now() - t0;
  clearInterval(sampler);
  if (code !== 0) throw new Error(`${args.join(' ')} exited with ${code}\n${out}\n${err}`);
  return { ms, peakRss, cpuMs: childrenCpuMs() - cpu0 };
}

async function targetCounts(target: Server): Promise<{ rows: number; distinct: number }> {
  return (await (await fetch(`${target.url}/__stats`)).json()) as { rows: number; distinct: number };
}

async function resetTarget(target: Server): Promise<void> {
  await fetch(`${target.url}/__reset`, { method: 'POST' });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const mb = (b: number) => `${Math.round(b / 1048576)} MB`;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

console.log(`ferry bench:http — node ${process.version}, ${new Date().toISOString()}, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
const rows: string[] = [];
for (const n of sizes) {
  const source = await startServer('bench/http/mock-source.mjs', [String(n)]);
  const target = await startServer('bench/http/mock-target.mjs', []);
  const work = mkdtempSync(join(tmpdir(), 'ferry-bench-http-'));
  const connections = join(work, 'connections.json');
  writeFileSync(connections, JSON.stringify({ src: { platform: 'http', baseUrl: source.url }, dst: { platform: 'http', baseUrl: target.url } }));
  const plain: Sample[] = [];
  const ferry: Sample[] = [];
  try {
    for (let rep = 1; rep <= reps; rep++) {
      for (const who of ['plain', 'ferry'] as const) {
        await resetTarget(target);
        const data = join(work, `data-${rep}`);
        const s =
          who === 'plain'
            ? await timed(['bench/http/baseline.mjs', source.url, target.url])
            : await timed(['bin/ferry.js', 'run', 'bench/http/scheme.json', '--connections', connections, '--data', data]);
        const c = await targetCounts(target);
        if (c.rows !== n || c.distinct !== n) throw new Error(`${who}, N=${n}, repetition ${rep}: target holds ${c.rows} rows, ${c.distinct} distinct ids (expected ${n} and ${n})`);
        if (who === 'ferry') s.stateBytes = stateBytes(data);
        (who === 'plain' ? plain : ferry).push(s);
        rmSync(data, { recursive: true, force: true });
        const state = s.stateBytes ? `, state ${Math.round(s.stateBytes / n)} B/record` : '';
        console.log(`  N=${fmt(n)} #${rep} ${who.padEnd(5)} ${(s.ms / 1000).toFixed(2)} s, ${fmt((n * 1000) / s.ms)} rec/s, CPU ${((s.cpuMs * 1000) / n).toFixed(1)} µs/record, peak RSS ${mb(s.peakRss)}${state} — rows ${c.rows}, distinct ids ${c.distinct} ✓`);
      }
    }
  } finally {
    await source.stop();
    await target.stop();
    rmSync(work, { recursive: true, force: true });
  }
  const pr = (n * 1000) / median(plain.map((s) => s.ms));
  const fr = (n * 1000) / median(ferry.map((s) => s.ms));
  const us = (xs: Sample[]) => ((median(xs.map((s) => s.cpuMs)) * 1000) / n).toFixed(1);
  const bytes = Math.round(median(ferry.map((s) => s.stateBytes ?? 0)) / n);
  rows.push(
    `| ${fmt(n)} | ${fmt(pr)} rec/s | ${fmt(fr)} rec/s | ${(fr / pr).toFixed(2)} | ${mb(median(ferry.map((s) => s.peakRss)))} | ${mb(median(plain.map((s) => s.peakRss)))} | ${us(plain)} | ${us(ferry)} | ${bytes} B |`,
  );
}
console.log(`\nmedians of ${reps}, whole command (start-up included); load average now ${loadavg().map((l) => l.toFixed(1)).join(' ')}\n`);
console.log('| N | plain Node fetch loop | ferry | ferry / plain | ferry peak RSS | plain peak RSS | plain CPU µs/record | ferry CPU µs/record | ferry state on disk per record |');
console.log('|---|---|---|---|---|---|---|---|---|');
for (const r of rows) console.log(r);
console.log('\naims (issue 15): ferry/plain ≥ 0.5 at 10,000 and ≥ 0.7 at 100,000 and 1,000,000; ferry peak RSS ≤ 150 MB and flat');
