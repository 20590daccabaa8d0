import Database from 'better-sqlite3';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupDataDir } from '../src/cli/admin/backup.ts';
import { createFerryServer } from '../src/server/app.ts';
import { apiClient, SECRETS, startServerWorld, until, type ServerWorld } from './server-support.ts';
import { ferryCli } from './support/ferry-cli.ts';

const SEED = JSON.parse((await import('node:fs')).readFileSync(new URL('../examples/shop-to-customer.json', import.meta.url), 'utf8')) as Record<string, unknown>;
const SCHEME = encodeURIComponent(String(SEED.name));
/** 1,200 shops (every 50th disabled: 1,176 read), pages of 100, every vendor call slowed: the run takes seconds. */
const SHOPS = 1200;
const ACTIVE = SHOPS - SHOPS / 50;

/**
 * `ferry admin backup` while serve runs, and a restore into a new data directory: the restored server starts, its
 * next run resumes where the backup's ledger and checkpoint left off, and Kingdee gets no customer twice.
 */
describe('backup and restore of the data directory', () => {
  let w: ServerWorld;
  let api: Awaited<ReturnType<typeof apiClient>>;
  const out = mkdtempSync(join(tmpdir(), 'ferry-backup-'));
  beforeAll(async () => {
    w = await startServerWorld({ shops: SHOPS, orgNumbers: ['100', '101'], server: { alertsOff: true, schedules: false }, wdt: { faults: { latencyMs: 40 } } });
    api = await apiClient(w.url);
  });
  afterAll(async () => {
    await w?.close();
    rmSync(out, { recursive: true, force: true });
  });

  const created = () => w.kingdee.stats().created.BD_Customer ?? 0;
  const finished = (a: typeof api, runId: string) =>
    until(async () => {
      const r = await a.get(`/api/runs/${runId}`);
      return r.json.status !== 'running' ? r.json : undefined;
    }, 50);

  /** A new data directory from a backup file and the server key, as docs/deploy.md says. */
  async function restore(backup: string) {
    const dir = mkdtempSync(join(out, 'restored-'));
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    copyFileSync(backup, join(dir, 'ferry.sqlite'));
    copyFileSync(join(w.dir, 'secret.key'), join(dir, 'secret.key'));
    const server = await createFerryServer({ dataDir: dir, port: 0, env: {}, defaultMetrics: false, alertsOff: true, schedules: false });
    const url = await server.listen();
    expect(server.initialAdmin).toBeUndefined(); // the users came with the backup
    return { server, api: await apiClient(url, 'admin', SECRETS.admin) };
  }

  it('backs up during a run and after it; each restore resumes and creates nothing twice', { timeout: 120_000 }, async () => {
    expect((await api.put('/api/connections/wdt', { platform: 'wdt', config: w.connections.wdt })).status).toBe(200);
    expect((await api.put('/api/connections/kingdee', { platform: 'kingdee', config: w.connections.kingdee })).status).toBe(200);
    expect((await api.post('/api/schemes', { text: JSON.stringify(SEED) })).status).toBe(201);
    w.kingdee.setFaults({ latencyMs: 60 });

    const started = await api.post(`/api/schemes/${SCHEME}/run`);
    expect(started.status, started.text).toBe(202);
    const runId = String(started.json.runId);
    // Mid-run: some pages committed, not all.
    await until(async () => ((await w.server.context.state.countLedger(String(SEED.name))).written > 0 ? true : undefined), 20);
    const during = join(out, 'during.sqlite');
    const b1 = await backupDataDir(w.dir, during);
    const run1 = await finished(api, runId);
    expect(run1.status).toBe('succeeded');
    expect(created()).toBe(ACTIVE);

    // The copy is a consistent, self-contained database of the moment it was taken: the run still going.
    expect(b1.ledgerRows).toBeGreaterThan(0);
    expect(b1.ledgerRows).toBeLessThan(ACTIVE);
    expect(statSync(during).mode & 0o777).toBe(0o600);
    const db = new Database(during, { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect((db.prepare('SELECT status FROM runs WHERE id = ?').get(runId) as { status: string }).status).toBe('running');
    db.close();

    // After the run, through the command line, while serve still runs.
    const after = join(out, 'after.sqlite');
    const cli = await ferryCli(['admin', 'backup', after, '--data', w.dir]);
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.stdout).toContain(`${ACTIVE} ledger rows (integrity ok)`);
    expect((await ferryCli(['admin', 'backup', after, '--data', w.dir])).stderr).toContain('exists');

    w.kingdee.setFaults({ latencyMs: 0 });
    // Restore the mid-run copy: the next run resumes from its checkpoint; what the first run wrote after the copy
    // is found in Kingdee by number (idCheck), not created again.
    const r1 = await restore(during);
    try {
      const next = await r1.api.post(`/api/schemes/${SCHEME}/run`);
      expect(next.status, next.text).toBe(202);
      const run2 = await finished(r1.api, String(next.json.runId));
      expect(run2.status, run2.reason).toBe('succeeded');
      expect(run2.counts.read).toBeLessThan(ACTIVE); // resumed, not read from the start
      expect(run2.counts.created).toBe(0);
      expect(run2.counts.updated).toBeGreaterThan(0); // written by the first run after the copy: found by number
      expect(created()).toBe(ACTIVE);
      expect([...w.kingdee.records('BD_Customer')].length).toBe(ACTIVE);
      const counts = (await r1.api.get(`/api/records?scheme=${SCHEME}&status=written&limit=1`)).json;
      expect(counts.rows.length).toBe(1);
    } finally {
      await r1.server.close();
    }

    // Restore the copy taken after the run: the next run finds everything done and writes nothing.
    const updatedBefore = w.kingdee.stats().updated.BD_Customer ?? 0;
    const r2 = await restore(after);
    try {
      const next = await r2.api.post(`/api/schemes/${SCHEME}/run`);
      const run3 = await finished(r2.api, String(next.json.runId));
      expect(run3.status, run3.reason).toBe('succeeded');
      expect(run3.counts.read).toBe(ACTIVE);
      expect(run3.counts.created + run3.counts.updated).toBe(0);
      expect(run3.counts.skipped).toBe(ACTIVE);
      expect(created()).toBe(ACTIVE);
      expect(w.kingdee.stats().updated.BD_Customer ?? 0).toBe(updatedBefore);
    } finally {
      await r2.server.close();
    }
  });
});
