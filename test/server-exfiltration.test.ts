import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFerryServer, type FerryServer } from '../src/server/app.ts';
import { startAttacker, type Attacker } from './support/attacker.ts';

/**
 * Issue 13, hole 1: a stored secret is bound to where it is sent. An operator who edits a connection or an
 * alert channel, points it at their own server and keeps the secrets as "***", is refused with a clear
 * message — and pressing Test afterwards still goes to the stored destination. A real hostile server on
 * 127.0.0.1 records every connection: it must receive nothing, for every platform and every channel type.
 */
const PASSWORD = 'exfil-test-password-1';
const DEAD = 'http://127.0.0.1:9'; // the legitimate destination: nothing listens, calls fail fast
const SECRET = {
  qimen: 'QimenSecret-exfil-1a2b3c',
  openapi: 'OpenApiSecret-exfil-4d5e6f',
  kingdeeApp: 'KingdeeAppSecret-exfil-7g8h',
  kingdeePassword: 'KingdeePassword-exfil-9i0j',
  bearer: 'BearerToken-exfil-k1l2m3',
  header: 'HeaderKey-exfil-n4o5p6',
  clientSecret: 'ClientSecret-exfil-q7r8s9',
  dingSign: 'SECding-exfil-t1u2v3',
  feishuSign: 'feishu-exfil-w4x5y6',
  hmac: 'hmac-exfil-z7a8b9c0',
  smtp: 'SmtpPassword-exfil-d1e2',
};

describe('ferry serve: secrets are bound to their destination (no exfiltration by editing a URL)', () => {
  let s: FerryServer;
  let dir: string;
  let evil: Attacker;
  let cookie: string;
  const call = async (method: string, url: string, payload?: unknown) => {
    const r = await s.app.inject({ method: method as 'GET', url, headers: { cookie, 'content-type': 'application/json' }, ...(payload !== undefined ? { payload: JSON.stringify(payload) } : {}) });
    return { status: r.statusCode, body: r.body, json: (r.body ? r.json() : undefined) as Record<string, unknown> };
  };
  beforeAll(async () => {
    evil = await startAttacker();
    dir = mkdtempSync(join(tmpdir(), 'ferry-exfil-'));
    s = await createFerryServer({ dataDir: dir, adminPassword: PASSWORD, env: {}, defaultMetrics: false, schedules: false });
    await s.createFirstUser();
    const r = await s.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password: PASSWORD } });
    cookie = String(r.headers['set-cookie']).split(';')[0]!;
  });
  afterAll(async () => {
    await s?.close();
    await evil?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Each case: the stored connection, the edit that points it at the attacker (secrets kept as "***"), what changed. */
  const connections: { name: string; platform: string; config: Record<string, unknown>; edit: (c: Record<string, unknown>) => Record<string, unknown>; changed: string }[] = [
    {
      name: 'wdt-qimen',
      platform: 'wdt',
      config: { transport: 'qimen', baseUrl: `${DEAD}/router/qm`, sid: 'acme', appKey: 'app', appSecret: SECRET.qimen, targetAppKey: 'wdt' },
      edit: (c) => ({ ...c, baseUrl: `${evil.url}/router/qm` }),
      changed: 'baseUrl',
    },
    {
      name: 'wdt-openapi',
      platform: 'wdt',
      config: { transport: 'openapi', sid: 'acme', appkey: 'acme-key', appsecret: SECRET.openapi },
      // The stored one uses the default base URL (https://api.wangdian.cn/openapi2/): adding one is a change too.
      edit: (c) => ({ ...c, baseUrl: `${evil.url}/openapi2/` }),
      changed: 'baseUrl',
    },
    {
      name: 'kingdee-signed',
      platform: 'kingdee',
      config: { mode: 'signed', baseUrl: `${DEAD}/k3cloud/`, acctId: 'a1', username: 'u', appId: '1_x', appSecret: SECRET.kingdeeApp },
      edit: (c) => ({ ...c, baseUrl: `${evil.url}/k3cloud/` }),
      changed: 'baseUrl',
    },
    {
      name: 'kingdee-password',
      platform: 'kingdee',
      config: { mode: 'password', baseUrl: `${DEAD}/k3cloud/`, acctId: 'a1', username: 'u', password: SECRET.kingdeePassword },
      edit: (c) => ({ ...c, baseUrl: `${evil.url}/k3cloud/` }),
      changed: 'baseUrl',
    },
    {
      name: 'http-bearer',
      platform: 'http',
      config: { baseUrl: `${DEAD}/api`, headers: { 'X-Api-Key': SECRET.header, 'X-Tenant': 'acme' }, auth: { type: 'bearer', token: SECRET.bearer } },
      edit: (c) => ({ ...c, baseUrl: `${evil.url}/api` }),
      changed: 'baseUrl',
    },
    {
      name: 'http-oauth2',
      platform: 'http',
      config: { baseUrl: `${DEAD}/api`, auth: { type: 'oauth2_client_credentials', tokenUrl: `${DEAD}/oauth/token`, clientId: 'ferry', clientSecret: SECRET.clientSecret } },
      // Only the token URL moves: the client secret would go to the attacker's token endpoint.
      edit: (c) => ({ ...c, auth: { ...(c.auth as object), tokenUrl: `${evil.url}/oauth/token` } }),
      changed: 'auth.tokenUrl',
    },
    {
      name: 'http-tls',
      platform: 'http',
      config: { baseUrl: 'https://127.0.0.1:9/api', auth: { type: 'bearer', token: SECRET.bearer } },
      // Same host, but certificate checks off: whoever answers for the host gets the token.
      edit: (c) => ({ ...c, tls: { rejectUnauthorized: false } }),
      changed: 'tls',
    },
  ];

  it('refuses a connection edit that moves a kept secret to another destination, for every platform; Test still goes to the stored one', async () => {
    for (const k of connections) {
      const created = await call('PUT', `/api/connections/${k.name}`, { platform: k.platform, config: k.config });
      expect(created.status, `${k.name}: ${created.body}`).toBe(200);
      const masked = (await call('GET', `/api/connections/${k.name}`)).json.config as Record<string, unknown>;
      expect(JSON.stringify(masked), k.name).toContain('***');
      const refused = await call('PUT', `/api/connections/${k.name}`, { platform: k.platform, config: k.edit(masked) });
      expect(refused.status, `${k.name}: ${refused.body}`).toBe(400);
      expect(refused.json.code).toBe('secrets_must_be_reentered');
      expect(String(refused.json.error)).toContain(k.changed);
      expect(String(refused.json.error)).toMatch(/enter (it|them) again/);
      // The stored connection did not change: Test goes to the stored (dead) address and fails there.
      const tested = await call('POST', `/api/connections/${k.name}/test`, k.platform === 'http' ? { api: '/orders' } : {});
      expect(tested.status, tested.body).toBe(200);
      expect(tested.json.ok, `${k.name}: ${tested.body}`).toBe(false);
    }
    expect(evil.connections).toBe(0);
    expect(evil.received).toEqual([]);
  });

  it('accepts the move once the secrets are entered again, and keeps them through edits that do not move them', async () => {
    // Keeping the secret while changing something that is not a destination is fine.
    const kept = await call('PUT', '/api/connections/http-bearer', { platform: 'http', config: { baseUrl: `${DEAD}/api`, headers: { 'X-Api-Key': '***', 'X-Tenant': 'acme2' }, auth: { type: 'bearer', token: '***' } } });
    expect(kept.status, kept.body).toBe(200);
    // A moved connection with its secrets typed again (the user knows them) is accepted.
    const moved = await call('PUT', '/api/connections/kingdee-signed', { platform: 'kingdee', config: { mode: 'signed', baseUrl: `${DEAD}/other/k3cloud/`, acctId: 'a1', username: 'u', appId: '1_x', appSecret: 'a-new-secret-typed-again' } });
    expect(moved.status, moved.body).toBe(200);
  });

  /** Channels: stored config (legitimate, dead address), the hostile edit with secrets kept, the field that moved. */
  const channels: { type: string; config: Record<string, unknown>; edit: (c: Record<string, unknown>) => Record<string, unknown>; changed: string }[] = [
    {
      type: 'dingtalk',
      config: { webhookUrl: `${DEAD}/robot/send?access_token=ding-token`, secret: SECRET.dingSign },
      edit: (c) => ({ ...c, webhookUrl: `${evil.url}/robot/send?access_token=x` }),
      changed: 'webhookUrl',
    },
    {
      type: 'feishu',
      config: { webhookUrl: `${DEAD}/open-apis/bot/v2/hook/feishu-hook`, secret: SECRET.feishuSign },
      edit: (c) => ({ ...c, webhookUrl: `${evil.url}/open-apis/bot/v2/hook/x` }),
      changed: 'webhookUrl',
    },
    {
      type: 'webhook',
      config: { url: `${DEAD}/hooks/ferry`, headers: { Authorization: `Bearer ${SECRET.bearer}` }, hmacSecret: SECRET.hmac },
      edit: (c) => ({ ...c, url: `${evil.url}/hooks/ferry` }),
      changed: 'url',
    },
    {
      type: 'webhook',
      config: { url: `${DEAD}/hooks/ferry`, headers: { Authorization: `Bearer ${SECRET.bearer}` } },
      // Headers left out entirely are kept too: still refused.
      edit: (c) => ({ url: `${evil.url}/hooks/ferry`, signatureHeader: c.signatureHeader }),
      changed: 'url',
    },
    {
      type: 'email',
      config: { host: '127.0.0.1', port: 9, username: 'ferry', password: SECRET.smtp, from: 'ferry@example.com', to: ['ops@example.com'] },
      edit: (c) => ({ ...c, port: evil.port }),
      changed: 'port',
    },
    {
      type: 'email',
      config: { host: 'localhost', port: 9, username: 'ferry', password: SECRET.smtp, from: 'ferry@example.com', to: ['ops@example.com'] },
      edit: (c) => ({ ...c, host: evil.host, port: evil.port }),
      changed: 'host',
    },
  ];

  it('refuses a channel edit that moves a kept secret, for every channel type; the test-send still goes to the stored channel', async () => {
    for (const ch of channels) {
      const created = await call('POST', '/api/alerts/channels', { type: ch.type, name: `${ch.type}-ops`, config: ch.config });
      expect(created.status, created.body).toBe(201);
      const id = String(created.json.id);
      const view = (await call('GET', `/api/alerts/channels/${id}`)).json.config as Record<string, unknown>;
      const refused = await call('PUT', `/api/alerts/channels/${id}`, { type: ch.type, name: `${ch.type}-ops`, config: ch.edit(view) });
      expect(refused.status, `${ch.type}: ${refused.body}`).toBe(400);
      expect(refused.json.code).toBe('secrets_must_be_reentered');
      expect(String(refused.json.error)).toContain(ch.changed);
      const sent = await call('POST', `/api/alerts/channels/${id}/test`, {});
      expect(sent.status, sent.body).toBe(200);
      expect(sent.json.ok, `${ch.type}: ${sent.body}`).toBe(false);
    }
    expect(evil.connections).toBe(0);
    expect(evil.received).toEqual([]);
  });

  it('WeCom: the robot URL is the secret itself, so a kept one cannot move and a new one carries no stored secret', async () => {
    const created = await call('POST', '/api/alerts/channels', { type: 'wecom', name: 'wecom-ops', config: { webhookUrl: `${DEAD}/cgi-bin/webhook/send?key=wecom-key-exfil` } });
    const id = String(created.json.id);
    const edited = await call('PUT', `/api/alerts/channels/${id}`, { type: 'wecom', name: 'wecom-ops', config: { webhookUrl: '***', format: 'text' } });
    expect(edited.status, edited.body).toBe(200);
    expect((await call('POST', `/api/alerts/channels/${id}/test`, {})).json.ok).toBe(false); // still the dead address
    expect(evil.connections).toBe(0);
  });

  it('refuses a test-send of an unsaved channel that still holds the mask, for every channel type', async () => {
    const unsaved = [
      { type: 'wecom', config: { webhookUrl: '***' } },
      { type: 'dingtalk', config: { webhookUrl: `${evil.url}/robot/send?access_token=x`, secret: '***' } },
      { type: 'feishu', config: { webhookUrl: `${evil.url}/open-apis/bot/v2/hook/x`, secret: '***' } },
      { type: 'webhook', config: { url: `${evil.url}/hooks`, headers: '***' } },
      { type: 'webhook', config: { url: `${evil.url}/hooks`, headers: { Authorization: '***' } } },
      { type: 'email', config: { host: evil.host, port: evil.port, username: 'ferry', password: '***', from: 'ferry@example.com', to: ['ops@example.com'] } },
    ];
    for (const u of unsaved) {
      const r = await call('POST', '/api/alerts/channels/test', { ...u, name: 'unsaved' });
      expect(r.status, `${u.type}: ${r.body}`).toBe(400);
      expect(r.json.code, `${u.type}: ${r.body}`).toBe('secrets_must_be_reentered');
    }
    expect(evil.connections).toBe(0);
    const leaked = Object.values(SECRET).filter((x) => evil.text().includes(x));
    expect(leaked).toEqual([]);
  });
});
