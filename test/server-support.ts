import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startKingdeeEmulator, type KingdeeEmulator } from '../src/emulators/kingdee/index.ts';
import { startWdtEmulator, type WdtEmulator, type WdtEmulatorOptions } from '../src/emulators/wdt/index.ts';
import { createFerryServer, type FerryServer, type ServeOptions } from '../src/server/app.ts';

/** Distinctive secrets: the no-secret test greps every output for them. */
export const SECRETS = {
  wdtQimen: 'WdtQimenSecret-9q8w7e6r5t',
  kingdeeApp: 'c0ffee5ec7e7ab1e5ec7e7c0ffee5ec7',
  admin: 'admin-Passw0rd-for-tests',
};

export interface ServerWorld {
  dir: string;
  server: FerryServer;
  url: string;
  wdt: WdtEmulator;
  kingdee: KingdeeEmulator;
  /** Connection configs for the two emulators, as the console would enter them. */
  connections: { wdt: Record<string, unknown>; kingdee: Record<string, unknown> };
  close(): Promise<void>;
}

/**
 * A server on an ephemeral port with a fresh data directory, and both emulators: WDT with `shops` shops
 * whose remark cycles through `orgNumbers`, Kingdee knowing orgs 100 and 101 — so a remark of 999 is a
 * bad organisation that Kingdee rejects.
 */
export async function startServerWorld(o: { shops?: number; orgNumbers?: string[]; server?: Partial<ServeOptions>; wdt?: Partial<WdtEmulatorOptions> } = {}): Promise<ServerWorld> {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-serve-'));
  const wdt = await startWdtEmulator({
    shops: o.shops ?? 20,
    seed: 'ferry-serve-test',
    orgNumbers: o.orgNumbers ?? ['100', '999'],
    qimenApps: [{ appKey: 'ferry-test-app', appSecret: SECRETS.wdtQimen }],
    ...o.wdt,
  });
  const kingdee = await startKingdeeEmulator({ orgs: ['100', '101'], apps: [{ appId: '100001_AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcY', appSecret: SECRETS.kingdeeApp }] });
  const a = wdt.accounts[0]!;
  const server = await createFerryServer({ dataDir: dir, port: 0, adminPassword: SECRETS.admin, env: {}, defaultMetrics: false, ...o.server });
  const url = await server.listen();
  return {
    dir,
    server,
    url,
    wdt,
    kingdee,
    connections: {
      wdt: { transport: 'qimen', baseUrl: wdt.qimenUrl, sid: a.sid, appKey: 'ferry-test-app', appSecret: SECRETS.wdtQimen, targetAppKey: wdt.targetAppKey, signMethod: 'md5' },
      kingdee: { mode: 'signed', baseUrl: kingdee.url, acctId: kingdee.credentials.acctId, username: kingdee.credentials.username, appId: kingdee.credentials.appId, appSecret: SECRETS.kingdeeApp },
    },
    async close() {
      await server.close();
      await wdt.close();
      await kingdee.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A tiny API client with the session cookie of a login. */
export async function apiClient(url: string, username = 'admin', password = SECRETS.admin) {
  const login = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (login.status !== 200) throw new Error(`login failed: ${login.status} ${await login.text()}`);
  const cookie = String(login.headers.get('set-cookie')).split(';')[0]!;
  const call = async (method: string, path: string, body?: unknown) => {
    const r = await fetch(`${url}${path}`, { method, headers: { cookie, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    const text = await r.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    // Tests read answers loosely; the shapes are asserted with expect().
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return { status: r.status, text, json: json as any };
  };
  return { cookie, call, get: (p: string) => call('GET', p), post: (p: string, b: unknown = {}) => call('POST', p, b), put: (p: string, b: unknown) => call('PUT', p, b) };
}

/** Polls until `check` returns a value (no timed assertion: the test's own timeout bounds it). */
export async function until<T>(check: () => Promise<T | undefined>, everyMs = 100): Promise<T> {
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
