import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlatformContext, ReadSpec } from '../src/core/contracts/platform.ts';
import { FerryFailure } from '../src/core/errors.ts';
import { HttpConnection, httpProfile, type HttpConnectionInput } from '../src/platforms/http/index.ts';

/**
 * TLS options against a local https server with a self-signed certificate made by openssl for this run.
 * Without openssl on the machine the tests are skipped (and say so).
 */

let hasOpenssl = true;
try {
  execFileSync('openssl', ['version'], { stdio: 'ignore' });
} catch {
  hasOpenssl = false;
}

let dir: string;
let server: Server;
let url: string;
let cert: string;
const signal = new AbortController().signal;
const ctx: PlatformContext = { connection: 'tls', fetch, now: Date.now, timeoutMs: 10_000 };
const spec: ReadSpec = { api: '/items', method: 'GET', params: {}, pageSize: 10, extra: { recordsPath: 'items' } };

beforeAll(async () => {
  if (!hasOpenssl) return;
  dir = mkdtempSync(join(tmpdir(), 'ferry-tls-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
  cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
  server = createServer({ key: readFileSync(join(dir, 'key.pem')), cert }, (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ items: [{ id: 1 }, { id: 2 }] }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  if (!hasOpenssl) return;
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  rmSync(dir, { recursive: true, force: true });
});

async function readOnce(c: HttpConnectionInput) {
  const s = httpProfile.openSource!(HttpConnection.parse(c), ctx);
  try {
    return await s.fetchPage(spec, s.first(spec), signal);
  } finally {
    await s.close?.();
  }
}

describe.skipIf(!hasOpenssl)('TLS options', () => {
  it('an untrusted certificate stops the run with a tls error that says what to do', async () => {
    const err = await readOnce({ baseUrl: url }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FerryFailure);
    expect((err as FerryFailure).error).toMatchObject({ kind: 'tls', action: 'fail_run' });
    expect((err as FerryFailure).error.message).toContain('tls.ca');
  });

  it('trusts the certificate given as tls.ca', async () => {
    expect((await readOnce({ baseUrl: url, tls: { ca: cert } })).records).toHaveLength(2);
  });

  it('accepts any certificate with rejectUnauthorized false', async () => {
    expect((await readOnce({ baseUrl: url, tls: { rejectUnauthorized: false } })).records).toHaveLength(2);
  });
});
