import type { JsonObject } from '../../core/records.ts';

/**
 * Reads the vendor envelope of a response body, for both transports, tolerating both scalar forms
 * (`"code":"0"` and `"code":0`, wdt-api.md §1.4).
 * - enterprise: `{code, message, total_count, <listKey>}`, code 0 = success (§1.4);
 * - Qimen: `{response:{errorcode, message, total_count, <listKey>}}`, errorcode 0 = success (§2.4); failures as
 *   `response.errorcode|code + message`, gateway `response.flag = 'failure'`, or TOP `error_response`.
 */

export interface VendorFailure {
  /** `wdt`: WDT's own code (enterprise `code`, Qimen `errorcode`); `gateway`: Qimen/TOP gateway refusal. */
  origin: 'wdt' | 'gateway';
  code: string;
  message: string;
  subCode?: string;
  subMessage?: string;
}

export type Envelope =
  | { kind: 'ok'; body: JsonObject }
  | { kind: 'failure'; failure: VendorFailure }
  | { kind: 'bad'; problem: string };

/** An integer from a JSON number or a numeric string; undefined otherwise. */
export function coerceInt(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) ? value : undefined;
  if (typeof value === 'string' && /^\s*-?\d+\s*$/.test(value)) return Number(value);
  return undefined;
}

function text(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function parseJson(body: string): { ok: true; value: unknown } | { ok: false; problem: string } {
  try {
    return { ok: true, value: JSON.parse(body) as unknown };
  } catch (err) {
    const snippet = body.length > 80 ? `${body.slice(0, 80)}…` : body;
    return { ok: false, problem: `the response is not valid JSON (${err instanceof Error ? err.message : 'parse error'}): ${JSON.stringify(snippet)}` };
  }
}

export function readOpenApiEnvelope(value: unknown): Envelope {
  if (!isObject(value)) return { kind: 'bad', problem: 'the response is not a JSON object' };
  if (value.code === undefined) return { kind: 'bad', problem: 'the response has no `code`' };
  const code = coerceInt(value.code);
  if (code === 0) return { kind: 'ok', body: value };
  return { kind: 'failure', failure: { origin: 'wdt', code: text(value.code) ?? '', message: text(value.message) ?? '' } };
}

export function readQimenEnvelope(value: unknown): Envelope {
  if (!isObject(value)) return { kind: 'bad', problem: 'the response is not a JSON object' };
  const er = value.error_response;
  if (isObject(er)) {
    return {
      kind: 'failure',
      failure: {
        origin: 'gateway',
        code: text(er.code) ?? '',
        message: text(er.msg) ?? text(er.message) ?? '',
        ...(er.sub_code !== undefined ? { subCode: text(er.sub_code) } : {}),
        ...(er.sub_msg !== undefined ? { subMessage: text(er.sub_msg) } : {}),
      },
    };
  }
  // `response`, or a TOP-style `<method>_response` wrapper.
  const wrapperKey = 'response' in value ? 'response' : Object.keys(value).find((k) => k.endsWith('_response'));
  const r = wrapperKey === undefined ? undefined : value[wrapperKey];
  if (!isObject(r)) return { kind: 'bad', problem: 'the response has no `response` object' };
  const sub = {
    ...(r.sub_code !== undefined ? { subCode: text(r.sub_code) } : {}),
    ...((r.sub_message ?? r.sub_msg) !== undefined ? { subMessage: text(r.sub_message ?? r.sub_msg) } : {}),
  };
  const message = text(r.message) ?? text(r.msg) ?? text(r.sub_message) ?? text(r.sub_msg) ?? '';
  if (r.errorcode !== undefined) {
    if (coerceInt(r.errorcode) === 0) return { kind: 'ok', body: r };
    return { kind: 'failure', failure: { origin: 'wdt', code: text(r.errorcode) ?? '', message, ...sub } };
  }
  if (r.flag === 'failure')
    return { kind: 'failure', failure: { origin: 'gateway', code: text(r.code) ?? text(r.sub_code) ?? '', message, ...sub } };
  if (r.code !== undefined) {
    const code = coerceInt(r.code);
    if (code === 0) return { kind: 'ok', body: r };
    return { kind: 'failure', failure: { origin: code === undefined ? 'gateway' : 'wdt', code: text(r.code) ?? '', message, ...sub } };
  }
  return { kind: 'bad', problem: 'the response has neither `errorcode` nor `code`' };
}
