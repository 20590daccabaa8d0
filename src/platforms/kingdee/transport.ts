import type { PlatformContext } from '../../core/contracts/platform.ts';
import { callFailure } from './errors.ts';
import type { CallLabel } from './errors.ts';
import { asBool, findRawStatus, parseBody } from './parse.ts';
import { servicePath } from './services.ts';
import { DEFAULT_MAX_RESPONSE_BYTES, readAnswerBody, stillArrivingText, tooLargeText } from '../shared/answer-body.ts';

/**
 * One HTTP POST to a Kingdee service: timeout, error classification and exactly one ApiCallEvent.
 * Business errors come back as HTTP 200 (reference §4), so this layer only judges transport and envelope;
 * ResponseStatus is judged by the caller. `maybeApplied` is set for writes whenever the request left
 * this process and no valid answer came back.
 */

export interface PostInput {
  url: string;
  /** Operation name for the call event (`BatchSave`, `ExecuteBillQuery`, `LoginByAppSecret`). */
  api: string;
  bodyText: string;
  headers: Record<string, string>;
  label: CallLabel;
  /** The call may change data in Kingdee: decides maybeApplied on lost answers. */
  write: boolean;
  signal: AbortSignal;
  /** Cap of the answer's body in bytes (connection `maxResponseBytes`; default 8 MiB). */
  maxResponseBytes?: number;
}

export interface PostResult {
  value: unknown;
  setCookies: string[];
}

/** Errors raised before any byte reached the server: the request surely was not applied. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ERR_INVALID_URL']);

function errorCode(err: unknown): string | undefined {
  let e: unknown = err;
  for (let depth = 0; depth < 4 && e && typeof e === 'object'; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

export async function postJson(ctx: PlatformContext, redact: (s: string) => string, input: PostInput): Promise<PostResult> {
  await ctx.pace?.(input.signal);
  const started = ctx.now();
  const endpoint = servicePath(input.url);
  const requestBytes = Buffer.byteLength(input.bodyText);
  const report = (ok: boolean, extra: { status?: number; code?: string; message?: string; responseBytes?: number }) => {
    ctx.onCall?.({
      platform: 'kingdee',
      connection: ctx.connection,
      api: input.api,
      endpoint,
      startedAt: started,
      durationMs: Math.max(0, ctx.now() - started),
      ok,
      requestBytes,
      ...extra,
      ...(extra.message === undefined ? {} : { message: redact(extra.message) }),
    });
  };

  const timeout = AbortSignal.timeout(ctx.timeoutMs);
  const signal = AbortSignal.any([input.signal, timeout]);
  const lost = (err: unknown, sent: boolean) => {
    if (input.signal.aborted) return input.signal.reason ?? err;
    const timedOut = timeout.aborted;
    const code = errorCode(err);
    const what = timedOut
      ? `no answer within ${ctx.timeoutMs} ms`
      : `connection failed (${code ?? (err instanceof Error ? err.message : String(err))})`;
    report(false, { message: what, code: timedOut ? 'timeout' : code });
    return callFailure(
      {
        kind: timedOut ? 'timeout' : 'network',
        action: 'retry',
        label: input.label,
        what,
        maybeApplied: input.write && sent,
        cause: err,
      },
      redact,
    );
  };

  let res: Response;
  try {
    res = await ctx.fetch(input.url, { method: 'POST', headers: input.headers, body: input.bodyText, signal });
  } catch (err) {
    const code = errorCode(err);
    throw lost(err, timeout.aborted || code === undefined || !NOT_SENT_CODES.has(code));
  }
  const setCookies = typeof res.headers.getSetCookie === 'function' ? res.headers.getSetCookie() : [];
  const status = res.status;
  const maxBytes = input.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const body = await readAnswerBody(res, maxBytes);
  if (body.kind === 'too_large') {
    const smaller = input.write ? 'send smaller batches (batch.size in the scheme).' : 'ask for smaller pages (pagination.pageSize in the scheme).';
    const what = tooLargeText(body, maxBytes, ctx.connection, smaller);
    report(false, { status, code: 'too_large', message: what, responseBytes: body.received });
    throw callFailure({ kind: 'too_large', action: 'fail_run', label: input.label, what, maybeApplied: input.write, remote: { status } }, redact);
  }
  if (body.kind === 'interrupted') {
    if (input.signal.aborted || !timeout.aborted) throw lost(body.error, true);
    const what = stillArrivingText(ctx.timeoutMs, body.received);
    report(false, { status, code: 'timeout', message: what, responseBytes: body.received });
    throw callFailure({ kind: 'timeout', action: 'retry', label: input.label, what, maybeApplied: input.write, cause: body.error }, redact);
  }
  const text = body.text;
  const responseBytes = body.bytes;
  const parsed = parseBody(text);

  if (status !== 200 && status !== 206) {
    const snippet = parsed.kind === 'html' ? parsed.title : text.trim().slice(0, 160);
    report(false, { status, message: `HTTP ${status}: ${snippet}`, responseBytes });
    throw callFailure(httpFailure(status, snippet, res.headers.get('retry-after'), input), redact);
  }
  if (parsed.kind !== 'json') {
    const what =
      parsed.kind === 'html'
        ? `the server answered with an HTML page instead of JSON ("${parsed.title}")`
        : parsed.kind === 'response_error'
          ? `the server raised an exception: ${parsed.message}`
          : `the answer is ${parsed.reason}`;
    report(false, { status, code: parsed.kind, message: what, responseBytes });
    throw callFailure(
      {
        kind: parsed.kind === 'response_error' ? 'vendor' : 'bad_response',
        action: 'retry',
        label: input.label,
        what,
        maybeApplied: input.write,
        remote: { status, detail: parsed.kind === 'response_error' ? parsed.message : undefined },
      },
      redact,
    );
  }
  const raw = findRawStatus(parsed.value);
  // Row-level errors (each with a DIndex) are the records' problems, not the API's: the call itself worked.
  const errors = Array.isArray(raw?.Errors) ? (raw.Errors as Record<string, unknown>[]) : [];
  const rowErrorsOnly = errors.length > 0 && errors.every((e) => e && e.DIndex !== undefined && e.DIndex !== null);
  const ok = raw === undefined || asBool(raw.IsSuccess) !== false || rowErrorsOnly;
  const code = raw?.MsgCode === undefined || raw.MsgCode === null ? undefined : String(raw.MsgCode);
  report(ok, { status, code, responseBytes });
  return { value: parsed.value, setCookies };
}

function httpFailure(status: number, snippet: string, retryAfter: string | null, input: PostInput) {
  const base = { label: input.label, remote: { status, detail: snippet } };
  if (status === 429) {
    const secs = retryAfter && /^\d+$/.test(retryAfter.trim()) ? Number(retryAfter.trim()) * 1000 : undefined;
    return { ...base, kind: 'rate_limit', action: 'retry_after' as const, what: `HTTP 429 (${snippet})`, retryAfterMs: secs };
  }
  // Checked before 5xx: a wrong acctId in signed mode answers non-200 `Fail to verify thirty passport` (§3b).
  if (status === 401 || status === 403 || /passport/i.test(snippet)) {
    return {
      ...base,
      kind: 'auth',
      action: 'fail_run' as const,
      what: `the server refused the credentials: HTTP ${status} (${snippet})`,
      next: 'Check acctId (data-centre id), user and app credentials of the connection.',
    };
  }
  if (status >= 500) {
    return { ...base, kind: 'http', action: 'retry' as const, what: `HTTP ${status} (${snippet})`, maybeApplied: input.write };
  }
  return {
    ...base,
    kind: 'http',
    action: 'fail_run' as const,
    what: `HTTP ${status} (${snippet})`,
    next: status === 404 ? 'Check the baseUrl of the connection (it ends in /k3cloud/).' : undefined,
  };
}
