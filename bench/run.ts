/**
 * `npm run bench` — the engine's figures (issue 5), each measured in its own process with both emulators
 * in another, so the numbers are ferry's own:
 * 1. 100,000 shops, zero latency: ferry's records/s, the plain baseline's records/s, and their ratio. The baseline
 *    (bench/lib/plain-baseline.mjs) is written only with fetch, the vendors' signing and a loop: no ferry code;
 * 2. peak RSS of ferry for 10,000, 100,000 and 1,000,000 shops (memory must not grow with the data);
 * 3. 20 ms latency in both emulators: total time against the sum of read and write call time
 *    (reads and writes overlap when the total is well under the sum).
 * Set BENCH_QUICK=1 to skip the 1,000,000-shop run, BENCH_PARTS=1 to run only part 1, BENCH_SHOPS=10000 to size part 1.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface Emu {
  connections: string;
  kingdeeUrl: string;
  stop(): Promise<void>;
}

async function startEmulators(shops: number, latencyMs = 0): Promise<Emu> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/lib/emulator-process.ts', String(shops), String(latencyMs)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    let buf = '';
    child.stdout!.on('data', (d) => {
      buf += d;
      if (buf.includes('\n')) resolve(buf.split('\n')[0]!);
    });
    child.once('exit', (code) => reject(new Error(`emulators exited with ${code}`)));
  });
  const info = JSON.parse(line) as { connections: unknown; kingdeeUrl: string };
  const file = join(mkdtempSync(join(tmpdir(), 'ferry-bench-')), 'connections.json');
  writeFileSync(file, JSON.stringify(info.connections));
  return {
    connections: file,
    kingdeeUrl: info.kingdeeUrl,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

async function child<T>(script: string, args: string[]): Promise<T> {
  const loader = script.endsWith('.mjs') ? [] : ['--import', 'tsx'];
  const p = spawn(process.execPath, [...loader, script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  p.stdout!.on('data', (d) => (out += d));
  const code = await new Promise<number | null>((r) => p.on('close', r));
  if (code !== 0) throw new Error(`${script} exited with ${code}`);
  return JSON.parse(out.trim().split('\n').pop()!) as T;
}

async function resetKingdee(url: string): Promise<void> {
  const res = await fetch(new URL('/__control/reset', url), { method: 'POST' });
  if (!res.ok) throw new Error(`kingdee reset failed: ${res.status}`);
}

interface FerryResult {
  records: number;
  ms: number;
  peakRss: number;
  readMs: number;
  writeMs: number;
  status: string;
  reason?: string;
}

const mb = (b: number) => `${(b / 1048576).toFixed(0)} MB`;
const rate = (n: number, ms: number) => Math.round((n * 1000) / ms);

console.log(`ferry bench — node ${process.version}, ${new Date().toISOString()}`);

const parts = (process.env.BENCH_PARTS ?? '1,2,3').split(',');
const shops1 = Number(process.env.BENCH_SHOPS ?? 100_000);

// 1. ferry vs baseline, 100,000 shops, zero latency.
if (parts.includes('1')) {
  const emu = await startEmulators(shops1);
  try {
    const f = await child<FerryResult>('bench/lib/ferry-child.ts', [emu.connections]);
    await resetKingdee(emu.kingdeeUrl);
    const b = await child<{ records: number; ms: number; peakRss: number }>('bench/lib/plain-baseline.mjs', [emu.connections]);
    console.log(`\n1. ${shops1.toLocaleString('en-US')} shops (98% active), emulators with zero latency`);
    console.log(`   ferry:    ${f.records} written in ${(f.ms / 1000).toFixed(1)} s = ${rate(f.records, f.ms)} records/s (${f.status})`);
    console.log(`   baseline: ${b.records} written in ${(b.ms / 1000).toFixed(1)} s = ${rate(b.records, b.ms)} records/s (plain fetch + Qimen md5 + Kingdee signed headers, no ferry code)`);
    console.log(`   ratio ferry/baseline: ${(rate(f.records, f.ms) / rate(b.records, b.ms)).toFixed(2)} (aim ≥ 0.8)`);
  } finally {
    await emu.stop();
  }
}

// 2. Peak RSS by size.
if (parts.includes('2')) {
  console.log('\n2. ferry peak RSS by source size');
  const sizes = process.env.BENCH_QUICK ? [10_000, 100_000] : [10_000, 100_000, 1_000_000];
  const rss: number[] = [];
  for (const n of sizes) {
    const emu = await startEmulators(n);
    try {
      const f = await child<FerryResult>('bench/lib/ferry-child.ts', [emu.connections]);
      rss.push(f.peakRss);
      console.log(`   ${String(n).padStart(9)} shops: peak RSS ${mb(f.peakRss)}, ${rate(f.records, f.ms)} records/s (${f.status})`);
    } finally {
      await emu.stop();
    }
  }
  console.log(`   largest/smallest: ${(rss[rss.length - 1]! / rss[0]!).toFixed(2)}× (aim ≤ 1.5×)`);
}

// 3. Overlap of reads and writes with 20 ms latency.
if (parts.includes('3')) {
  const emu = await startEmulators(20_000, 20);
  try {
    const f = await child<FerryResult>('bench/lib/ferry-child.ts', [emu.connections]);
    console.log('\n3. 20,000 shops, 20 ms latency on every call of both emulators');
    console.log(`   total ${(f.ms / 1000).toFixed(1)} s; sum of read calls ${(f.readMs / 1000).toFixed(1)} s + write calls ${(f.writeMs / 1000).toFixed(1)} s = ${((f.readMs + f.writeMs) / 1000).toFixed(1)} s`);
    console.log(`   total / (read + write) = ${(f.ms / (f.readMs + f.writeMs)).toFixed(2)} (under 1: reads and writes overlap)`);
  } finally {
    await emu.stop();
  }
}
