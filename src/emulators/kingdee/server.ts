import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AuthState } from './auth.ts';
import type { EmulatorApp, EmulatorUser } from './auth.ts';
import { BaseData } from './base-data.ts';
import type { BaseDataOptions, NamedNumber } from './base-data.ts';
import { AUTH_SERVICES, decodeArgs, parseServicePath, SERVICE_PARAMS } from './body.ts';
import { handleControl, recordView } from './control.ts';
import type { RecordView } from './control.ts';
import { Faults, seededRandom } from './faults.ts';
import type { FaultConfig } from './faults.ts';
import { BD_CUSTOMER, FORMS } from './forms.ts';
import { handleFormCall, isQueryMethod } from './handlers.ts';
import type { FormState } from './handlers.ts';
import { mangleAnswer } from './mangle.ts';
import { internRef } from './normalize.ts';
import { CALL_LIMIT_MESSAGE, failure, iisErrorPage, queryFailure, sessionLost } from './replies.ts';
import { FormStore } from './store.ts';
import { QueryPagingState } from './query-paging.ts';
import type { QueryPaging } from './query-paging.ts';
import { loadSnapshot, saveSnapshot } from './snapshot.ts';

/**
 * A Kingdee K3Cloud WebAPI emulator on plain node:http (reference §7): POST `/k3cloud/<Service>.common.kdsvc`
 * (any case, all body forms), session logins and signed headers, BD_Customer and SAL_OUTSTOCK with
 * Kingdee's validations and per-DIndex results, ExecuteBillQuery, fault injection and control endpoints.
 * It imports nothing outside src/emulators: it is the independent truth the platform is tested against.
 */

export interface KingdeeEmulatorOptions {
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  host?: string;
  acctId?: string;
  users?: EmulatorUser[];
  apps?: EmulatorApp[];
  /** Organisations that exist (default 100, 101). */
  orgs?: (string | NamedNumber)[];
  /** Other base data (currencies, materials, units, stocks, bill types). */
  baseData?: Omit<BaseDataOptions, 'orgs'>;
  faults?: FaultConfig;
  /** Seed of the fault-rate PRNG (default 1). */
  seed?: number;
  sessionIdleMs?: number;
  verifyApiSignature?: boolean;
  now?: () => number;
  /** Server local time offset for dates (default +480, China). */
  tzOffsetMinutes?: number;
  /** Create this many audited customers C0000001… at start (demos, benchmarks). */
  preloadCustomers?: number;
  /** Keep the records in this JSON file across restarts (loaded at start, written on close): `ferry demo` uses it. */
  dataFile?: string;
  /** Paging behaviours of real servers for queries: a silent Limit cap, a repeated page, pages that cycle. */
  queryPaging?: QueryPaging;
}

export interface KingdeeEmulatorCredentials {
  acctId: string;
  username: string;
  password: string;
  appId: string;
  appSecret: string;
  lcid: number;
}

export interface KingdeeEmulatorStats {
  calls: number;
  byService: Record<string, number>;
  logins: { ok: number; failed: number };
  sessionLost: number;
  liveSessions: number;
  faults: Record<string, number>;
  records: Record<string, number>;
  created: Record<string, number>;
  updated: Record<string, number>;
  deleted: Record<string, number>;
  rejectedRows: number;
}

export interface KingdeeEmulator {
  /** Base URL to put in a connection: `http://127.0.0.1:<port>/k3cloud/`. */
  url: string;
  port: number;
  credentials: KingdeeEmulatorCredentials;
  setFaults(cfg: FaultConfig): void;
  /** Replaces the query paging behaviours (see query-paging.ts); `{}` = a well-behaved server. */
  setQueryPaging(p: QueryPaging): void;
  expireSessions(): void;
  stats(): KingdeeEmulatorStats;
  /** Records of a form in id order (in-process inspection). */
  records(formId: string): Iterable<RecordView>;
  reset(): void;
  close(): Promise<void>;
}

export const DEFAULT_CREDENTIALS: KingdeeEmulatorCredentials = {
  acctId: '5f0000000000aa',
  username: 'apiuser',
  password: 'Ferry#2026',
  appId: '100001_AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcY',
  appSecret: '0123456789abcdef0123456789abcdef',
  lcid: 2052,
};

const MAX_BODY = 64 * 1024 * 1024;

export async function startKingdeeEmulator(opts: KingdeeEmulatorOptions = {}): Promise<KingdeeEmulator> {
  const now = opts.now ?? Date.now;
  const tz = opts.tzOffsetMinutes ?? 480;
  const acctId = opts.acctId ?? DEFAULT_CREDENTIALS.acctId;
  const users = opts.users ?? [{ username: DEFAULT_CREDENTIALS.username, password: DEFAULT_CREDENTIALS.password }];
  const apps = opts.apps ?? [{ appId: DEFAULT_CREDENTIALS.appId, appSecret: DEFAULT_CREDENTIALS.appSecret }];
  const stores = new Map<string, FormStore>(FORMS.map((f, i) => [f.formId, new FormStore(f, 100000 * (i + 1) + 1)]));
  const customers = stores.get(BD_CUSTOMER.formId) as FormStore;
  const baseData = new BaseData({ orgs: opts.orgs, ...opts.baseData }, (table, number) => {
    if (table.toLowerCase() !== 'bd_customer') return undefined;
    const rec = customers.getByNumber(number);
    return rec ? { id: rec.id, number: rec.number, name: String(rec.fields.FName ?? '') } : undefined;
  });
  const orgName = baseData.orgs()[0]?.name ?? '总公司';
  const auth = new AuthState({
    acctId,
    users,
    apps,
    sessionIdleMs: opts.sessionIdleMs ?? 30 * 60_000,
    verifyApiSignature: opts.verifyApiSignature ?? true,
    now,
    orgName,
  });
  const faults = new Faults(seededRandom(opts.seed ?? 1));
  const queryPaging = new QueryPagingState(opts.queryPaging);
  if (opts.faults) faults.set(opts.faults);
  const counters: FormState['counters'] = { created: {}, updated: {}, deleted: {}, rejectedRows: 0 };
  const st: FormState = { stores, baseData, now, tzOffsetMinutes: tz, counters };
  let calls = 0;
  let byService: Record<string, number> = {};
  const logins = { ok: 0, failed: 0 };
  let lostCount = 0;

  if (opts.dataFile) loadSnapshot(opts.dataFile, stores);
  if (opts.preloadCustomers) preload(customers, opts.preloadCustomers, baseData.orgs()[0]?.number ?? '100', now());

  const stats = (): KingdeeEmulatorStats => ({
    calls,
    byService: { ...byService },
    logins: { ...logins },
    sessionLost: lostCount,
    liveSessions: auth.liveSessions,
    faults: { ...faults.firedByKind },
    records: Object.fromEntries([...stores].map(([k, s]) => [k, s.size])),
    created: { ...counters.created },
    updated: { ...counters.updated },
    deleted: { ...counters.deleted },
    rejectedRows: counters.rejectedRows,
  });
  const reset = () => {
    for (const s of stores.values()) s.clear();
    auth.dropAll();
    faults.set({});
    for (const k of Object.keys(faults.firedByKind)) delete faults.firedByKind[k];
    calls = 0;
    byService = {};
    logins.ok = logins.failed = lostCount = 0;
    counters.created = {};
    counters.updated = {};
    counters.deleted = {};
    counters.rejectedRows = 0;
  };

  const hanging = new Set<NodeJS.Timeout>();
  const server = createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) reply(res, 200, `response_error:${JSON.stringify({ Message: String(err), InnerExWrapper: null })}`, 'text/plain');
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://emulator');
    const body = await readBody(req);
    if (url.pathname.startsWith('/__control/')) {
      return handleControl(req, res, url, body, { faults, stores, stats, expireSessions: () => auth.dropAll(), reset, tzOffsetMinutes: tz });
    }
    const service = parseServicePath(url.pathname);
    if (!service || req.method !== 'POST') return reply(res, 404, iisErrorPage(404).replace(/500 - Internal server error\./g, '404 - File or directory not found.'), 'text/html');
    const method = service.method;
    calls++;
    byService[method] = (byService[method] ?? 0) + 1;
    const names = SERVICE_PARAMS[method];
    const isQuery = isQueryMethod(method);

    if (faults.latencyMs > 0) await sleep(faults.latencyMs);
    const slow = faults.draw(method, ['slow']);
    if (slow) await sleep(slow.ms ?? 1000);
    const pre = faults.draw(method, ['5xx', 'html', 'badMsgCode', 'callLimit']);
    if (pre?.kind === '5xx') return reply(res, pre.status ?? 503, iisErrorPage(503), 'text/html');
    if (pre?.kind === 'html') return reply(res, pre.status ?? 500, iisErrorPage(500), 'text/html');
    if (pre?.kind === 'badMsgCode') {
      const f = failure(pre.msgCode ?? 99, '未知错误');
      return json(res, isQuery ? [[f]] : f);
    }
    if (pre?.kind === 'callLimit') return json(res, isQuery ? queryFailure(14, CALL_LIMIT_MESSAGE) : failure(14, CALL_LIMIT_MESSAGE));

    if (!names || (service.stub === 'auth') !== AUTH_SERVICES.has(method)) {
      return reply(res, 200, `response_error:${JSON.stringify({ Message: `服务不存在或模拟器未实现：${method}`, InnerExWrapper: null })}`, 'text/plain');
    }
    let parsed: unknown = {};
    if (body.trim() !== '') {
      try {
        parsed = JSON.parse(body);
      } catch {
        return reply(res, 200, `response_error:${JSON.stringify({ Message: '请求数据不是合法的 JSON。', InnerExWrapper: null })}`, 'text/plain');
      }
    }
    const decoded = decodeArgs(parsed, names);
    if (!decoded.ok) return json(res, isQuery ? queryFailure(8, decoded.message) : failure(8, decoded.message));

    if (service.stub === 'auth') {
      if (method === 'logout') {
        auth.drop(auth.presentedSid(req.headers));
        return json(res, true);
      }
      const r = auth.login(method, decoded.args);
      if (!r.ok) {
        logins.failed++;
        return json(res, r.body);
      }
      logins.ok++;
      return json(res, r.body, sessionCookies(r.sid));
    }

    if (faults.draw(method, ['sessionExpire'])) auth.drop(auth.presentedSid(req.headers));
    const who = auth.authorise(req.headers, url.pathname);
    if (!who.ok) {
      if (who.reason === 'passport') return reply(res, 500, who.message, 'text/plain');
      lostCount++;
      return json(res, isQuery ? [[sessionLost()]] : sessionLost());
    }
    const cookies = who.fresh ? sessionCookies(who.sid) : undefined;
    const post = faults.draw(method, ['truncate', 'applyThenTimeout', 'applyThenDrop', 'omitSuccess', 'omitRows', 'shiftDIndex']);
    const rowFail = faults.draw(method, ['rowFail']);
    const auditFail = faults.draw(method, ['autoAuditFail']);
    if (isQuery && decoded.args.has('data')) decoded.args.set('data', queryPaging.apply(decoded.args.get('data')));
    let result = handleFormCall(
      method,
      decoded.args,
      st,
      rowFail ? { rows: rowFail.rows ?? 1, msgCode: rowFail.msgCode ?? 13, message: rowFail.message } : undefined,
      auditFail ? { rows: auditFail.rows ?? 1, msgCode: auditFail.msgCode ?? 12, message: auditFail.message } : undefined,
    );
    if (post?.kind === 'omitSuccess' || post?.kind === 'omitRows' || post?.kind === 'shiftDIndex') result = mangleAnswer(result, post);
    if (post?.kind === 'applyThenDrop') return void res.destroy();
    if (post?.kind === 'applyThenTimeout') {
      const t = setTimeout(() => {
        hanging.delete(t);
        res.destroy();
      }, post.ms ?? 60_000);
      hanging.add(t);
      res.on('close', () => {
        clearTimeout(t);
        hanging.delete(t);
      });
      return;
    }
    if (post?.kind === 'truncate') {
      const text = JSON.stringify(result);
      return reply(res, 200, text.slice(0, Math.max(1, Math.floor(text.length / 2))), 'application/json; charset=utf-8', cookies);
    }
    return json(res, result, cookies);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const host = opts.host ?? '127.0.0.1';
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${addr.port}/k3cloud/`,
    port: addr.port,
    credentials: { acctId, username: users[0]?.username ?? '', password: users[0]?.password ?? '', appId: apps[0]?.appId ?? '', appSecret: apps[0]?.appSecret ?? '', lcid: 2052 },
    setFaults: (cfg) => faults.set(cfg),
    setQueryPaging: (p) => queryPaging.set(p),
    expireSessions: () => auth.dropAll(),
    stats,
    *records(formId: string) {
      const store = [...stores.values()].find((s) => s.form.formId.toLowerCase() === formId.toLowerCase());
      if (store) for (const rec of store.values()) yield recordView(rec, tz);
    },
    reset,
    close: () =>
      new Promise<void>((resolve) => {
        if (opts.dataFile) saveSnapshot(opts.dataFile, stores);
        for (const t of hanging) clearTimeout(t);
        hanging.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function sessionCookies(sid: string): string[] {
  return [`kdservice-sessionid=${sid}; path=/`, `ASP.NET_SessionId=${randomBytes(12).toString('hex')}; path=/; HttpOnly`];
}

function json(res: ServerResponse, body: unknown, cookies?: string[]): void {
  reply(res, 200, JSON.stringify(body), 'application/json; charset=utf-8', cookies);
}

function reply(res: ServerResponse, status: number, text: string, type: string, cookies?: string[]): void {
  const headers: Record<string, string | string[] | number> = { 'Content-Type': type, 'Content-Length': Buffer.byteLength(text) };
  if (cookies) headers['Set-Cookie'] = cookies;
  res.writeHead(status, headers);
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error('request body too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function preload(store: FormStore, n: number, org: string, nowMs: number): void {
  const ref = internRef(org);
  for (let i = 1; i <= n; i++) {
    const number = `C${String(i).padStart(7, '0')}`;
    store.insert(number, { FName: `客户${i}`, FCreateOrgId: ref, FUseOrgId: ref }, 'C', nowMs);
  }
}
