import type { WdtConnection } from './connection.ts';
import type { ApiNames } from './api-names.ts';
import { formatBeijingTime, unixSeconds } from './beijing-time.ts';
import { signOpenApi, signQimen } from './sign.ts';

/**
 * Builds the HTTP request of one call for the connection's transport. Business params arrive as wire
 * text (toWireParams); the system params and the sign are added here.
 */

export interface WireRequest {
  url: string;
  /** URL without query string, for logs and ApiCallEvent (the query holds the sign). */
  endpoint: string;
  body: string;
}

const FORM = 'application/x-www-form-urlencoded;charset=utf-8';
export const WIRE_CONTENT_TYPE = FORM;

/**
 * Enterprise (wdt-api.md §1.1–1.3): POST `<baseUrl><endpoint>.php`, every param in the form body,
 * `timestamp` = Unix seconds, sign over all params with lengths counted in characters.
 */
function openApiRequest(c: Extract<WdtConnection, { transport: 'openapi' }>, names: ApiNames, business: Record<string, string>, nowMs: number): WireRequest {
  const base = c.baseUrl.endsWith('/') ? c.baseUrl : `${c.baseUrl}/`;
  const params: Record<string, string> = { ...business, sid: c.sid, appkey: c.appkey, timestamp: unixSeconds(nowMs) };
  params.sign = signOpenApi(params, c.appsecret);
  const url = base + names.endpoint;
  return { url, endpoint: url, body: new URLSearchParams(params).toString() };
}

/**
 * Qimen (§2.2–2.3), as the generated TOP SDK classes send it: system params in the query string, business
 * params in the form body, one sign over both with the caller's Qimen app secret; `timestamp` is Beijing time.
 */
function qimenRequest(c: Extract<WdtConnection, { transport: 'qimen' }>, names: ApiNames, business: Record<string, string>, nowMs: number): WireRequest {
  const system: Record<string, string> = {
    method: names.method,
    app_key: c.appKey,
    target_app_key: c.targetAppKey,
    sid: c.sid,
    format: 'json',
    v: '2.0',
    sign_method: c.signMethod,
    timestamp: formatBeijingTime(nowMs),
  };
  if (c.appkey) system.appkey = c.appkey;
  const body = { ...business };
  for (const k of Object.keys(system)) delete body[k];
  system.sign = signQimen({ ...body, ...system }, c.appSecret, c.signMethod);
  const endpoint = c.baseUrl.split('?')[0]!;
  return { url: `${endpoint}?${new URLSearchParams(system).toString()}`, endpoint, body: new URLSearchParams(body).toString() };
}

export function buildRequest(c: WdtConnection, names: ApiNames, business: Record<string, string>, nowMs: number): WireRequest {
  return c.transport === 'openapi' ? openApiRequest(c, names, business, nowMs) : qimenRequest(c, names, business, nowMs);
}
