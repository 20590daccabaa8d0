import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AuthGate, type EmulatorAuth } from './auth.ts';
import { readPage, type Params } from './reads.ts';
import { Collection, generate, type Row } from './store.ts';
import { batchWrite, findRecords, singleWrite, type RejectHook, type WriteReply } from './writes.ts';

/**
 * A small JSON API to rehearse and test HTTP schemes against: seeded collections, every paging style
 * (see reads.ts), batch and single writes with per-row rejects (see writes.ts), auth (see auth.ts) and
 * fault injection, and writes de-duplicated by an `Idempotency-Key` header (the first answer is replayed).
 * Control endpoints (never counted, never faulted, no auth):
 *   GET /__control/stats   call counts      GET /__control/store[?collection=c]   the data
 *   POST /__control/faults {…Faults}        POST /__control/revoke-tokens         POST /__control/reset-stats
 */

export interface Faults {
  /** Every Nth API call answers 429 with a retry hint. */
  rateLimitEvery?: number;
  retryAfterSeconds?: number;
  /** How the hint is sent: `Retry-After: <seconds>` (default), `Retry-After: <HTTP-date>`, or `X-RateLimit-Reset: <epoch s>`. */
  retryAfterStyle?: 'seconds' | 'date' | 'reset';
  /** Every Nth API call answers 5xx (`failStatus`, default 503). */
  failEvery?: number;
  failStatus?: number;
  /** Every Nth write is applied, then the connection is dropped without an answer. */
  dropEvery?: number;
  /** Delay before each API answer. */
  latencyMs?: number;
  /**
   * Batch writes are applied in full, then the results of the rows whose index % N is N − 1 are left out of
   * the answer (a batch answer that says nothing about some rows).
   */
  omitResultEvery?: number;
}

export interface HttpEmulatorOptions {
  host?: string;
  /** 0 (default) = an ephemeral port. */
  port?: number;
  /** Collections and their seed: a record count (generated) or the records. Default {orders: 1000, customers: 0}. */
  collections?: Record<string, number | Row[]>;
  /** Largest page served, whatever is asked (default 1000). */
  maxPageSize?: number;
  auth?: EmulatorAuth;
  faults?: Faults;
  /** Fields a written row must have (not empty). Default ['name']. */
  requiredFields?: string[];
  reject?: RejectHook;
  /** Field that identifies a record for upserts (default `number`). */
  uniqueField?: string;
  /** Zone of `yyyy-MM-dd HH:mm:ss` parameters, minutes east of UTC (default 480, Beijing). */
  zoneOffsetMinutes?: number;
  /** Clock for token expiry and Retry-After dates (default Date.now). */
  now?: () => number;
  /** updated_at of the first generated record (default 2026-11-01T00:00:00Z). */
  seedStart?: number;
}

export interface EmulatorStats {
  calls: number;
  byRoute: Record<string, number>;
  rateLimited: number;
  failed: number;
  dropped: number;
  tokensIssued: number;
  unauthorized: number;
  rowsSaved: number;
  rowsRejected: number;
  /** Writes answered from the idempotency store (same `Idempotency-Key` as an earlier write): not applied again. */
  idempotentReplays: number;
}

export interface HttpEmulator {
  url: string;
  port: number;
  stats(): EmulatorStats;
  /** The records of a collection (live view). */
  records(collection: string): readonly Row[];
  setFaults(f: Faults): void;
  revokeTokens(): void;
  close(): Promise<void>;
}

const emptyStats = (): EmulatorStats => ({ calls: 0, byRoute: {}, rateLimited: 0, failed: 0, dropped: 0, tokensIssued: 0, unauthorized: 0, rowsSaved: 0, rowsRejected: 0, idempotentReplays: 0 });

export async function startHttpEmulator(opts: HttpEmulatorOptions = {}): Promise<HttpEmulator> {
  const now = opts.now ?? Date.now;
  const unique = opts.uniqueField ?? 'number';
  const zone = opts.zoneOffsetMinutes ?? 480;
  const collections = new Map<string, Collection>();
  for (const [name, seed] of Object.entries(opts.collections ?? { orders: 1000, customers: 0 })) {
    const c = new Collection(name, unique);
    for (const r of typeof seed === 'number' ? generate(name, seed, opts.seedStart ?? Date.parse('2026-11-01T00:00:00Z')) : seed) c.insert(r, now());
    collections.set(name, c);
  }
  let faults: Faults = { ...opts.faults };
  let stats = emptyStats();
  let writes = 0;
  const idempotent = new Map<string, WriteReply>();
  const gate = new AuthGate(opts.auth, now);
  const rules = { requiredFields: opts.requiredFields ?? ['name'], ...(opts.reject ? { reject: opts.reject } : {}) };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`);
    const method = (req.method ?? 'GET').toUpperCase();
    const raw = await readBody(req);
    const parts = url.pathname.split('/').filter(Boolean);
    if (parts[0] === '__control') return control(parts[1], method, url, raw, res);
    stats.calls += 1;
    const route = `${method} /${parts.slice(0, 2).join('/')}`;
    stats.byRoute[route] = (stats.byRoute[route] ?? 0) + 1;
    if (faults.latencyMs) await new Promise((r) => setTimeout(r, faults.latencyMs));
    if (faults.rateLimitEvery && stats.calls % faults.rateLimitEvery === 0) {
      stats.rateLimited += 1;
      const secs = faults.retryAfterSeconds ?? 1;
      const style = faults.retryAfterStyle ?? 'seconds';
      const h: Record<string, string> =
        style === 'date'
          ? { 'retry-after': new Date(Math.ceil((now() + secs * 1000) / 1000) * 1000).toUTCString() }
          : style === 'reset'
            ? { 'x-ratelimit-reset': String(Math.ceil(now() / 1000) + secs), 'x-ratelimit-remaining': '0' }
            : { 'retry-after': String(secs) };
      return send(res, 429, { code: 429, error: { code: 'RATE_LIMITED', message: 'too many requests' } }, h);
    }
    if (faults.failEvery && stats.calls % faults.failEvery === 0) {
      stats.failed += 1;
      return send(res, faults.failStatus ?? 503, { code: 503, error: { code: 'UNAVAILABLE', message: 'service temporarily unavailable' } });
    }
    if (parts[0] === 'oauth' && parts[1] === 'token' && method === 'POST') {
      const r = gate.token(req, new URLSearchParams(raw));
      stats.tokensIssued = gate.issued;
      return send(res, r.status, r.body);
    }
    const denied = gate.check(req, url);
    if (denied !== undefined) {
      stats.unauthorized += 1;
      return send(res, 401, { code: 401, error: { code: 'UNAUTHORIZED', message: denied } }, { 'www-authenticate': 'Bearer' });
    }
    let body: unknown;
    try {
      body = raw === '' ? undefined : JSON.parse(raw);
    } catch {
      return send(res, 400, { code: 400, error: { code: 'BAD_JSON', message: 'the body is not valid JSON' } });
    }
    const col = parts[1] !== undefined ? collections.get(parts[1]) : undefined;
    if (!col) return send(res, 404, { code: 404, error: { code: 'NOT_FOUND', message: `no route ${method} ${url.pathname}` } });
    const id = parts[2] !== undefined ? Number(parts[2]) : undefined;
    // A write with an Idempotency-Key seen before is answered as the first time, without applying it again.
    const idemKey = req.headers['idempotency-key'];
    const isWrite = (parts[0] === 'batch' && method === 'POST') || (parts[0] === 'records' && method !== 'GET');
    const replay = isWrite && typeof idemKey === 'string' ? idempotent.get(idemKey) : undefined;
    if (replay) {
      stats.idempotentReplays += 1;
      return send(res, replay.status, replay.body, replay.headers);
    }
    const remember = (r: WriteReply) => {
      if (isWrite && typeof idemKey === 'string') idempotent.set(idemKey, r);
      return r;
    };
    if (parts[0] === 'batch' && method === 'POST') {
      writes += 1;
      const r = batchWrite(col, body, url.searchParams.get('atomic') === '1', rules, now());
      if (faults.omitResultEvery) omitResults(r.body, faults.omitResultEvery);
      return answerWrite(res, remember(r));
    }
    if (parts[0] === 'records') {
      if (method === 'GET') {
        const r = findRecords(col, id, url.searchParams.get('number') ?? undefined);
        return send(res, r.status, r.body);
      }
      if (method === 'POST' || method === 'PUT' || method === 'PATCH') {
        writes += 1;
        return answerWrite(res, remember(singleWrite(col, method, id, body, rules, now())));
      }
    }
    if (method === 'GET' || method === 'POST') {
      const params: Params = method === 'GET' || body === undefined ? Object.fromEntries(url.searchParams) : (body as Params);
      const r = readPage(parts[0] ?? '', col, params, url, opts.maxPageSize ?? 1000, zone);
      return send(res, r.status, r.body, r.headers);
    }
    return send(res, 405, { code: 405, error: { code: 'METHOD_NOT_ALLOWED', message: `${method} is not supported on ${url.pathname}` } });
  };

  const answerWrite = (res: ServerResponse, r: { status: number; body: unknown; headers?: Record<string, string>; saved: number; rejected: number }) => {
    stats.rowsSaved += r.saved;
    stats.rowsRejected += r.rejected;
    if (faults.dropEvery && writes % faults.dropEvery === 0) {
      stats.dropped += 1;
      res.socket?.destroy();
      return;
    }
    send(res, r.status, r.body, r.headers);
  };

  const control = (what: string | undefined, method: string, url: URL, raw: string, res: ServerResponse) => {
    if (what === 'stats' && method === 'GET') return send(res, 200, { ...stats, tokensIssued: gate.issued });
    if (what === 'store' && method === 'GET') {
      const only = url.searchParams.get('collection');
      const out = Object.fromEntries([...collections].filter(([n]) => only === null || n === only).map(([n, c]) => [n, c.all()]));
      return send(res, 200, { collections: out });
    }
    if (what === 'faults' && method === 'POST') {
      faults = { ...faults, ...(JSON.parse(raw || '{}') as Faults) };
      return send(res, 200, { faults });
    }
    if (what === 'revoke-tokens' && method === 'POST') {
      gate.revokeAll();
      return send(res, 200, { revoked: true });
    }
    if (what === 'reset-stats' && method === 'POST') {
      stats = emptyStats();
      return send(res, 200, { reset: true });
    }
    return send(res, 404, { error: { code: 'NOT_FOUND', message: `no control endpoint ${method} ${url.pathname}` } });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => send(res, 500, { code: 500, error: { code: 'INTERNAL', message: err instanceof Error ? err.message : String(err) } }));
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${opts.host ?? '127.0.0.1'}:${port}`,
    port,
    stats: () => ({ ...stats, byRoute: { ...stats.byRoute }, tokensIssued: gate.issued }),
    records: (name) => collections.get(name)?.all() ?? [],
    setFaults: (f) => {
      faults = { ...faults, ...f };
    },
    revokeTokens: () => gate.revokeAll(),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** Fault `omitResultEvery`: drops the result entries of rows index % n === n − 1 from a batch answer. */
function omitResults(body: unknown, n: number): void {
  const b = body as { results?: { index: number }[] } | null;
  if (!b || !Array.isArray(b.results)) return;
  b.results = b.results.filter((r) => r.index % n !== n - 1);
}
