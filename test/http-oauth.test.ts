import { afterEach, describe, expect, it } from 'vitest';
import type { ApiCallEvent, PlatformContext, ReadSpec, WriteSpec } from '../src/core/contracts/platform.ts';
import { FerryFailure } from '../src/core/errors.ts';
import { startHttpEmulator, type HttpEmulator } from '../src/emulators/http/index.ts';
import { HttpConnection, httpProfile } from '../src/platforms/http/index.ts';

/** OAuth2 client credentials: one token for many calls, refresh after expiry (fake clock) and after a 401. */

const SECRET = 'client-secret-XYZ-0001';
let emu: HttpEmulator;
let now = Date.parse('2026-11-02T08:00:00Z');
const clock = () => now;
const events: ApiCallEvent[] = [];
const ctx: PlatformContext = { connection: 'oauth-api', fetch, now: clock, timeoutMs: 10_000, onCall: (e) => events.push(e) };
const signal = new AbortController().signal;
const spec: ReadSpec = { api: '/pages/orders', method: 'GET', params: {}, pageSize: 10, extra: { recordsPath: 'data.items', paging: { type: 'page', totalPath: 'data.total' } } };

async function start(): Promise<void> {
  emu = await startHttpEmulator({ collections: { orders: 100, customers: 0 }, now: clock, auth: { type: 'oauth2', clientId: 'ferry', clientSecret: SECRET, ttlSeconds: 600 } });
}
afterEach(() => emu.close());

const conn = (extra: Record<string, unknown> = {}) =>
  HttpConnection.parse({ baseUrl: emu.url, auth: { type: 'oauth2_client_credentials', tokenUrl: '/oauth/token', clientId: 'ferry', clientSecret: SECRET, ...extra } });

async function readPages(c: HttpConnection, n: number): Promise<void> {
  const s = httpProfile.openSource!(c, ctx);
  let cursor = s.first(spec);
  for (let i = 0; i < n; i++) cursor = (await s.fetchPage(spec, cursor, signal)).next!;
}

describe('OAuth2 client credentials', () => {
  it('fetches the token once for many calls, shares it between source and target, and refreshes it after expiry', async () => {
    await start();
    const c = conn();
    await readPages(c, 5);
    expect(emu.stats().tokensIssued).toBe(1);
    const w: WriteSpec = { api: '/batch/customers', method: 'POST', params: {}, operation: { rowsKey: 'rows' }, extra: { results: { path: 'results', successPath: 'ok', idPath: 'id' } } };
    const out = await httpProfile.openTarget!(c, ctx).write(w, [{ key: 'a', payload: { number: 'A', name: 'A' } }], signal);
    expect(out[0]).toMatchObject({ status: 'saved' });
    expect(emu.stats().tokensIssued).toBe(1);

    now += 601_000; // past the 600 s lifetime: the profile refreshes before calling, no 401 needed
    await readPages(c, 3);
    expect(emu.stats()).toMatchObject({ tokensIssued: 2, unauthorized: 0 });
    expect(emu.stats().byRoute['GET /pages/orders']).toBe(8);
  });

  it('refreshes once after a 401 (token revoked early) and the call succeeds', async () => {
    await start();
    const c = conn({ clientAuth: 'basic' });
    await readPages(c, 1);
    emu.revokeTokens();
    await readPages(c, 2);
    expect(emu.stats()).toMatchObject({ tokensIssued: 2, unauthorized: 1 });
  });

  it('a 401 after a fresh token stops the run instead of looping', async () => {
    await start();
    // The server revokes every token right after issuing it: it never accepts ours.
    const revoking: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      if (String(input).includes('/oauth/token')) emu.revokeTokens();
      return res;
    };
    const s = httpProfile.openSource!(conn(), { ...ctx, fetch: revoking });
    const err = await s.fetchPage(spec, s.first(spec), signal).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FerryFailure);
    expect((err as FerryFailure).error).toMatchObject({ kind: 'auth', action: 'fail_run', remote: { status: 401 } });
    expect(emu.stats()).toMatchObject({ tokensIssued: 2, unauthorized: 2 });
    expect(emu.stats().byRoute['GET /pages/orders']).toBe(2);
  });

  it('a wrong client secret stops the run with an auth error that does not contain the secret', async () => {
    await start();
    const before = events.length;
    const c = HttpConnection.parse({ baseUrl: emu.url, auth: { type: 'oauth2_client_credentials', tokenUrl: `${emu.url}/oauth/token`, clientId: 'ferry', clientSecret: 'wrong-secret-999' } });
    const err = await readPages(c, 1).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FerryFailure);
    const e = (err as FerryFailure).error;
    expect(e).toMatchObject({ kind: 'auth', action: 'fail_run', remote: { status: 401, detail: 'client authentication failed' } });
    expect(e.message).toContain('clientSecret');
    expect(JSON.stringify(e)).not.toContain('wrong-secret-999');
    const mine = events.slice(before);
    expect(mine.map((x) => x.api)).toEqual(['oauth2.token']);
    expect(JSON.stringify(mine)).not.toContain('wrong-secret-999');
  });

  it('access tokens never appear in call events or errors', async () => {
    await start();
    const seen: string[] = [];
    const spy: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      if (String(input).includes('/oauth/token')) {
        const body = (await res.clone().json()) as { access_token: string };
        seen.push(body.access_token);
      }
      return res;
    };
    const before = events.length;
    const s = httpProfile.openSource!(conn(), { ...ctx, fetch: spy });
    const err = await s.fetchPage({ ...spec, api: '/pages/nope' }, s.first(spec), signal).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FerryFailure);
    expect((err as FerryFailure).error.remote?.status).toBe(404);
    expect(JSON.stringify((err as FerryFailure).error)).not.toContain(seen[0]);
    expect(seen).toHaveLength(1);
    expect(events.length - before).toBe(2);
    expect(JSON.stringify(events.slice(before))).not.toContain(seen[0]!);
  });
});
