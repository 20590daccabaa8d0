/**
 * Lenient reading of Kingdee replies (reference §4): booleans and numbers may come as strings,
 * service exceptions come as `response_error:<json>`, IIS may answer with an HTML page, and query
 * errors come wrapped as `[[{"Result":{"ResponseStatus":…}}]]`.
 */

export type ParsedBody =
  | { kind: 'json'; value: unknown }
  | { kind: 'html'; title: string }
  | { kind: 'response_error'; message: string }
  | { kind: 'invalid'; reason: string };

const RESPONSE_ERROR = 'response_error:';

export function parseBody(text: string): ParsedBody {
  const trimmed = text.trim();
  if (trimmed === '') return { kind: 'invalid', reason: 'empty body' };
  if (trimmed.startsWith(RESPONSE_ERROR)) {
    const rest = trimmed.slice(RESPONSE_ERROR.length).trim();
    try {
      const obj = JSON.parse(rest) as Record<string, unknown>;
      const msg = asText(obj?.Message) ?? asText(obj?.message) ?? rest;
      return { kind: 'response_error', message: msg };
    } catch {
      return { kind: 'response_error', message: rest.slice(0, 300) };
    }
  }
  if (trimmed.startsWith('<')) return { kind: 'html', title: htmlTitle(trimmed) };
  try {
    return { kind: 'json', value: JSON.parse(trimmed) };
  } catch {
    return { kind: 'invalid', reason: `not valid JSON (${text.length} chars, probably cut off)` };
  }
}

function htmlTitle(html: string): string {
  const m = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(html) ?? /<h[12][^>]*>([\s\S]*?)<\/h[12]>/i.exec(html);
  const title = m?.[1]?.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ').trim();
  return title && title.length > 0 ? title.slice(0, 200) : 'HTML page';
}

export function asText(x: unknown): string | undefined {
  if (x === null || x === undefined) return undefined;
  if (typeof x === 'string') return x;
  if (typeof x === 'number' || typeof x === 'boolean') return String(x);
  return undefined;
}

/** `true`, `"true"`, `"True"`, `1`, `"1"` → true; the false forms → false; anything else → undefined. */
export function asBool(x: unknown): boolean | undefined {
  if (typeof x === 'boolean') return x;
  const t = asText(x)?.trim().toLowerCase();
  if (t === 'true' || t === '1') return true;
  if (t === 'false' || t === '0') return false;
  return undefined;
}

/** Integer from a number or numeric string; undefined for empty/absent/non-numeric. */
export function asInt(x: unknown): number | undefined {
  if (typeof x === 'number' && Number.isFinite(x)) return Math.trunc(x);
  const t = asText(x)?.trim();
  if (!t || !/^-?\d+$/.test(t)) return undefined;
  return Number(t);
}

export function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

export interface RowError {
  fieldName?: string;
  message: string;
  dIndex?: number;
}

export interface SuccessEntity {
  id?: string;
  number?: string;
  dIndex?: number;
}

/** The ResponseStatus of a reply, read leniently. */
export interface ResponseStatus {
  isSuccess: boolean | undefined;
  /** Parsed MsgCode; undefined when absent or empty. */
  msgCode: number | undefined;
  /** MsgCode as sent, for messages (may be a non-numeric string). */
  msgCodeText: string | undefined;
  errorCode: string | undefined;
  errors: RowError[];
  successes: SuccessEntity[];
}

/** Finds the raw ResponseStatus object in `{Result:{ResponseStatus}}` or the query form `[[{Result:{ResponseStatus}}]]`. */
export function findRawStatus(value: unknown): Record<string, unknown> | undefined {
  let v = value;
  if (Array.isArray(v)) {
    const inner = v[0];
    v = Array.isArray(inner) ? inner[0] : inner;
  }
  if (!isObject(v)) return undefined;
  const result = v.Result ?? v.result;
  const holder = isObject(result) ? result : v;
  const status = holder.ResponseStatus ?? holder.responseStatus;
  return isObject(status) ? status : undefined;
}

export function readStatus(raw: Record<string, unknown>): ResponseStatus {
  const errors = Array.isArray(raw.Errors) ? raw.Errors : [];
  const successes = Array.isArray(raw.SuccessEntitys) ? raw.SuccessEntitys : [];
  return {
    isSuccess: asBool(raw.IsSuccess),
    msgCode: asInt(raw.MsgCode),
    msgCodeText: asText(raw.MsgCode)?.trim() || undefined,
    errorCode: asText(raw.ErrorCode),
    errors: errors.filter(isObject).map((e) => ({
      fieldName: asText(e.FieldName) || undefined,
      message: asText(e.Message) ?? '',
      dIndex: asInt(e.DIndex),
    })),
    successes: successes.filter(isObject).map((s) => ({
      id: asText(s.Id) || undefined,
      number: asText(s.Number) || asText(s.BillNo) || undefined,
      dIndex: asInt(s.DIndex),
    })),
  };
}

/** MsgCode 1 (context lost: session or credentials), detected by code, never by text (reference §4). */
export function isSessionLost(value: unknown): boolean {
  const raw = findRawStatus(value);
  return raw !== undefined && asInt(raw.MsgCode) === 1 && asBool(raw.IsSuccess) !== true;
}

/** One-line summary of the errors of a status, for messages. */
export function errorSummary(status: ResponseStatus): string {
  const parts = status.errors.map((e) => (e.fieldName ? `${e.fieldName}: ${e.message}` : e.message)).filter((m) => m);
  if (parts.length === 0) return 'no error message';
  const head = parts.slice(0, 3).join('; ');
  return parts.length > 3 ? `${head}; … (${parts.length} errors)` : head;
}
