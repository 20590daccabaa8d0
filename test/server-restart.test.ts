import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { emptyCounts } from '../src/core/contracts/state-store.ts';
import { createFerryServer } from '../src/server/app.ts';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.ts';

/** What survives a restart of `ferry serve`, and what a changed key or a stopped run looks like after it. */
describe('ferry serve across restarts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-restart-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const login = async (s: Awaited<ReturnType<typeof createFerryServer>>, password: string) =>
    String((await s.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password } })).headers['set-cookie']).split(';')[0]!;

  it('keeps users and sealed connections, marks abandoned runs interrupted with their ledger counts, and reports credentials a new key cannot open', async () => {
    const first = await createFerryServer({ dataDir: dir, env: {}, defaultMetrics: false });
    await first.createFirstUser();
    expect(first.initialAdmin?.generated).toBe(true);
    expect(first.keySource).toBe('created');
    // The generated password must be replaced at the first login (issue 13) before anything else.
    const password = 'restart-own-password';
    const changed = await first.app.inject({ method: 'POST', url: '/api/auth/password', headers: { cookie: await login(first, first.initialAdmin!.password) }, payload: { current: first.initialAdmin!.password, next: password } });
    expect(changed.statusCode).toBe(200);
    const cookie = String(changed.headers['set-cookie']).split(';')[0]!;
    const put = await first.app.inject({ method: 'PUT', url: '/api/connections/kd', headers: { cookie }, payload: { platform: 'kingdee', config: { mode: 'password', baseUrl: 'http://127.0.0.1:9/k3cloud/', acctId: 'a', username: 'u', password: 'Restart-Secret-1' } } });
    expect(put.statusCode).toBe(200);
    const scheme = JSON.parse(await (await import('node:fs/promises')).readFile(new URL('../examples/shop-to-customer.json', import.meta.url), 'utf8'));
    scheme.source.connection = 'nowhere';
    await first.app.inject({ method: 'POST', url: '/api/schemes', headers: { cookie }, payload: { text: JSON.stringify(scheme) } });
    const run = await first.app.inject({ method: 'POST', url: `/api/schemes/${encodeURIComponent(scheme.name)}/run`, headers: { cookie }, payload: {} });
    expect(run.statusCode).toBe(400);
    expect(run.json().error).toMatch(/nowhere/);
    await first.close();

    // A run left `running` by a process that is gone.
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    const state = new SqliteStore(join(dir, 'ferry.sqlite'));
    await state.createRun({ id: 'orphan', scheme: 'S', status: 'running', trigger: 'schedule', startedAt: Date.now(), counts: emptyCounts(), owner: `${dead}@${hostname()}` });
    const ledger = (id: string, status: 'written' | 'rejected', detail: string) => ({ scheme: 'S', sourceId: id, status, detail, runId: 'orphan', updatedAt: 1 });
    await state.commitPage([ledger('1', 'written', 'created'), ledger('2', 'written', 'created'), ledger('3', 'written', 'updated'), ledger('4', 'rejected', 'target')], null);
    await state.close();

    const second = await createFerryServer({ dataDir: dir, env: {}, defaultMetrics: false });
    expect(await second.createFirstUser()).toBeUndefined();
    expect(second.initialAdmin).toBeUndefined();
    expect(second.keySource).toBe('file');
    const c2 = await login(second, password);
    const kd = await second.app.inject({ method: 'GET', url: '/api/connections/kd', headers: { cookie: c2 } });
    expect(kd.json()).toMatchObject({ config: { password: '***', username: 'u' }, secrets: { password: 'set' } });
    const orphan = await second.app.inject({ method: 'GET', url: '/api/runs/orphan', headers: { cookie: c2 } });
    expect(orphan.json()).toMatchObject({ status: 'interrupted', reason: expect.stringContaining('stopped before the run ended'), counts: { read: 4, created: 2, updated: 1, rejected: 1 } });
    await second.close();

    const third = await createFerryServer({ dataDir: dir, env: { FERRY_SECRET_KEY: Buffer.alloc(32, 9).toString('base64') }, defaultMetrics: false });
    const c3 = await login(third, password);
    const list = await third.app.inject({ method: 'GET', url: '/api/connections', headers: { cookie: c3 } });
    expect(list.statusCode).toBe(200);
    expect(list.json()[0]).toMatchObject({ name: 'kd', problem: expect.stringContaining('cannot be opened') });
    const test = await third.app.inject({ method: 'POST', url: '/api/connections/kd/test', headers: { cookie: c3 }, payload: {} });
    expect(test.statusCode).toBe(400);
    await third.close();
  });
});
