import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { RunReport } from '../src/engine/reconcile.ts';
import { createUser, resetPassword } from '../src/cli/admin/admin-users.ts';
import { startWebhookReceiver } from '../src/server/alerts/testing/webhook-receiver.ts';
import { createFerryServer, type FerryServer, type ServeOptions } from '../src/server/app.ts';
import { until } from './server-support.ts';

/**
 * Issue 13, holes 3, 4, 5, 6, 8, 9: login CSRF, tokens and password changes, one password policy and the
 * forced change of a generated password, private files, the public URL and trusted proxies, audit lines
 * and the CSP of /docs. Each test failed before its fix.
 */
const PASSWORD = 'hardening-password-1';
const dirs: string[] = [];
const servers: FerryServer[] = [];

async function start(o: Partial<ServeOptions> = {}): Promise<{ s: FerryServer; dir: string }> {
  const dir = o.dataDir ?? mkdtempSync(join(tmpdir(), 'ferry-hard-'));
  dirs.push(dir);
  const s = await createFerryServer({ dataDir: dir, adminPassword: PASSWORD, env: {}, defaultMetrics: false, schedules: false, alertsOff: true, ...o });
  servers.push(s);
  await s.createFirstUser(); // what listen() does; these tests drive the app with inject()
  return { s, dir };
}

async function login(s: FerryServer, username = 'admin', password = PASSWORD, headers: Record<string, string> = {}) {
  const r = await s.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, headers });
  return { status: r.statusCode, body: r.body, cookie: String(r.headers['set-cookie'] ?? '').split(';')[0]!, json: r.json() as Record<string, unknown> };
}

afterEach(async () => {
  for (const s of servers.splice(0)) await s.close().catch(() => undefined);
});
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('hole 3: login refuses a cross-origin Origin (login CSRF)', () => {
  it('refuses a login posted from another origin, accepts one from our own or without Origin', async () => {
    const { s } = await start();
    const cross = await login(s, 'admin', PASSWORD, { origin: 'http://evil.example', host: '127.0.0.1:8080' });
    expect(cross.status, cross.body).toBe(403);
    expect(cross.json.code).toBe('cross_origin');
    expect(cross.cookie).toBe('');
    expect((await login(s, 'admin', PASSWORD, { origin: 'http://127.0.0.1:8080', host: '127.0.0.1:8080' })).status).toBe(200);
    expect((await login(s)).status).toBe(200);
  });
});

describe('hole 4: API tokens end with the password; the default expiry is finite', () => {
  it('revokes a user\'s tokens when they change their password, and when an admin sets a new one', async () => {
    const { s } = await start();
    const admin = (await login(s)).cookie;
    const token = async (cookie: string) => (await s.app.inject({ method: 'POST', url: '/api/tokens', headers: { cookie }, payload: { name: 'ci' } })).json() as { token: string; view: { expiresAt: number | null; createdAt: number } };
    const works = async (t: string) => (await s.app.inject({ method: 'GET', url: '/api/schemes', headers: { authorization: `Bearer ${t}` } })).statusCode === 200;

    const mine = await token(admin);
    expect(await works(mine.token)).toBe(true);
    // No expiry asked for: 90 days, not never.
    expect(mine.view.expiresAt).toBe(mine.view.createdAt + 90 * 86_400_000);
    const changed = await s.app.inject({ method: 'POST', url: '/api/auth/password', headers: { cookie: admin }, payload: { current: PASSWORD, next: 'hardening-password-2' } });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(await works(mine.token)).toBe(false);

    const admin2 = String(changed.headers['set-cookie']).split(';')[0]!; // this session goes on with a fresh cookie
    const op = (await s.app.inject({ method: 'POST', url: '/api/users', headers: { cookie: admin2 }, payload: { username: 'olga', password: 'olga-password-1', role: 'operator' } })).json() as { id: string };
    const olga = (await login(s, 'olga', 'olga-password-1')).cookie;
    const hers = await token(olga);
    expect(await works(hers.token)).toBe(true);
    expect((await s.app.inject({ method: 'PATCH', url: `/api/users/${op.id}`, headers: { cookie: admin2 }, payload: { password: 'olga-password-2' } })).statusCode).toBe(200);
    expect(await works(hers.token)).toBe(false);
  });
});

describe('hole 5: one password policy; a generated password must be changed first', () => {
  it('refuses a short FERRY_ADMIN_PASSWORD (or adminPassword) on the first start, like the API does', async () => {
    await expect(start({ adminPassword: undefined, env: { FERRY_ADMIN_PASSWORD: 'abcde' } })).rejects.toThrow(/FERRY_ADMIN_PASSWORD.*at least 10 characters/);
    await expect(start({ adminPassword: 'short' })).rejects.toThrow(/at least 10 characters/);
    const { s } = await start();
    const admin = (await login(s)).cookie;
    const create = (password: string) => s.app.inject({ method: 'POST', url: '/api/users', headers: { cookie: admin }, payload: { username: 'long-user-name', password, role: 'viewer' } });
    expect((await create('abcde')).statusCode).toBe(400);
    const same = await create('long-user-name');
    expect(same.statusCode).toBe(400);
    expect(same.json()).toMatchObject({ code: 'password_policy' });
  });

  it('the first login with a generated password may do nothing but change it', async () => {
    const { s } = await start({ adminPassword: undefined });
    expect(s.initialAdmin?.generated).toBe(true);
    const first = await login(s, 'admin', s.initialAdmin!.password);
    expect(first.status).toBe(200);
    expect((first.json.user as { mustChangePassword: boolean }).mustChangePassword).toBe(true);
    const cookie = first.cookie;
    const me = await s.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } });
    expect(me.json()).toMatchObject({ user: { username: 'admin', mustChangePassword: true } });
    for (const [method, url] of [['GET', '/api/schemes'], ['GET', '/api/users'], ['POST', '/api/tokens'], ['GET', '/metrics']] as const) {
      const r = await s.app.inject({ method, url, headers: { cookie }, ...(method === 'POST' ? { payload: { name: 'x' } } : {}) });
      expect(r.statusCode, `${method} ${url}`).toBe(403);
      expect(r.json()).toMatchObject({ code: 'password_change_required' });
    }
    const same = await s.app.inject({ method: 'POST', url: '/api/auth/password', headers: { cookie }, payload: { current: s.initialAdmin!.password, next: s.initialAdmin!.password } });
    expect(same.statusCode).toBe(400);
    const changed = await s.app.inject({ method: 'POST', url: '/api/auth/password', headers: { cookie }, payload: { current: s.initialAdmin!.password, next: 'my-own-admin-password' } });
    expect(changed.statusCode, changed.body).toBe(200);
    const fresh = String(changed.headers['set-cookie']).split(';')[0]!;
    expect((await s.app.inject({ method: 'GET', url: '/api/schemes', headers: { cookie: fresh } })).statusCode).toBe(200);
    expect((await s.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: fresh } })).json()).toMatchObject({ user: { username: 'admin' } });
    expect(((await s.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: fresh } })).json() as { user: { mustChangePassword?: boolean } }).user.mustChangePassword).toBeUndefined();
    // The generated password no longer opens anything.
    expect((await login(s, 'admin', s.initialAdmin!.password)).status).toBe(401);
  });

  it('ferry admin reset-password / create-user: a generated password must be changed too, a chosen one not', async () => {
    const { s, dir } = await start();
    await resetPassword(dir, 'admin', 'generated-by-the-cli-1', false, true);
    const r = await login(s, 'admin', 'generated-by-the-cli-1');
    expect((r.json.user as { mustChangePassword: boolean }).mustChangePassword).toBe(true);
    expect((await s.app.inject({ method: 'GET', url: '/api/schemes', headers: { cookie: r.cookie } })).json()).toMatchObject({ code: 'password_change_required' });
    await resetPassword(dir, 'admin', 'chosen-on-the-cli-1');
    expect(((await login(s, 'admin', 'chosen-on-the-cli-1')).json.user as { mustChangePassword: boolean }).mustChangePassword).toBe(false);
    await createUser(dir, 'newbie', 'viewer', 'generated-for-newbie', true);
    expect(((await login(s, 'newbie', 'generated-for-newbie')).json.user as { mustChangePassword: boolean }).mustChangePassword).toBe(true);
  });

  it('a password given in FERRY_ADMIN_PASSWORD is the admin\'s own: no forced change', async () => {
    const { s } = await start({ adminPassword: undefined, env: { FERRY_ADMIN_PASSWORD: 'an-acceptable-password' } });
    const r = await login(s, 'admin', 'an-acceptable-password');
    expect((r.json.user as { mustChangePassword: boolean }).mustChangePassword).toBe(false);
    expect((await s.app.inject({ method: 'GET', url: '/api/schemes', headers: { cookie: r.cookie } })).statusCode).toBe(200);
  });
});

describe('hole 6: databases and logs are private to the server\'s user', () => {
  const mode = (f: string) => statSync(f).mode & 0o777;
  it('creates the data directory 0700 and the SQLite files (with -wal and -shm) and logs 0600', async () => {
    const { s, dir } = await start();
    await login(s);
    await login(s, 'admin', 'wrong-password'); // something in the log
    // While the server runs, SQLite keeps its -wal and -shm files beside the database.
    const dbFiles = readdirSync(dir).filter((f) => f.startsWith('ferry.sqlite'));
    expect(dbFiles).toEqual(expect.arrayContaining(['ferry.sqlite', 'ferry.sqlite-wal', 'ferry.sqlite-shm']));
    for (const f of dbFiles) expect(mode(join(dir, f)), f).toBe(0o600);
    await s.close();
    expect(mode(dir)).toBe(0o700);
    expect(mode(join(dir, 'logs'))).toBe(0o700);
    const logs = readdirSync(join(dir, 'logs'));
    expect(logs.length).toBeGreaterThan(0);
    for (const f of logs) expect(mode(join(dir, 'logs', f)), f).toBe(0o600);
  });

  it('tightens a data directory left world-readable by an older version', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ferry-hard-old-'));
    chmodSync(dir, 0o755);
    writeFileSync(join(dir, 'ferry.sqlite'), '', { mode: 0o644 });
    chmodSync(join(dir, 'ferry.sqlite'), 0o644);
    mkdirSync(join(dir, 'logs'), { mode: 0o755 });
    writeFileSync(join(dir, 'logs', 'server.log'), '', { mode: 0o644 });
    chmodSync(join(dir, 'logs', 'server.log'), 0o644);
    const { s } = await start({ dataDir: dir });
    await s.close();
    expect(mode(dir)).toBe(0o700);
    expect(mode(join(dir, 'ferry.sqlite'))).toBe(0o600);
    expect(mode(join(dir, 'logs', 'server.log'))).toBe(0o600);
  });
});

describe('hole 8: behind a reverse proxy (--public-url, --trust-proxy)', () => {
  // What nginx sends by default: Host rewritten to the upstream, the browser's host in X-Forwarded-Host.
  const proxied = { host: '127.0.0.1:8080', origin: 'https://ferry.example.com', 'x-forwarded-host': 'ferry.example.com', 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.7' };
  const change = (s: FerryServer, cookie: string, headers: Record<string, string>, remoteAddress = '127.0.0.1') =>
    s.app.inject({ method: 'POST', url: '/api/schemes/validate', headers: { cookie, ...headers }, payload: { text: '{}' }, remoteAddress });

  it('refuses the console\'s changes behind a proxy when nothing says where the console is', async () => {
    const { s } = await start();
    const cookie = (await login(s)).cookie;
    expect((await change(s, cookie, proxied)).statusCode).toBe(403);
  });

  it('believes X-Forwarded-Host from a trusted proxy only', async () => {
    const { s } = await start({ trustProxy: '127.0.0.1' });
    const cookie = (await login(s, 'admin', PASSWORD, proxied)).cookie;
    expect((await change(s, cookie, proxied)).statusCode).toBe(200);
    // The same headers from an address that is not the proxy are not believed.
    expect((await change(s, cookie, proxied, '10.1.2.3')).statusCode).toBe(403);
    // A forwarded host that is not the Origin is refused as before.
    expect((await change(s, cookie, { ...proxied, origin: 'https://evil.example' })).statusCode).toBe(403);
  });

  it('takes addresses, CIDRs and loopback as trusted proxies, and refuses "trust everyone"', async () => {
    await start({ trustProxy: '127.0.0.1, 10.0.0.0/8,::1,loopback' });
    for (const bad of ['true', '*', '10.0.0.0/99', 'proxy.example.com']) await expect(start({ trustProxy: bad }), bad).rejects.toThrow(/trusted proxy/);
  });

  it('accepts the --public-url\'s origin (also from FERRY_PUBLIC_URL), and refuses a bad one at start', async () => {
    const { s } = await start({ env: { FERRY_PUBLIC_URL: 'https://ferry.example.com/' } });
    const cookie = (await login(s, 'admin', PASSWORD, { host: '127.0.0.1:8080', origin: 'https://ferry.example.com' })).cookie;
    expect((await change(s, cookie, { host: '127.0.0.1:8080', origin: 'https://ferry.example.com' })).statusCode).toBe(200);
    expect((await change(s, cookie, { host: '127.0.0.1:8080', origin: 'http://ferry.example.com' })).statusCode).toBe(403);
    await expect(start({ publicUrl: 'ferry.example.com' })).rejects.toThrow(/not a URL/);
  });

  it('links alert messages to the console\'s run page under the public URL', async () => {
    const rx = await startWebhookReceiver();
    try {
      const { s } = await start({ alertsOff: false, publicUrl: 'https://ferry.example.com/ferry' });
      const cookie = (await login(s)).cookie;
      const ch = await s.app.inject({ method: 'POST', url: '/api/alerts/channels', headers: { cookie }, payload: { type: 'webhook', name: 'ops', config: { url: `${rx.url}/hook` } } });
      const rule = await s.app.inject({ method: 'POST', url: '/api/alerts/rules', headers: { cookie }, payload: { type: 'run_failed', name: 'failed', severity: 'critical', channels: [(ch.json() as { id: string }).id] } });
      expect(rule.statusCode, rule.body).toBe(201);
      const counts = { read: 1, skipped: 0, created: 0, updated: 0, rejected: 0, failed: 1, invalid: 0, pages: 1, apiCalls: 1, retries: 0 };
      s.context.alerts.onRunFinished?.({ runId: 'run-42', scheme: 'S', status: 'failed', reason: 'boom', counts, durationMs: 5 } as unknown as RunReport);
      const req = await until(async () => rx.requests[0]);
      expect((req.json as { alert: { link: string } }).alert.link).toBe('https://ferry.example.com/ferry/#/runs/run-42');
    } finally {
      await rx.close();
    }
  });
});

describe('hole 9: audit lines of logins; /docs has a CSP', () => {
  it('writes the user name tried and the client address for logins and failed logins', async () => {
    const { s, dir } = await start({ trustProxy: '127.0.0.1' });
    await s.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password: PASSWORD }, remoteAddress: '127.0.0.1', headers: { 'x-forwarded-for': '198.51.100.4' } });
    await s.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'mallory', password: 'guess-guess-1' }, remoteAddress: '192.0.2.9' });
    await s.close();
    // The server's log rotates (server.<date>.<n>.log): read every file of it.
    const text = readdirSync(join(dir, 'logs')).filter((f) => f.startsWith('server.')).map((f) => readFileSync(join(dir, 'logs', f), 'utf8')).join('\n');
    const lines = text.split('\n').filter((l) => l.includes('"audit":true')).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toContainEqual(expect.objectContaining({ event: 'login', tried: 'admin', from: '198.51.100.4', status: 200 }));
    expect(lines).toContainEqual(expect.objectContaining({ event: 'login.failed', tried: 'mallory', from: '192.0.2.9', status: 401 }));
    expect(JSON.stringify(lines)).not.toContain('guess-guess-1');
  });

  it('sends a CSP with the API page', async () => {
    const { s } = await start();
    const cookie = (await login(s)).cookie;
    const r = await s.app.inject({ method: 'GET', url: '/docs', headers: { cookie } });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-security-policy']).toMatch(/default-src 'none'/);
    expect(r.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    expect(existsSync(join(dirs.at(-1)!, 'ferry.sqlite'))).toBe(true);
  });
});
