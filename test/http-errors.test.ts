import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ApiCallEvent, PlatformContext, ReadSpec, WriteSpec } from '../src/core/contracts/platform.ts';
import { FerryFailure, type FerryError } from '../src/core/errors.ts';
import { startHttpEmulator, type HttpEmulator } from '../src/emulators/http/index.ts';
import { HttpConnection, httpProfile, type HttpConnectionInput } from '../src/platforms/http/index.ts';

/** Error table, Retry-After, no-progress guard, network failures and secrecy, against real local servers. */

const T0 = Date.parse('2026-11-02T08:00:00Z');
const signal = new AbortController().signal;
const events: ApiCallEvent[] = [];
const ctx = (now = () => T0, timeoutMs = 5000): PlatformContext => ({ connection: 'api', fetch, now, timeoutMs, onCall: (e) => events.push(e) });

const servers: Server[] = [];
async function serve(handler: (req: IncomingMessage, res: ServerResponse, n: number) => void): Promise<string> {
  let n = 0;
  const s = createServer((req, res) => {
    n += 1;
    const count = n;
    req.resume();
    req.on('end', () => handler(req, res, count));
  });
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
}
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

async function failure(p: Promise<unknown>): Promise<FerryError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof FerryFailure) return e.error;
    throw e;
  }
  throw new Error('expected a FerryFailure');
}

const read = (api: string, extra: Record<string, unknown>): ReadSpec => ({ api, method: 'GET', params: {}, pageSize: 10, extra });
const source = (c: HttpConnectionInput, x = ctx()) => httpProfile.openSource!(HttpConnection.parse(c), x);
const target = (c: HttpConnectionInput, x = ctx()) => httpProfile.openTarget!(HttpConnection.parse(c), x);

describe('no-progress guard', () => {
  it('stops when the server hands back the cursor it was given', async () => {
    const url = await serve((_req, res) => json(res, 200, { items: [{ id: 1 }, { id: 2 }], next: 'abc' }));
    const s = source({ baseUrl: url });
    const sp = read('/items', { recordsPath: 'items', paging: { type: 'cursor', nextPath: 'next' } });
    const p1 = await s.fetchPage(sp, s.first(sp), signal);
    expect(p1.next).toMatchObject({ token: 'abc' });
    const err = await failure(s.fetchPage(sp, p1.next!, signal));
    expect(err).toMatchObject({ kind: 'no_progress', action: 'fail_run' });
    expect(err.message).toContain('same cursor');
  });

  it('stops when a page-numbered server returns the same page of ids again', async () => {
    const url = await serve((_req, res) => json(res, 200, { data: [{ id: 1 }, { id: 2 }] }));
    const s = source({ baseUrl: url });
    const sp = { ...read('/items', { recordsPath: 'data', idPath: 'id', paging: { type: 'page', stopOn: 'empty' } }), pageSize: 2 };
    const p1 = await s.fetchPage(sp, s.first(sp), signal);
    const err = await failure(s.fetchPage(sp, JSON.parse(JSON.stringify(p1.next)), signal));
    expect(err).toMatchObject({ kind: 'no_progress', action: 'retry' }); // retried; the retry policy ends a persistent repeat
    expect(err.message).toContain('same records');
  });

  it('stops when a Link header points at the page just read', async () => {
    const url = await serve((req, res) => json(res, 200, [{ id: 1 }], { link: `<http://${req.headers.host}/items?page=2>; rel="next"` }));
    const s = source({ baseUrl: url });
    const sp = read('/items', { paging: { type: 'link' } });
    const p1 = await s.fetchPage(sp, s.first(sp), signal);
    expect(p1.next).toMatchObject({ url: expect.stringContaining('page=2') });
    expect((await failure(s.fetchPage(sp, p1.next!, signal))).kind).toBe('no_progress');
  });
});

describe('rate limits and Retry-After', () => {
  let emu: HttpEmulator;
  beforeAll(async () => {
    emu = await startHttpEmulator({ collections: { orders: 50 }, now: () => T0, faults: { rateLimitEvery: 1, retryAfterSeconds: 7 } });
  });
  afterAll(() => emu.close());
  const sp = read('/pages/orders', { recordsPath: 'data.items', paging: { type: 'page' } });

  for (const style of ['seconds', 'date', 'reset'] as const) {
    it(`429 with ${style} → retry_after with retryAfterMs 7000`, async () => {
      emu.setFaults({ retryAfterStyle: style });
      const s = source({ baseUrl: emu.url });
      const err = await failure(s.fetchPage(sp, s.first(sp), signal));
      expect(err).toMatchObject({ action: 'retry_after', kind: 'rate_limit', retryAfterMs: 7000, remote: { status: 429, code: 'RATE_LIMITED', detail: 'too many requests' } });
      expect(err.message).toContain('wait 7s');
    });
  }

  it('a 2xx body rule can also say retry_after, with the rule\'s delay', async () => {
    const url = await serve((_req, res) => json(res, 200, { code: 'E_LIMIT', msg: 'slow down' }));
    const s = source({ baseUrl: url, errors: [{ path: 'code', equals: 'E_LIMIT', action: 'retry_after', retryAfterMs: 60_000 }] });
    const spx = read('/x', { recordsPath: 'items' });
    expect(await failure(s.fetchPage(spx, s.first(spx), signal))).toMatchObject({ action: 'retry_after', retryAfterMs: 60_000, remote: { status: 200, code: 'E_LIMIT', detail: 'slow down' } });
  });
});

describe('the default error table', () => {
  it('5xx → retry (and a write may have been applied); 400 on a read → fail_run; 400 on a write → the record is rejected', async () => {
    const url = await serve((req, res) => (req.url?.startsWith('/boom') ? json(res, 502, { message: 'bad gateway' }) : json(res, 400, { error: { code: 'E_PARAM', message: 'bad status value' } })));
    const s = source({ baseUrl: url });
    expect(await failure(s.fetchPage(read('/boom', {}), {}, signal))).toMatchObject({ action: 'retry', remote: { status: 502, detail: 'bad gateway' } });
    expect(await failure(s.fetchPage(read('/bad', {}), {}, signal))).toMatchObject({ action: 'fail_run', remote: { status: 400, code: 'E_PARAM', detail: 'bad status value' } });
    const t = target({ baseUrl: url });
    const ws: WriteSpec = { api: '/boom', method: 'POST', params: {} };
    expect(await failure(t.write(ws, [{ key: 'k', payload: { name: 'a' } }], signal))).toMatchObject({ action: 'retry', maybeApplied: true });
    const out = await t.write({ ...ws, api: '/bad' }, [{ key: 'k', payload: { name: 'a' } }], signal);
    expect(out).toEqual([expect.objectContaining({ key: 'k', status: 'rejected', error: expect.objectContaining({ action: 'reject_record', remote: expect.objectContaining({ code: 'E_PARAM' }) }) })]);
  });

  it('connection refused → retry, and a write was certainly not applied', async () => {
    const url = await serve((_q, r) => json(r, 200, {}));
    const s = servers.pop()!;
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
    const err = await failure(target({ baseUrl: url }).write({ api: '/w', method: 'POST', params: {} }, [{ key: 'k', payload: {} }], signal));
    expect(err).toMatchObject({ kind: 'network', action: 'retry', remote: { code: 'ECONNREFUSED' } });
    expect(err.maybeApplied).toBeUndefined();
  });

  it('a write that times out may have been applied', async () => {
    const url = await serve(() => undefined); // never answers
    const err = await failure(target({ baseUrl: url }, ctx(() => T0, 300)).write({ api: '/w', method: 'POST', params: {} }, [{ key: 'k', payload: {} }], signal));
    expect(err).toMatchObject({ kind: 'timeout', action: 'retry', maybeApplied: true });
  });

  it('a redirect is not followed: the run stops and says to fix baseUrl', async () => {
    const url = await serve((_q, res) => json(res, 302, {}, { location: 'https://elsewhere.example/x' }));
    const err = await failure(source({ baseUrl: url }).fetchPage(read('/x', {}), {}, signal));
    expect(err).toMatchObject({ action: 'fail_run', remote: { status: 302 } });
    expect(err.message).toContain('baseUrl');
  });

  it('a wrong recordsPath stops the run and names the keys the response has', async () => {
    const url = await serve((_q, res) => json(res, 200, { result: { rows: [] } }));
    const err = await failure(source({ baseUrl: url }).fetchPage(read('/x', { recordsPath: 'data.items' }), {}, signal));
    expect(err).toMatchObject({ kind: 'bad_response', action: 'fail_run' });
    expect(err.message).toContain('result');
  });

  it('a 200 that is not JSON (a proxy page) is retried; a missing list can be read as empty when configured', async () => {
    const url = await serve((req, res) => {
      if (req.url?.startsWith('/html')) {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<html>login</html>');
      } else json(res, 200, { code: 0 });
    });
    const s = source({ baseUrl: url });
    const err = await failure(s.fetchPage(read('/html', { recordsPath: 'items' }), {}, signal));
    expect(err).toMatchObject({ kind: 'bad_response', action: 'retry' });
    expect(err.message).toContain('<html>login');
    const page = await s.fetchPage(read('/empty', { recordsPath: 'items', missingRecords: 'empty' }), {}, signal);
    expect(page).toMatchObject({ records: [], next: null });
  });

  it('invalid HTTP settings in the scheme stop the run with the path of the problem', async () => {
    const err = await failure(source({ baseUrl: 'http://127.0.0.1:9' }).fetchPage(read('/x', { paging: { type: 'page', sizeParm: 'n' }, window: { startParam: 's', zone: 'Mars/Base' } }), {}, signal));
    expect(err).toMatchObject({ kind: 'config', action: 'fail_run' });
    expect(err.message).toContain('source.extra.paging');
    expect(err.message).toContain('source.extra.window.zone');
  });

  it('an API path outside the connection\'s origin is refused before anything is sent', async () => {
    const err = await failure(source({ baseUrl: 'http://127.0.0.1:9' }).fetchPage(read('http://evil.example/steal', {}), {}, signal));
    expect(err).toMatchObject({ kind: 'config', action: 'fail_run' });
  });
});

describe('secrets never appear in errors or call events', () => {
  it('bearer tokens, API keys and basic passwords echoed by the server are redacted', async () => {
    // A careless server that echoes everything it received, including credentials, in its error.
    const url = await serve((req, res) => json(res, 401, { message: `denied for ${req.headers.authorization ?? ''} ${req.url ?? ''} ${req.headers['x-api-key'] ?? ''}` }));
    const secrets = { token: 'tok-SECRET-123456', key: 'key-SECRET-987654', password: 'pw-SECRET-555' };
    const conns: HttpConnectionInput[] = [
      { baseUrl: url, auth: { type: 'bearer', token: secrets.token } },
      { baseUrl: url, auth: { type: 'api_key', in: 'query', name: 'access_key', value: secrets.key } },
      { baseUrl: url, auth: { type: 'api_key', in: 'header', name: 'X-Api-Key', value: secrets.key } },
      { baseUrl: url, auth: { type: 'basic', username: 'me', password: secrets.password } },
    ];
    const before = events.length;
    for (const c of conns) {
      const err = await failure(source(c).fetchPage(read('/x', {}), {}, signal));
      expect(err).toMatchObject({ kind: 'auth', action: 'fail_run', remote: { status: 401 } });
      expect(err.message).toContain('***');
      const text = JSON.stringify(err);
      for (const v of Object.values(secrets)) expect(text).not.toContain(v);
      expect(text).not.toContain(Buffer.from(`me:${secrets.password}`).toString('base64'));
    }
    const evText = JSON.stringify(events.slice(before));
    expect(events.length - before).toBe(4);
    for (const v of Object.values(secrets)) expect(evText).not.toContain(v);
  });
});
