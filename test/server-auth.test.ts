import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFerryServer, type FerryServer } from '../src/server/app.ts';

/**
 * Every route fastify knows refuses a request without a valid session or token (except the login page and
 * its assets, the login call and the health probes), and every body-taking route answers malformed input
 * with a 4xx and a reason — never a 500.
 */
const PASSWORD = 'auth-test-password-1';
const PUBLIC = [/^\/$/, /^\/assets\//, /^\/vendor\//, /^\/healthz$/, /^\/readyz$/, /^\/health\/(live|ready)$/, /^\/api\/auth\/login$/];

const fill = (url: string) => url.replace(/:([A-Za-z_]\w*)/g, 'x').replace(/\*/g, 'x');

describe('ferry serve: authentication and input validation on every route', () => {
  let s: FerryServer;
  let dir: string;
  let admin: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ferry-auth-'));
    s = await createFerryServer({ dataDir: dir, adminPassword: PASSWORD, env: {}, defaultMetrics: false });
    await s.createFirstUser();
    const r = await s.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password: PASSWORD } });
    admin = String(r.headers['set-cookie']).split(';')[0]!;
  });
  afterAll(async () => {
    await s?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('knows its routes, and exactly the expected ones are public', () => {
    expect(s.routes.length).toBeGreaterThan(60);
    const pub = s.routes.filter((r) => r.access === 'public');
    for (const r of pub) expect(PUBLIC.some((re) => re.test(r.url)), `${r.method} ${r.url} is public`).toBe(true);
    expect(pub.some((r) => r.url === '/api/auth/login' && r.method === 'POST')).toBe(true);
    // Everything else asks for a role.
    for (const r of s.routes.filter((x) => x.access !== 'public')) expect(['viewer', 'operator', 'admin'], `${r.method} ${r.url}`).toContain(r.access);
  });

  it('refuses every non-public route without credentials, with a bad token and with a stale cookie', async () => {
    const guarded = s.routes.filter((r) => r.access !== 'public');
    const creds: Record<string, string>[] = [{}, { authorization: 'Bearer fry_not-a-real-token' }, { authorization: 'Basic YWRtaW46eA==' }, { cookie: 'ferry_session=forged' }];
    let checked = 0;
    for (const r of guarded)
      for (const headers of creds) {
        const res = await s.app.inject({ method: r.method as 'GET', url: fill(r.url), headers: { ...headers, 'content-type': 'application/json' }, payload: r.method === 'GET' || r.method === 'HEAD' ? undefined : '{}' });
        expect(res.statusCode, `${r.method} ${r.url} with ${JSON.stringify(headers)}`).toBe(401);
        checked++;
      }
    expect(checked).toBe(guarded.length * creds.length);
    // Unknown paths too: nothing is reachable without a login.
    expect((await s.app.inject({ method: 'GET', url: '/api/does-not-exist' })).statusCode).toBe(401);
  });

  it('lets the public routes through without credentials', async () => {
    for (const url of ['/', '/healthz', '/readyz', '/health/live', '/health/ready', '/vendor/preact.mjs', '/assets/app.js']) expect((await s.app.inject({ method: 'GET', url })).statusCode, url).toBe(200);
    const page = await s.app.inject({ method: 'GET', url: '/' });
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self' 'sha256-/);
  });

  it('accepts API tokens until they are revoked, and keeps viewers read-only', async () => {
    const created = await s.app.inject({ method: 'POST', url: '/api/tokens', headers: { cookie: admin }, payload: { name: 'ci' } });
    const { token, view } = created.json() as { token: string; view: { id: string } };
    expect(token).toMatch(/^fry_/);
    const bearer = { authorization: `Bearer ${token}` };
    expect((await s.app.inject({ method: 'GET', url: '/api/schemes', headers: bearer })).statusCode).toBe(200);
    expect((await s.app.inject({ method: 'GET', url: '/metrics', headers: bearer })).statusCode).toBe(200);
    const listed = await s.app.inject({ method: 'GET', url: '/api/tokens', headers: bearer });
    expect(listed.body).not.toContain(token);
    expect((await s.app.inject({ method: 'DELETE', url: `/api/tokens/${view.id}`, headers: { cookie: admin } })).statusCode).toBe(204);
    expect((await s.app.inject({ method: 'GET', url: '/api/schemes', headers: bearer })).statusCode).toBe(401);

    expect((await s.app.inject({ method: 'POST', url: '/api/users', headers: { cookie: admin }, payload: { username: 'vera', password: 'viewer-password-1', role: 'viewer' } })).statusCode).toBe(200);
    const v = await s.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'vera', password: 'viewer-password-1' } });
    const viewer = String(v.headers['set-cookie']).split(';')[0]!;
    expect((await s.app.inject({ method: 'GET', url: '/api/schemes', headers: { cookie: viewer } })).statusCode).toBe(200);
    expect((await s.app.inject({ method: 'POST', url: '/api/schemes', headers: { cookie: viewer }, payload: { text: '{}' } })).statusCode).toBe(403);
    expect((await s.app.inject({ method: 'GET', url: '/api/users', headers: { cookie: viewer } })).statusCode).toBe(403);
    // A cookie-authenticated change from another origin is refused.
    expect((await s.app.inject({ method: 'POST', url: '/api/schemes/validate', headers: { cookie: admin, origin: 'http://evil.example' }, payload: { text: '{}' } })).statusCode).toBe(403);
    const out = await s.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: viewer } });
    expect(out.statusCode).toBe(200);
    expect((await s.app.inject({ method: 'GET', url: '/api/schemes', headers: { cookie: viewer } })).statusCode).toBe(401);
  });

  it('throttles password guessing', async () => {
    let last = 0;
    for (let i = 0; i < 6; i++) last = (await s.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password: `guess-${i}` }, remoteAddress: '10.9.9.9' })).statusCode;
    expect(last).toBe(429);
  });

  it('answers malformed bodies on every body-taking route with a 4xx and a reason', async () => {
    const mutating = s.routes.filter((r) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method) && r.access !== 'public');
    const bodies: [string, string][] = [
      ['{"unterminated": ', 'broken JSON'],
      ['[1, 2, 3]', 'an array'],
      ['"text"', 'a string'],
      ['{"__unknown_key__": {"deep": [1]}, "text": 42, "platform": 7, "config": "x", "data": 1, "ids": "x", "enabled": "yes", "name": 9, "username": [], "password": 1, "current": 1, "next": 2}', 'wrong types'],
    ];
    let checked = 0;
    for (const r of mutating) {
      for (const [payload, what] of bodies) {
        const res = await s.app.inject({ method: r.method as 'POST', url: fill(r.url), headers: { cookie: admin, 'content-type': 'application/json' }, payload });
        const alertStub = r.url.startsWith('/api/alerts/') && res.statusCode === 501;
        if (r.method === 'DELETE' && res.statusCode < 500) continue; // DELETE takes no body: 4xx (not found) is the answer
        expect(alertStub || (res.statusCode >= 400 && res.statusCode < 500), `${r.method} ${r.url} with ${what} → ${res.statusCode} ${res.body}`).toBe(true);
        if (!alertStub) expect(String((res.json() as { error?: string }).error ?? '').length, `${r.method} ${r.url} gives a reason`).toBeGreaterThan(0);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(40);
    const wrongType = await s.app.inject({ method: 'POST', url: '/api/schemes', headers: { cookie: admin }, payload: { text: 42 } });
    expect(wrongType.json()).toMatchObject({ error: expect.stringContaining('body.text') });
  });

  it('answers malformed query strings with a 4xx', async () => {
    // The body test above also logged the admin out (POST /api/auth/logout): log in again.
    const r = await s.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password: PASSWORD } });
    admin = String(r.headers['set-cookie']).split(';')[0]!;
    for (const url of ['/api/runs?limit=abc', '/api/runs?limit=-1', '/api/records', '/api/records?scheme=x&status=bogus', '/api/logs/calls?ok=maybe', '/api/dashboard?hours=0', '/api/runs?unknown=1']) {
      const res = await s.app.inject({ method: 'GET', url, headers: { cookie: admin } });
      expect(res.statusCode, url).toBe(400);
    }
  });
});
