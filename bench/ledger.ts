/**
 * `npm run bench:ledger` — what the ledger costs per record, in isolation (issue 15, "Ledger"): CPU µs per
 * record of SqliteStore.commitPage (pages of 100 delivered records plus the page checkpoint, as the engine
 * commits them) and of payloadHash on the HTTP bench's 6-field payload, and the database's bytes per record.
 * BENCH_RECORDS=100000 by default.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LedgerRow } from '../src/core/contracts/state-store.ts';
import { payloadHash } from '../src/engine/hash.ts';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.ts';

const n = Number(process.env.BENCH_RECORDS ?? 100_000);
const dir = mkdtempSync(join(tmpdir(), 'ferry-bench-ledger-'));
const file = join(dir, 'ferry.sqlite');
const store = new SqliteStore(file);
const payload = (i: number) => ({ id: `S${String(i).padStart(8, '0')}`, name: `店铺 ${i} 旗舰店`, platform: 'tmall', active: i % 10 !== 0, created_at: new Date(1767225600000 + i * 60_000).toISOString(), owner_name: `店长${i % 977}` });

const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

let t = cpu();
const hashes: string[] = [];
for (let i = 0; i < n; i++) hashes.push(payloadHash(payload(i)));
const hashMs = cpu() - t;

const pages: LedgerRow[][] = [];
for (let p = 0; p < n / 100; p++) {
  const rows: LedgerRow[] = [];
  for (let k = 0; k < 100; k++) {
    const i = p * 100 + k;
    const id = `S${String(i).padStart(8, '0')}`;
    rows.push({ scheme: 'bench: shops over HTTP', sourceId: id, sourceNumber: id, payloadHash: hashes[i]!, targetId: id, targetNumber: id, status: 'written', detail: 'created', runId: '20261201230000-abcdef12', updatedAt: Date.now(), sourceRef: `page ${p + 1}#${k}` });
  }
  pages.push(rows);
}
t = cpu();
for (const [p, rows] of pages.entries())
  await store.commitPage(rows, { scheme: 'bench: shops over HTTP', stream: 'default', cursor: { page: p + 2 }, highWater: null, runId: '20261201230000-abcdef12', updatedAt: Date.now() });
const commitMs = cpu() - t;
await store.close();
let bytes = 0;
for (const f of ['ferry.sqlite', 'ferry.sqlite-wal']) bytes += statSync(join(dir, f), { throwIfNoEntry: false })?.size ?? 0;
rmSync(dir, { recursive: true, force: true });
console.log(`ledger, ${n.toLocaleString('en-US')} delivered records in pages of 100:`);
console.log(`  commitPage   ${((commitMs * 1000) / n).toFixed(1)} µs CPU/record`);
console.log(`  payloadHash  ${((hashMs * 1000) / n).toFixed(1)} µs CPU/record`);
console.log(`  on disk      ${Math.round(bytes / n)} bytes/record (ferry.sqlite + WAL)`);
