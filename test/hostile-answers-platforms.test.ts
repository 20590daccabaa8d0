import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PlatformContext, ReadSpec, SourceSession } from '../src/core/contracts/platform.ts';
import { DEFAULT_CREDENTIALS } from '../src/emulators/kingdee/index.ts';
import { HttpConnection, httpProfile } from '../src/platforms/http/index.ts';
import { kingdeeProfile } from '../src/platforms/kingdee/index.ts';
import { encodeGbk } from './support/hostile-wdt.ts';
import { failureOf } from './wdt-support.ts';

/**
 * Issue 12 for the Kingdee and HTTP exchange loops (the WDT one runs end to end in hostile-answers.test.ts):
 * the shared capped body read, charset decoding and the "more records than asked" check, over real HTTP.
 */

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void | Promise<void>;
let servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const s of servers) await s.close();
  servers = [];
});

async function serve(handler: Handler): Promise<string> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += String(c)));
    req.on('end', () => void Promise.resolve(handler(req, res, body)).catch(() => res.destroy()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push({
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Writes `chunk` until the client hangs up (with back-pressure); returns the bytes written. */
async function endless(res: ServerResponse, head: string, chunk: string): Promise<void> {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.write(head);
  while (!res.destroyed) {
    if (!res.write(chunk)) await new Promise((r) => { res.once('drain', r); res.once('close', r); });
  }
}

const ctx = (connection: string, timeoutMs = 10_000): PlatformContext => ({ connection, fetch, now: Date.now, timeoutMs });

function kingdeeSource(url: string, extra: Record<string, unknown> = {}): SourceSession {
  const c = DEFAULT_CREDENTIALS;
  const conn = kingdeeProfile.connectionSchema.parse({ mode: 'signed', baseUrl: `${url}/k3cloud/`, acctId: c.acctId, username: c.username, appId: c.appId, appSecret: c.appSecret, ...extra });
  return kingdeeProfile.openSource!(conn, ctx('erp'));
}
const kingdeeSpec: ReadSpec = { api: 'BD_Customer', method: 'POST', params: {}, pageSize: 100, extra: { FieldKeys: 'FNumber,FName' } };

function httpSource(url: string, extra: Record<string, unknown> = {}, timeoutMs?: number): SourceSession {
  return httpProfile.openSource!(HttpConnection.parse({ baseUrl: url, ...extra }), ctx('api', timeoutMs));
}
const httpSpec: ReadSpec = { api: '/v1/items', method: 'GET', params: {}, pageSize: 100, extra: { recordsPath: 'items', paging: { type: 'page' } } };

const rows = (n: number, from = 1) => Array.from({ length: n }, (_, i) => [`C${from + i}`, `客户${from + i}`]);
const items = (n: number) => Array.from({ length: n }, (_, i) => ({ id: i + 1, name: `商品${i + 1}` }));

describe('Kingdee answers', () => {
  it('an endless ExecuteBillQuery answer is cut at the cap, naming form, operation, rows and the setting', async () => {
    const url = await serve((_req, res) => endless(res, '[', `${JSON.stringify(rows(100))},`));
    const e = await failureOf(kingdeeSource(url, { maxResponseBytes: 2 * 1024 * 1024 }).fetchPage(kingdeeSpec, { startRow: 0 }, AbortSignal.timeout(20_000)));
    expect(e).toMatchObject({ kind: 'too_large', action: 'fail_run' });
    expect(e.message).toContain('Kingdee connection "erp": BD_Customer ExecuteBillQuery, batch rows from 1');
    expect(e.message).toContain('larger than the 2 MiB cap');
    expect(e.message).toContain('Raise "maxResponseBytes" of connection \'erp\'');
  });

  it('a page with more rows than Limit is refused', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(rows(150)));
    });
    const e = await failureOf(kingdeeSource(url).fetchPage(kingdeeSpec, { startRow: 0 }, AbortSignal.timeout(20_000)));
    expect(e.action).toBe('fail_run');
    expect(e.message).toContain('BD_Customer ExecuteBillQuery rows from 1: the answer holds 150 rows though Limit 100 was asked for');
  });

  it('a GB18030 answer that says so is decoded', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json; charset=gb18030' });
      res.end(encodeGbk(JSON.stringify(rows(2))));
    });
    const page = await kingdeeSource(url).fetchPage(kingdeeSpec, { startRow: 0 }, AbortSignal.timeout(20_000));
    expect(page.records).toEqual([{ FNumber: 'C1', FName: '客户1' }, { FNumber: 'C2', FName: '客户2' }]);
  });
});

describe('HTTP/JSON answers', () => {
  it('an endless answer is cut at the cap, naming method, path, page and the setting', async () => {
    const url = await serve((_req, res) => endless(res, '{"items":[', `${JSON.stringify(items(100)).slice(1, -1)},`));
    const e = await failureOf(httpSource(url).fetchPage(httpSpec, { page: 1, count: 0 }, AbortSignal.timeout(20_000)));
    expect(e).toMatchObject({ kind: 'too_large', action: 'fail_run' });
    expect(e.message).toContain('api: GET /v1/items page 1: the answer is larger than the 8 MiB cap');
    expect(e.message).toContain('pagination.pageSize');
  });

  it('a Content-Length over the cap is refused before the body is read', async () => {
    let written = 0;
    const url = await serve(async (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(50 * 1024 * 1024) });
      const block = 'x'.repeat(64 * 1024);
      while (!res.destroyed && written < 50 * 1024 * 1024) {
        written += block.length;
        if (!res.write(block)) await new Promise((r) => { res.once('drain', r); res.once('close', r); });
      }
    });
    const e = await failureOf(httpSource(url, { maxResponseBytes: 1024 * 1024 }).fetchPage(httpSpec, { page: 1, count: 0 }, AbortSignal.timeout(20_000)));
    expect(e.message).toContain('larger than the 1 MiB cap (its Content-Length is 50 MiB)');
    expect(written).toBeLessThan(20 * 1024 * 1024);
  });

  it('a page with more records than page_size is refused', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ items: items(200) }));
    });
    const e = await failureOf(httpSource(url).fetchPage(httpSpec, { page: 1, count: 0 }, AbortSignal.timeout(20_000)));
    expect(e.message).toContain('/v1/items page 1 holds 200 records though 100 were asked for');
  });

  it('a GBK answer that says so is decoded', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json;charset="GBK"' });
      res.end(encodeGbk(JSON.stringify({ items: items(2) })));
    });
    const page = await httpSource(url).fetchPage(httpSpec, { page: 1, count: 0 }, AbortSignal.timeout(20_000));
    expect(page.records).toEqual(items(2));
  });

  it('a timeout while the body trickles in says the answer was still arriving, not that there was none', async () => {
    const url = await serve(async (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"items":[');
      while (!res.destroyed) {
        res.write('{"id":1},');
        await new Promise((r) => setTimeout(r, 20));
      }
    });
    const e = await failureOf(httpSource(url, { timeoutMs: 300 }).fetchPage(httpSpec, { page: 1, count: 0 }, AbortSignal.timeout(20_000)));
    expect(e).toMatchObject({ kind: 'timeout', action: 'retry' });
    expect(e.message).toMatch(/api: GET \/v1\/items page 1: the answer was still arriving after 300 ms \(\d+ bytes received\)/);
  });
});
