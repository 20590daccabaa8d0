import Database from 'better-sqlite3';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { apiClient, startServerWorld, until, type ServerWorld } from './server-support.ts';

const SEED = readFileSync(new URL('../examples/shop-to-customer.json', import.meta.url), 'utf8');
const NAME = String((JSON.parse(SEED) as { name: string }).name);
const DAY = 86_400_000;
const SHOPS = 300;
const ACTIVE = SHOPS - SHOPS / 50;
const RUNS = 50;

/**
 * Retention over many runs: one run a day on an injected clock (Date.now shifted a day per run), events, API calls
 * and lineage kept 3 days, runs 5. The database stops growing once the window is full — size after run 50 ≈ size
 * after run 10 — while the ledger keeps every record's status, hash and target id (Kingdee holds each shop once).
 */
describe('retention keeps the database bounded over many runs', () => {
  let w: ServerWorld;
  let offset = 0;
  beforeAll(async () => {
    const realNow = Date.now.bind(Date);
    vi.spyOn(Date, 'now').mockImplementation(() => realNow() + offset);
    w = await startServerWorld({
      shops: SHOPS,
      orgNumbers: ['100', '999'],
      // Every page served changes one shop: each run writes a few records (lineage, payloads) besides reading.
      wdt: { churn: { everyCalls: 1, dataset: 'shops' } },
      server: { alertsOff: true, schedules: false, retention: { eventsDays: 3, apiCallsDays: 3, lineageDays: 3, runsDays: 5 } },
    });
    const api = await apiClient(w.url);
    expect((await api.put('/api/connections/wdt', { platform: 'wdt', config: w.connections.wdt })).status).toBe(200);
    expect((await api.put('/api/connections/kingdee', { platform: 'kingdee', config: w.connections.kingdee })).status).toBe(200);
    expect((await api.post('/api/schemes', { text: SEED })).status).toBe(201);
  });
  afterAll(async () => {
    await w?.close();
    vi.restoreAllMocks();
  });

  const file = () => join(w.dir, 'ferry.sqlite');
  const walBytes = () => (existsSync(`${file()}-wal`) ? statSync(`${file()}-wal`).size : 0);
  const bytes = () => statSync(file()).size + walBytes();
  const rows = () => {
    const db = new Database(file(), { readonly: true });
    try {
      const n = (t: string) => Number((db.prepare(`SELECT COUNT(*) n FROM ${t}`).get() as { n: number }).n);
      return { events: n('run_events'), apiCalls: n('api_calls'), apiStats: n('api_stats'), lineage: n('record_lineage'), runs: n('runs'), quality: n('quality_counts'), ledger: n('ledger') };
    } finally {
      db.close();
    }
  };

  it(`${RUNS} daily runs: rows and file size after run ${RUNS} ≈ after run 10; the ledger is whole`, { timeout: 180_000 }, async () => {
    const at: Record<number, { bytes: number; wal: number; rows: ReturnType<typeof rows> }> = {};
    for (let i = 1; i <= RUNS; i++) {
      offset = i * DAY;
      const started = await w.server.runs.startRun(NAME);
      const report = await started.done;
      expect(report?.status, `run ${i}`).toBe('partial'); // the shops of org 999 are rejected by Kingdee, every run
      // The server prunes by itself after a run (at most hourly on its clock: here every run, a day apart).
      await until(async () => (w.server.retention.lastPrunedAt >= offset ? true : undefined), 20);
      if (i === 10 || i === RUNS) {
        await new Promise((r) => setTimeout(r, 1200)); // the event recorder's last flush of the run
        await w.server.retention.prune();
        at[i] = { bytes: bytes(), wal: walBytes(), rows: rows() };
      }
    }
    const [a, b] = [at[10]!, at[RUNS]!];
    // Figures, for the report: rows kept and bytes of ferry.sqlite + its WAL.
    console.log(`retention: after run 10 ${JSON.stringify(a)}\nretention: after run ${RUNS} ${JSON.stringify(b)}`);
    expect(b.rows.runs).toBeLessThanOrEqual(6);
    expect(b.rows.events).toBeLessThanOrEqual(Math.ceil(a.rows.events * 1.1));
    expect(b.rows.apiCalls).toBeLessThanOrEqual(Math.ceil(a.rows.apiCalls * 1.1));
    expect(b.rows.apiStats).toBeLessThanOrEqual(a.rows.apiStats + 2);
    expect(b.rows.lineage).toBeLessThanOrEqual(Math.ceil(a.rows.lineage * 1.2) + 5);
    expect(b.rows.quality).toBeLessThanOrEqual(a.rows.quality + 2);
    expect(b.bytes).toBeLessThanOrEqual(a.bytes * 1.1);

    // The ledger is untouched: one row per active shop, every written (or since skipped) one with its hash and target id; Kingdee
    // holds each shop once after 50 runs (no record sent twice as new).
    expect(b.rows.ledger).toBe(ACTIVE);
    const db = new Database(file(), { readonly: true });
    const written = db.prepare("SELECT COUNT(*) n, SUM(payload_hash IS NULL) noHash, SUM(target_id IS NULL) noTarget FROM ledger WHERE status IN ('written', 'skipped')").get() as { n: number; noHash: number; noTarget: number };
    db.close();
    expect(written.n).toBeGreaterThan(ACTIVE / 3);
    expect(written.noHash).toBe(0);
    expect(written.noTarget).toBe(0);
    const numbers = [...w.kingdee.records('BD_Customer')].map((r) => r.number);
    expect(numbers.length).toBe(written.n);
    expect(new Set(numbers).size).toBe(written.n);
    expect(w.kingdee.stats().created.BD_Customer).toBe(written.n);
  });
});
