import { createServer, type Server } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createUser, resetPassword } from '../src/cli/admin/admin-users.ts';
import { choosePassword } from '../src/cli/admin/password-input.ts';
import { createFerryServer } from '../src/server/app.ts';
import { SqliteServerStore } from '../src/store/sqlite/server-store.ts';
import { ferryCli } from './support/ferry-cli.ts';

const login = (url: string, username: string, password: string) =>
  fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });

/**
 * Issue 13, hole 7: a first start that cannot listen must not create `admin` (whose generated password nobody
 * would ever see), and `ferry admin reset-password` / `create-user` recover a lock-out on the data directory,
 * while the server runs.
 */
describe('first start and lock-out recovery', () => {
  const dirs: string[] = [];
  const tmp = () => {
    const d = mkdtempSync(join(tmpdir(), 'ferry-lockout-'));
    dirs.push(d);
    return d;
  };
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('ferry serve on a taken port: a clean message, exit code 1, and no user created', { timeout: 60_000 }, async () => {
    const blocker: Server = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    const dir = tmp();
    try {
      const r = await ferryCli(['serve', '--port', String(port), '--data', dir]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`ferry: cannot listen on 127.0.0.1:${port}: the port is already in use`);
      expect(r.stderr).not.toMatch(/unexpected error|at .*\.ts:\d+/);
      expect(r.stdout).not.toMatch(/password/);
    } finally {
      await new Promise<void>((r) => blocker.close(() => r()));
    }
    const store = new SqliteServerStore(join(dir, 'ferry.sqlite'));
    expect(await store.countUsers()).toBe(0);
    await store.close();
  });

  it('a created server makes no user until it listens', async () => {
    const dir = tmp();
    const s = await createFerryServer({ dataDir: dir, port: 0, env: {}, defaultMetrics: false, alertsOff: true, schedules: false });
    expect(await s.context.server.countUsers()).toBe(0);
    expect(s.initialAdmin).toBeUndefined();
    await s.listen();
    expect(s.initialAdmin).toMatchObject({ username: 'admin', generated: true });
    expect(await s.context.server.countUsers()).toBe(1);
    await s.close();
  });

  it('ferry admin reset-password recovers a lost admin password while serve runs; create-user adds a user', { timeout: 90_000 }, async () => {
    const dir = tmp();
    const s = await createFerryServer({ dataDir: dir, port: 0, env: {}, defaultMetrics: false, alertsOff: true, schedules: false });
    const url = await s.listen();
    try {
      const lost = s.initialAdmin!.password; // printed once, then lost
      const before = await login(url, 'admin', lost);
      expect(before.status).toBe(200);
      const oldSession = String(before.headers.get('set-cookie')).split(';')[0]!;

      const reset = await ferryCli(['admin', 'reset-password', 'admin', '--data', dir]);
      expect(reset.code, reset.stderr).toBe(0);
      const generated = /\n {4}(\S+)\n/.exec(reset.stdout)?.[1];
      expect(generated).toBeDefined();
      expect(generated!.length).toBeGreaterThanOrEqual(10);

      // The running server sees it at once: the new password logs in, the old one no longer, old sessions end.
      const fresh = await login(url, 'admin', generated!);
      expect(fresh.status).toBe(200);
      expect((await login(url, 'admin', lost)).status).toBe(401);
      expect((await fetch(`${url}/api/auth/me`, { headers: { cookie: oldSession } })).status).toBe(401);
      // A generated password is changed at the first login (the server's policy), then the API is open again.
      const cookie = String(fresh.headers.get('set-cookie')).split(';')[0]!;
      const json = { cookie, 'content-type': 'application/json', origin: url };
      expect((await fetch(`${url}/api/users`, { headers: { cookie } })).status).toBe(403);
      const changed = await fetch(`${url}/api/auth/password`, { method: 'POST', headers: json, body: JSON.stringify({ current: generated, next: 'Recovered-Passw0rd-1' }) });
      expect(changed.status, await changed.text()).toBeLessThan(300);
      const relogin = await login(url, 'admin', 'Recovered-Passw0rd-1');
      const users = await fetch(`${url}/api/users`, { headers: { cookie: String(relogin.headers.get('set-cookie')).split(';')[0]! } });
      expect(users.status).toBe(200);
      expect(((await users.json()) as { username: string }[]).map((u) => u.username)).toEqual(['admin']);

      // A chosen password from stdin, under the server's policy.
      const chosen = 'Chosen-Passw0rd-from-stdin';
      const viaStdin = await ferryCli(['admin', 'reset-password', 'admin', '--data', dir, '--password-stdin'], { stdin: `${chosen}\n` });
      expect(viaStdin.code, viaStdin.stderr).toBe(0);
      expect(viaStdin.stdout).not.toContain(chosen);
      const viaChosen = await login(url, 'admin', chosen);
      expect(viaChosen.status).toBe(200);
      expect((await fetch(`${url}/api/users`, { headers: { cookie: String(viaChosen.headers.get('set-cookie')).split(';')[0]! } })).status).toBe(200);
      // Refusals (in-process: the same functions the command calls, whose UserError the CLI prints with exit code 1).
      await expect(choosePassword({ passwordEnv: 'P' }, 'admin', { P: 'short' }, process.stdin)).rejects.toThrow('at least 10 characters');
      await expect(choosePassword({ passwordEnv: 'P' }, 'administrator', { P: 'Administrator' }, process.stdin)).rejects.toThrow('must not be the user name');
      await expect(choosePassword({ passwordEnv: 'NOPE' }, 'admin', {}, process.stdin)).rejects.toThrow('NOPE is not set');
      await expect(resetPassword(dir, 'nobody', 'Whatever-Passw0rd')).rejects.toThrow(/no user "nobody" .*users: admin/);
      expect((await login(url, 'admin', chosen)).status).toBe(200);

      const viewer = await ferryCli(['admin', 'create-user', 'ops.viewer', '--role', 'viewer', '--data', dir, '--password-env', 'P'], { env: { P: 'Viewer-Passw0rd-1' } });
      expect(viewer.code, viewer.stderr).toBe(0);
      const v = await login(url, 'ops.viewer', 'Viewer-Passw0rd-1');
      expect(v.status).toBe(200);
      expect(((await v.json()) as { user: { role: string } }).user.role).toBe('viewer');
      await expect(createUser(dir, 'ops.viewer', 'viewer', 'Another-Passw0rd-2')).rejects.toThrow('exists');
      const badRole = await ferryCli(['admin', 'create-user', 'x', '--role', 'root', '--data', dir]);
      expect(badRole.code).toBe(1);
      expect(badRole.stderr).toContain('--role must be one of admin, operator, viewer');
    } finally {
      await s.close();
    }
  });

  it('ferry admin on a directory without a database says so', async () => {
    await expect(resetPassword(join(tmp(), 'nothing'), 'admin', 'Whatever-Passw0rd')).rejects.toThrow('no ferry database');
  });
});
