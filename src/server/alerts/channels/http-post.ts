import { readAnswerBody, showBytes } from '../../../platforms/shared/answer-body.ts';
import { DeliveryError, urlOrigin, type SendContext } from './driver.ts';

/** A robot or webhook answers a few hundred bytes; more than this is read no further (the answer stays bounded). */
export const MAX_ANSWER_BYTES = 256 * 1024;

export interface PostResult {
  status: number;
  /** Parsed JSON body, or undefined when the body is not JSON. */
  json: unknown;
  text: string;
}

/**
 * POSTs a JSON body with a per-attempt timeout. Network errors, timeouts, 5xx and 429 are retryable;
 * other non-2xx answers are not (a wrong URL or key does not heal by retrying). Error messages name
 * only the origin of the URL — robot webhooks carry their key in the path or query.
 */
export async function postJson(url: string, body: unknown, ctx: SendContext, headers: Record<string, string> = {}): Promise<PostResult> {
  const payload = typeof body === 'string' ? body : JSON.stringify(body);
  const timeout = AbortSignal.timeout(ctx.timeoutMs);
  const signal = ctx.signal ? AbortSignal.any([ctx.signal, timeout]) : timeout;
  let res: Response;
  try {
    res = await ctx.fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
      body: payload,
      signal,
    });
  } catch (e) {
    const timedOut = timeout.aborted;
    const cause = e instanceof Error && e.cause instanceof Error ? `: ${e.cause.message}` : '';
    throw new DeliveryError(
      timedOut ? `no answer from ${urlOrigin(url)} within ${ctx.timeoutMs} ms` : `cannot reach ${urlOrigin(url)}${cause}`,
      { retryable: true },
    );
  }
  const answer = await readAnswerBody(res, MAX_ANSWER_BYTES);
  if (answer.kind === 'too_large') {
    // The message may well have been delivered: a retry could post it twice, so this is not retried.
    throw new DeliveryError(`HTTP ${res.status} from ${urlOrigin(url)}: the answer is larger than ${showBytes(MAX_ANSWER_BYTES)}; ferry stopped reading it`, {
      retryable: false,
      status: res.status,
    });
  }
  const text = answer.kind === 'ok' ? answer.text : '';
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (res.status < 200 || res.status >= 300) {
    throw new DeliveryError(`HTTP ${res.status} from ${urlOrigin(url)}: ${snippet(text)}`, {
      retryable: res.status >= 500 || res.status === 429 || res.status === 408,
      status: res.status,
    });
  }
  return { status: res.status, json, text };
}

export function snippet(text: string, max = 200): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max)}…` : one || '(empty body)';
}

/** Reads a numeric field of a JSON object answer (errcode / code), undefined when absent. */
export function numberField(json: unknown, key: string): number | undefined {
  if (json && typeof json === 'object' && key in json) {
    const v = (json as Record<string, unknown>)[key];
    if (typeof v === 'number') return v;
    if (typeof v === 'string' && /^-?\d+$/.test(v)) return Number(v);
  }
  return undefined;
}

export function stringField(json: unknown, key: string): string | undefined {
  if (json && typeof json === 'object' && key in json) {
    const v = (json as Record<string, unknown>)[key];
    if (typeof v === 'string') return v;
  }
  return undefined;
}
