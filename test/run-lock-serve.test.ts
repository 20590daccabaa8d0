import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyCounts } from '../src/core/contracts/state-store.ts';
import { processStartToken } from '../src/engine/process-liveness.ts';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { apiClient, startServerWorld, until, type ServerWorld } from './server-support.ts';

const SEED = readFileSync(new URL('../examples/shop-to-customer.json', import.meta.url), 'utf8');
const NAME = '店铺同步客户';

/** Issue 11, defect 7: a run of a scheme by another process on the server's data directory (a CLI `ferry run`) blocks the server's run of it. */
describe('ferry serve beside a CLI run of the same scheme', () => {
  let w: ServerWorld;
  let api: Awaited<ReturnType<typeof apiClient>>;
  beforeAll(async () => {
    w = await startServerWorld({ shops: 40, orgNumbers: ['100'] });
    api = await apiClient(w.url);
    await api.put('/api/connections/wdt', { platform: 'wdt', config: w.connections.wdt });
    await api.put('/api/connections/kingdee', { platform: 'kingdee', config: w.connections.kingdee });
    await api.post('/api/schemes', { text: SEED });
  });
  afterAll(async () => w?.close());

  it('answers 409 naming the other process\'s run while it lives; once it is killed, the server runs the scheme and marks that run interrupted', async () => {
    // Another process holds the scheme's lock, as `ferry run` does while it runs.
    const cli = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    const pid = cli.pid!;
    await until(async () => (processStartToken(pid) !== null ? true : undefined), 50);
    const state = new SqliteStore(join(w.dir, 'ferry.sqlite'));
    const startedAt = Date.now();
    await state.tryLockScheme({ scheme: NAME, runId: 'cli-run', pid, host: hostname(), processStart: processStartToken(pid), acquiredAt: startedAt, heartbeatAt: startedAt });
    await state.createRun({ id: 'cli-run', scheme: NAME, status: 'running', trigger: 'manual', startedAt, counts: emptyCounts(), owner: `${pid}@${hostname()}` });
    try {
      const refused = await api.post(`/api/schemes/${encodeURIComponent(NAME)}/run`);
      expect(refused.status, refused.text).toBe(409);
      expect(refused.json.error).toContain(`is already running: run cli-run (pid ${pid} on ${hostname()}, started ${new Date(startedAt).toISOString()}`);
      expect(w.server.runs.isRunning(NAME)).toBe(false);

      cli.kill('SIGKILL');
      await new Promise((r) => cli.once('exit', r));
      const started = await api.post(`/api/schemes/${encodeURIComponent(NAME)}/run`);
      expect(started.status, started.text).toBe(202);
      const run = await until(async () => {
        const r = await api.get(`/api/runs/${String(started.json.runId)}`);
        return r.json.status !== 'running' ? r.json : undefined;
      }, 100);
      expect(run.status).toBe('succeeded');
      expect((await api.get('/api/runs/cli-run')).json).toMatchObject({ status: 'interrupted', reason: expect.stringContaining(`pid ${pid}`) });
    } finally {
      cli.kill('SIGKILL');
      await state.close();
    }
  });
});
