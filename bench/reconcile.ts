/**
 * The end-of-run target check (issue 11, defect 4) at demo scale, old and new side by side under the same load:
 * a `ferry demo` data directory (state + the Kingdee emulator's saved data) is reconciled twice —
 *   keyset: the engine's `reconcile` (pageRunLedger, keyset pages on ledger_run_status_source);
 *   offset: the old walk (queryLedger ORDER BY updated_at DESC LIMIT 500 OFFSET n), same look-ups.
 * Prints wall time and this process's CPU for each, split into ledger walk and target look-ups.
 *
 *   npx ferry demo --shops 100000 --fresh -d /tmp/x && npx tsx bench/reconcile.ts /tmp/x/demo
 */
import { join } from 'node:path';
import { parseConnections } from '../src/cli/connections.ts';
import { startDemoEnvironment } from '../src/cli/demo-setup.ts';
import { openRun } from '../src/cli/open-run.ts';
import { SEED_SCHEME_FILE } from '../src/cli/commands/demo.ts';
import { loadSchemeFile } from '../src/cli/scheme-file.ts';
import { reconcile } from '../src/engine/reconcile.ts';
import { systemClock } from '../src/core/policy/rate-limiter.ts';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.ts';

const dir = process.argv[2];
if (!dir) throw new Error('usage: tsx bench/reconcile.ts <demo data dir (holding ferry.sqlite and kingdee-emulator.json)>');
const env = await startDemoEnvironment({ shops: 0, dir });
const store = new SqliteStore(join(dir, 'ferry.sqlite'));
const run = openRun(loadSchemeFile(SEED_SCHEME_FILE), parseConnections(env.connections, 'bench'), store, { logFile: join(dir, 'logs', 'bench.log'), logLevel: 'warn' });
const last = (await store.listRuns({ scheme: run.cs.scheme.name, limit: 1 }))[0];
if (!last) throw new Error(`no run in ${dir}`);
const scheme = run.cs.scheme.name;

const measure = async (what: string, f: () => Promise<unknown>) => {
  const t = performance.now();
  const c = process.cpuUsage();
  const out = await f();
  const cpu = process.cpuUsage(c);
  console.log(`${what.padEnd(40)} ${(performance.now() - t).toFixed(0).padStart(7)} ms wall, ${((cpu.user + cpu.system) / 1000).toFixed(0).padStart(7)} ms CPU`);
  return out;
};
const lookupAll = async (pages: string[][]) => {
  for (const numbers of pages) await run.deps.target.lookup!(run.cs.writeSpec, numbers, AbortSignal.timeout(60_000));
};

console.log(`run ${last.id}: ${(await store.countLedger(scheme, last.id)).written} written ledger rows; Kingdee emulator holds ${[...env.kingdee.records('BD_Customer')].length} customers`);
const report = (await measure('keyset: reconcile() (walk + look-ups)', () =>
  reconcile(run.cs, run.deps, { runId: last.id, counts: last.counts, status: 'succeeded', reason: undefined, started: Date.now(), reconcileTarget: true, clock: systemClock }),
)) as Awaited<ReturnType<typeof reconcile>>;
console.log(`  held ${report.reconciliation.heldByTarget} of ${report.reconciliation.checkedInTarget}`);
const keysetPages: string[][] = [];
await measure('keyset: ledger walk only', async () => {
  for (let after: string | undefined; ; ) {
    const rows = await store.pageRunLedger({ scheme, runId: last.id, status: 'written', limit: 500, ...(after !== undefined ? { after } : {}) });
    if (!rows.length) break;
    after = rows[rows.length - 1]!.sourceId;
    keysetPages.push(rows.map((r) => r.targetNumber!).filter(Boolean));
  }
});
await measure('target look-ups only (196 × ExecuteBillQuery)', () => lookupAll(keysetPages));
const offsetPages: string[][] = [];
await measure('offset: ledger walk only (the old code)', async () => {
  for (let offset = 0; ; offset += 500) {
    const rows = await store.queryLedger({ scheme, runId: last.id, status: 'written', limit: 500, offset });
    offsetPages.push(rows.map((r) => r.targetNumber!).filter(Boolean));
    if (rows.length < 500) break;
  }
});
await run.close();
await store.close();
await env.close();
