/**
 * Retention over many runs: the seed scheme (300 shops, a few changing every run) run once a "day" on a shifted
 * clock, with ferry serve's default-shaped retention scaled down (events, API calls and lineage 3 days, runs 5) and
 * without pruning, printing the size of ferry.sqlite (and its WAL) and the rows kept every 25 runs.
 *
 *   npm run bench:retention [-- runs]          (default 100)
 */
import Database from 'better-sqlite3';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { apiClient, startServerWorld } from '../test/server-support.ts';

const RUNS = Number(process.argv[2] ?? 100);
const DAY = 86_400_000;
const SEED = readFileSync(new URL('../examples/shop-to-customer.json', import.meta.url), 'utf8');
const NAME = String((JSON.parse(SEED) as { name: string }).name);

let offset = 0;
const realNow = Date.now.bind(Date);
Date.now = () => realNow() + offset;

async function series(label: string, prune: boolean): Promise<void> {
  offset = 0;
  const days = prune ? 3 : 1e6;
  const w = await startServerWorld({
    shops: 300,
    orgNumbers: ['100', '999'],
    wdt: { churn: { everyCalls: 1, dataset: 'shops' } },
    server: { alertsOff: true, schedules: false, retention: { eventsDays: days, apiCallsDays: days, lineageDays: days, runsDays: prune ? 5 : 1e6 } },
  });
  const api = await apiClient(w.url);
  await api.put('/api/connections/wdt', { platform: 'wdt', config: w.connections.wdt });
  await api.put('/api/connections/kingdee', { platform: 'kingdee', config: w.connections.kingdee });
  await api.post('/api/schemes', { text: SEED });
  const file = join(w.dir, 'ferry.sqlite');
  let pruneMs = 0;
  let prunes = 0;
  for (let i = 1; i <= RUNS; i++) {
    offset = i * DAY;
    await (await w.server.runs.startRun(NAME)).done;
    await new Promise((r) => setTimeout(r, 1100)); // the event recorder's flush
    const t = performance.now();
    await w.server.retention.prune();
    pruneMs += performance.now() - t;
    prunes++;
    if (i % 25 === 0 || i === RUNS) {
      const db = new Database(file, { readonly: true });
      const n = (t: string) => Number((db.prepare(`SELECT COUNT(*) n FROM ${t}`).get() as { n: number }).n);
      const rows = `events ${n('run_events')}, api calls ${n('api_calls')}, lineage ${n('record_lineage')}, runs ${n('runs')}, ledger ${n('ledger')}`;
      db.close();
      const wal = existsSync(`${file}-wal`) ? statSync(`${file}-wal`).size : 0;
      console.log(`${label.padEnd(16)} run ${String(i).padStart(4)}  ferry.sqlite ${(statSync(file).size / 1e6).toFixed(2)} MB  (wal ${(wal / 1e6).toFixed(2)} MB)  ${rows}`);
    }
  }
  console.log(`${label.padEnd(16)} prune: ${(pruneMs / prunes).toFixed(1)} ms on average over ${prunes} prunes`);
  await w.close();
}

await series('retention 3 d', true);
await series('no pruning', false);
