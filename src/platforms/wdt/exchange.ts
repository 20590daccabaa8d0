import type { ApiCallEvent, PlatformContext } from '../../core/contracts/platform.ts';
import type { FerryError } from '../../core/errors.ts';
import type { JsonObject } from '../../core/records.ts';
import type { Envelope } from './envelope.ts';
import type { Where } from './error-table.ts';
import type { WireRequest } from './request.ts';
import { FerryFailure } from '../../core/errors.ts';
import { parseJson, readOpenApiEnvelope, readQimenEnvelope } from './envelope.ts';
import { errorForBadResponse, errorForHttpStatus, errorForMalformedJson, errorForNoAnswer, errorForVendor } from './error-table.ts';
import { WIRE_CONTENT_TYPE } from './request.ts';
import { readAnswerBody, stillArrivingText, tooLargeText } from '../shared/answer-body.ts';

/**
 * One HTTP exchange with WDT: POST with a per-call timeout (AbortSignal.any of the caller's signal and a
 * timeout), classify the answer through the error table, report the call via ctx.onCall (no secrets).
 * Returns the success envelope's body; throws FerryFailure otherwise. Never retries or sleeps.
 * When the caller's own signal aborts, its reason is rethrown unchanged: that is the caller stopping, not an error.
 */

export interface ExchangeArgs {
  ctx: PlatformContext;
  transport: 'openapi' | 'qimen';
  api: string;
  request: WireRequest;
  where: Where;
  signal: AbortSignal;
  timeoutMs: number;
  redact: (text: string) => string;
  /** Cap of the answer's body in bytes (connection `maxResponseBytes`). */
  maxResponseBytes: number;
}

function snippet(text: string): string {
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

export async function exchange(a: ExchangeArgs): Promise<JsonObject> {
  await a.ctx.pace?.(a.signal);
  const startedAt = a.ctx.now();
  let responseBytes: number | undefined;
  const event = (ok: boolean, extra: Partial<ApiCallEvent>): void => {
    a.ctx.onCall?.({
      platform: 'wdt',
      connection: a.ctx.connection,
      api: a.api,
      endpoint: a.request.endpoint,
      startedAt,
      durationMs: Math.max(0, a.ctx.now() - startedAt),
      ok,
      requestBytes: Buffer.byteLength(a.request.body),
      ...(responseBytes !== undefined ? { responseBytes } : {}),
      ...extra,
      ...(extra.message !== undefined ? { message: a.redact(extra.message) } : {}),
    });
  };
  const fail = (e: FerryError, status?: number, cause?: unknown): never => {
    const error: FerryError = {
      ...e,
      message: a.redact(e.message),
      ...(e.remote ? { remote: { ...e.remote, ...(e.remote.detail !== undefined ? { detail: a.redact(e.remote.detail) } : {}) } } : {}),
    };
    event(false, { ...(status !== undefined ? { status } : {}), ...(error.remote?.code ? { code: error.remote.code } : {}), message: error.message });
    throw new FerryFailure(error, cause === undefined ? undefined : { cause });
  };

  const timeout = AbortSignal.timeout(a.timeoutMs);
  let status: number;
  let text: string;
  let retryAfter: string | null;
  try {
    const res = await a.ctx.fetch(a.request.url, {
      method: 'POST',
      headers: { 'content-type': WIRE_CONTENT_TYPE, accept: 'application/json' },
      body: a.request.body,
      signal: AbortSignal.any([a.signal, timeout]),
    });
    status = res.status;
    retryAfter = res.headers.get('retry-after');
    const body = await readAnswerBody(res, a.maxResponseBytes);
    if (body.kind === 'too_large') {
      responseBytes = body.received;
      const smaller = 'ask for smaller pages (pagination.pageSize in the scheme).';
      return fail({ kind: 'too_large', action: 'fail_run', message: `${a.where.prefix}: ${tooLargeText(body, a.maxResponseBytes, a.ctx.connection, smaller)}`, remote: { status } }, status);
    }
    if (body.kind === 'interrupted') {
      responseBytes = body.received;
      if (timeout.aborted && !a.signal.aborted)
        return fail({ kind: 'timeout', action: 'retry', message: `${a.where.prefix}: ${stillArrivingText(a.timeoutMs, body.received)}; retrying.` }, status, body.error);
      throw body.error;
    }
    text = body.text;
    responseBytes = body.bytes;
  } catch (err) {
    if (err instanceof FerryFailure) throw err;
    if (a.signal.aborted) {
      event(false, { message: 'aborted by the caller' });
      throw a.signal.reason;
    }
    const cause = err instanceof Error ? ((err.cause as Error | undefined)?.message ?? err.message) : String(err);
    return fail(errorForNoAnswer(timeout.aborted, cause, a.where, a.timeoutMs), undefined, err);
  }

  const parsed = parseJson(text);
  const envelope: Envelope | undefined = parsed.ok
    ? a.transport === 'openapi'
      ? readOpenApiEnvelope(parsed.value)
      : readQimenEnvelope(parsed.value)
    : undefined;

  if (status < 200 || status >= 300) {
    // A 4xx carrying a vendor envelope is the vendor's refusal; anything else is the HTTP failure (5xx always retries).
    if (status < 500 && envelope?.kind === 'failure') return fail(errorForVendor(envelope.failure, a.where, status), status);
    return fail(errorForHttpStatus(status, snippet(text), a.where, retryAfterMs(retryAfter)), status);
  }
  if (!parsed.ok) return fail(errorForMalformedJson(parsed.problem, a.where, status, snippet(text)), status);
  if (envelope!.kind === 'bad') return fail(errorForBadResponse(envelope!.problem, a.where, status), status);
  if (envelope!.kind === 'failure') return fail(errorForVendor(envelope!.failure, a.where, status), status);
  event(true, { status, code: '0' });
  return envelope!.body;
}
