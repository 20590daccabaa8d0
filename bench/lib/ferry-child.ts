/**
 * Child process for benchmarks: runs the seed scheme once with the real engine and SQLite state (a fresh
 * temporary data directory) and prints {records, ms, peakRss, readMs, writeMs, report} as JSON.
 * Args: <connections.json>. RSS is sampled every 50 ms.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConnections } from '../../src/cli/connections.ts';
import { openRun } from '../../src/cli/open-run.ts';
import { loadSchemeFile } from '../../src/cli/scheme-file.ts';
import { runScheme } from '../../src/engine/run-scheme.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { SEED_SCHEME_FILE } from '../../src/cli/commands/demo.ts';
import { tuneHeap } from '../../src/cli/tune-heap.ts';

// Stands in for `ferry run`, so it starts the way bin/ferry.js does.
tuneHeap();

let peakRss = process.memoryUsage.rss();
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 50);
const connections = parseConnections(JSON.parse(readFileSync(process.argv[2]!, 'utf8')), 'bench');
const dir = mkdtempSync(join(tmpdir(), 'ferry-bench-'));
const store = new SqliteStore(join(dir, 'ferry.sqlite'));
let readMs = 0;
let writeMs = 0;
const run = openRun(loadSchemeFile(SEED_SCHEME_FILE), connections, store, {
  logFile: join(dir, 'ferry.log'),
  logLevel: 'warn',
  onEvent: (e) => {
    if (e.type !== 'api.call') return;
    if (e.call.platform === 'wdt') readMs += e.call.durationMs;
    else writeMs += e.call.durationMs;
  },
});
const t0 = performance.now();
const report = await runScheme(run.cs, run.deps, { reconcileTarget: false });
const ms = performance.now() - t0;
await run.close();
await store.close();
clearInterval(sampler);
peakRss = Math.max(peakRss, process.memoryUsage.rss());
process.stdout.write(`${JSON.stringify({ records: report.reconciliation.written, ms, peakRss, readMs, writeMs, status: report.status, reason: report.reason })}\n`);
