import type { PlatformContext } from '../../core/contracts/platform.ts';
import { FerryFailure, type FerryError } from '../../core/errors.ts';
import { makeRedactor } from '../../core/redact.ts';
import { connectionSecrets, type HttpConnection } from './connection.ts';
import { decide, remoteWords, type ErrorRule } from './error-table.ts';
import { OAuth2Tokens } from './oauth2.ts';
import { retryAfterMs } from './retry-after.ts';
import { makeTlsFetch, needsTlsTransport, type TlsFetch } from './tls-fetch.ts';
import { describeNetworkFailure } from './network-failure.ts';
import { DEFAULT_MAX_RESPONSE_BYTES, readAnswerBody, stillArrivingText, tooLargeText } from '../shared/answer-body.ts';

/**
 * The HTTP client of the profile: joins paths to the base URL, adds headers and auth, applies the
 * timeout, reports every call through ctx.onCall, and turns each answer into either a reply or a
 * FerryError from the error table. It never retries (except once after a 401 with a refreshed OAuth2
 * token) and never sleeps. Every message and event goes through the redactor; query strings are never
 * reported (an API key may travel there).
 */

export interface Call {
  /** The scheme's API (path template), for events and messages. */
  api: string;
  method: string;
  url: URL;
  /** JSON body. */
  body?: unknown;
  /** Form body (token requests). */
  form?: URLSearchParams;
  headers?: Record<string, string>;
  direction: 'read' | 'write';
  /** Scheme-level error rules, before the connection's table. */
  rules?: readonly ErrorRule[];
  signal: AbortSignal;
  /** Token requests carry their own credentials. */
  noAuth?: boolean;
  timeoutMs?: number;
  /** Where in a read this call is (`page 3`), for messages. */
  page?: string;
}

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed JSON body; undefined when empty or not JSON. */
  json: unknown;
  url: URL;
}

export interface Exchange {
  reply: Reply;
  /** Set when the error table says this answer is an error (2xx answers included). */
  problem?: FerryError;
}

export class HttpClient {
  private readonly secrets: Set<string>;
  private redactor: (t: string) => string;
  private readonly transport: TlsFetch | undefined;
  private readonly oauth: OAuth2Tokens | undefined;
  readonly base: URL;

  constructor(
    readonly conn: HttpConnection,
    readonly ctx: PlatformContext,
  ) {
    this.base = new URL(conn.baseUrl.endsWith('/') ? conn.baseUrl : `${conn.baseUrl}/`);
    this.secrets = new Set(connectionSecrets(conn));
    this.redactor = makeRedactor(this.secrets);
    this.transport = needsTlsTransport(conn.tls) ? makeTlsFetch(conn.tls, ctx.fetch) : undefined;
    const a = conn.auth;
    this.oauth =
      a.type === 'oauth2_client_credentials'
        ? new OAuth2Tokens(a, this.resolve(a.tokenUrl, true), ctx.now, (url, form, headers, signal) => this.requestToken(url, form, headers, signal), (t) => this.addSecret(t))
        : undefined;
  }

  redact(text: string): string {
    return this.redactor(text);
  }

  /** Number of OAuth2 token requests made for this connection's auth settings. */
  get tokenFetches(): number {
    return this.oauth?.fetchCount ?? 0;
  }

  /**
   * `path` relative to the base URL (`/v1/orders` under `https://h/api` is `https://h/api/v1/orders`), or an
   * absolute URL on the same origin. Other origins are refused so credentials never travel elsewhere.
   */
  resolve(path: string, allowOtherOrigin = false): URL {
    const abs = /^https?:\/\//i.test(path);
    const url = abs ? new URL(path) : new URL(path.replace(/^\/+/, ''), this.base);
    if (!allowOtherOrigin && url.origin !== this.base.origin)
      throw new FerryFailure({
        kind: 'config',
        action: 'fail_run',
        message: `${this.ctx.connection}: ${url.origin}${url.pathname} is not on the connection's origin ${this.base.origin}; ferry only sends credentials to baseUrl`,
      });
    return url;
  }

  /** One call; a non-OK answer comes back as `problem`. Network failures and timeouts throw FerryFailure. */
  async exchange(call: Call): Promise<Exchange> {
    let token: string | undefined;
    for (let attempt = 1; ; attempt++) {
      const url = new URL(call.url);
      const headers: Record<string, string> = { accept: 'application/json', ...this.conn.headers, ...call.headers };
      if (!call.noAuth) token = await this.applyAuth(headers, url, call.signal);
      const ex = await this.perform(call, url, headers);
      // A 401 with an OAuth2 token: the token may have been revoked or expired early — refresh once.
      if (ex.reply.status === 401 && this.oauth && token !== undefined && attempt === 1) {
        this.oauth.invalidate(token);
        continue;
      }
      return ex;
    }
  }

  /** Like exchange, but an error answer throws. */
  async send(call: Call): Promise<Reply> {
    const ex = await this.exchange(call);
    if (ex.problem) throw new FerryFailure(ex.problem);
    return ex.reply;
  }

  /** A copy of `url` without the API key query parameter (next-page URLs are stored in checkpoints). */
  stripAuth(url: URL): URL {
    const out = new URL(url);
    const a = this.conn.auth;
    if (a.type === 'api_key' && a.in === 'query') out.searchParams.delete(a.name);
    return out;
  }

  close(): void {
    this.transport?.close();
  }

  private addSecret(value: string): void {
    if (this.secrets.has(value)) return;
    this.secrets.add(value);
    this.redactor = makeRedactor(this.secrets);
  }

  private async applyAuth(headers: Record<string, string>, url: URL, signal: AbortSignal): Promise<string | undefined> {
    const a = this.conn.auth;
    switch (a.type) {
      case 'none':
        return undefined;
      case 'bearer':
        headers.authorization = `Bearer ${a.token}`;
        return undefined;
      case 'basic':
        headers.authorization = `Basic ${Buffer.from(`${a.username}:${a.password}`).toString('base64')}`;
        return undefined;
      case 'api_key':
        if (a.in === 'query') url.searchParams.set(a.name, a.value);
        else headers[a.name.toLowerCase()] = `${a.prefix ?? ''}${a.value}`;
        return undefined;
      case 'oauth2_client_credentials': {
        const token = await this.oauth!.token(signal);
        headers.authorization = `Bearer ${token}`;
        return token;
      }
    }
  }

  private async requestToken(url: URL, form: URLSearchParams, headers: Record<string, string>, signal: AbortSignal): Promise<unknown> {
    const call: Call = { api: 'oauth2.token', method: 'POST', url, form, headers, direction: 'read', signal, noAuth: true, timeoutMs: this.conn.tokenTimeoutMs };
    const ex = await this.perform(call, url, { accept: 'application/json', ...headers });
    if (!ex.problem) return ex.reply.json;
    const p = ex.problem;
    const refused = ex.reply.status >= 400 && ex.reply.status < 500 && ex.reply.status !== 429 && ex.reply.status !== 408;
    throw new FerryFailure({
      ...p,
      kind: 'auth',
      action: refused ? 'fail_run' : p.action,
      message: refused ? `${p.message}; the token endpoint refused the client credentials — check auth.clientId, auth.clientSecret and auth.scope` : p.message,
    });
  }

  private async perform(call: Call, url: URL, headers: Record<string, string>): Promise<Exchange> {
    await this.ctx.pace?.(call.signal);
    const started = this.ctx.now();
    const t0 = performance.now();
    const endpoint = url.pathname;
    let payload: string | undefined;
    if (call.form) {
      payload = call.form.toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    } else if (call.body !== undefined) {
      payload = JSON.stringify(call.body);
      headers['content-type'] = 'application/json';
    }
    const timeoutMs = call.timeoutMs ?? this.conn.timeoutMs ?? this.ctx.timeoutMs;
    const timeout = AbortSignal.timeout(timeoutMs);
    const maxBytes = this.conn.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    const where = `${this.ctx.connection}: ${call.method.toUpperCase()} ${endpoint}${call.page !== undefined ? ` page ${call.page}` : ''}`;
    const signal = AbortSignal.any([call.signal, timeout]);
    const fetchImpl = this.transport?.fetch ?? this.ctx.fetch;
    const report = (ok: boolean, extra: { status?: number; code?: string; message?: string; responseBytes?: number }) =>
      this.ctx.onCall?.({
        platform: 'http',
        connection: this.ctx.connection,
        api: call.api,
        endpoint,
        startedAt: started,
        durationMs: Math.round(performance.now() - t0),
        ok,
        ...(payload !== undefined ? { requestBytes: Buffer.byteLength(payload) } : {}),
        ...extra,
      });
    let reply: Reply;
    try {
      const res = await fetchImpl(url, { method: call.method.toUpperCase(), headers, body: payload, signal, redirect: 'manual' });
      const body = await readAnswerBody(res, maxBytes);
      if (body.kind === 'too_large') {
        const smaller = call.direction === 'write' ? 'send smaller batches (batch.size in the scheme).' : 'ask for smaller pages (pagination.pageSize in the scheme).';
        const message = this.redact(`${where}: ${tooLargeText(body, maxBytes, this.ctx.connection, smaller)}`);
        report(false, { status: res.status, code: 'too_large', message, responseBytes: body.received });
        throw new FerryFailure({ kind: 'too_large', action: 'fail_run', message, remote: { status: res.status }, ...(call.direction === 'write' ? { maybeApplied: true } : {}) });
      }
      if (body.kind === 'interrupted') {
        if (!timeout.aborted || call.signal.aborted) throw body.error;
        const write = call.direction === 'write';
        const message = this.redact(`${where}: ${stillArrivingText(timeoutMs, body.received)}; ${write ? 'the write may have been applied; ferry checks before sending again' : 'ferry will retry'}`);
        report(false, { status: res.status, code: 'timeout', message, responseBytes: body.received });
        throw new FerryFailure({ kind: 'timeout', action: 'retry', message, ...(write ? { maybeApplied: true } : {}) }, { cause: body.error });
      }
      const text = body.text;
      // The reply names the URL without auth parameters: next-page links are built from it and stored.
      reply = { status: res.status, headers: res.headers, text, json: parseJson(text), url: this.stripAuth(call.url) };
    } catch (err) {
      if (call.signal.aborted || err instanceof FerryFailure) throw err;
      const f = describeNetworkFailure(err, timeout.aborted, call.direction === 'write');
      const message = this.redact(`${where} ${f.what}; ${f.next}`);
      report(false, { message, ...(f.code ? { code: f.code } : {}) });
      throw new FerryFailure({ kind: f.kind, action: f.action, message, ...(f.code ? { remote: { code: f.code } } : {}), ...(f.maybeApplied ? { maybeApplied: true } : {}) }, { cause: err });
    }
    const problem = this.problemFor(call, reply);
    report(!problem, {
      status: reply.status,
      responseBytes: Buffer.byteLength(reply.text),
      ...(problem?.remote?.code ? { code: problem.remote.code } : {}),
      ...(problem ? { message: problem.message } : {}),
    });
    return problem ? { reply, problem } : { reply };
  }

  private problemFor(call: Call, reply: Reply): FerryError | undefined {
    const rules = [...(call.rules ?? []), ...this.conn.errors];
    const rule = decide(rules, { status: reply.status, json: reply.json, text: reply.text, direction: call.direction });
    if (!rule) return undefined;
    const words = remoteWords(reply.json, reply.text, this.conn.errorFields);
    const detail = words.detail !== undefined ? this.redact(words.detail) : undefined;
    const code = words.code !== undefined ? this.redact(words.code) : undefined;
    const wait = retryAfterMs(reply.headers, this.ctx.now(), this.conn.rateLimitHeaders) ?? rule.retryAfterMs;
    const ok = reply.status >= 200 && reply.status < 300;
    const what = `${call.method.toUpperCase()} ${reply.url.pathname} answered HTTP ${reply.status}${code !== undefined ? ` code ${code}` : ''}${detail !== undefined ? `: ${detail}` : ''}`;
    const next =
      rule.message ??
      {
        retry: 'ferry will retry',
        retry_after: wait !== undefined ? `rate limited; ferry will wait ${Math.ceil(wait / 1000)}s and retry` : 'rate limited; ferry will wait and retry',
        reject_record: ok ? 'the target refused the record' : 'the target refused the request; fix the record or the mapping and replay it',
        fail_run: 'the run stops until the connection or the scheme is fixed',
      }[rule.action];
    return {
      kind: rule.kind ?? (rule.action === 'retry_after' ? 'rate_limit' : 'http'),
      action: rule.action,
      message: this.redact(`${this.ctx.connection}: ${what}; ${next}`),
      remote: { status: reply.status, ...(code !== undefined ? { code } : {}), ...(detail !== undefined ? { detail } : {}) },
      ...((rule.action === 'retry_after' || rule.action === 'retry') && wait !== undefined ? { retryAfterMs: wait } : {}),
      // A 5xx after a write reached the server (or a proxy in front of it) may hide an applied write.
      ...(call.direction === 'write' && reply.status >= 500 && rule.action !== 'reject_record' ? { maybeApplied: true } : {}),
    };
  }
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
