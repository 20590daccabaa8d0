import { z } from 'zod';
import type { ErrorAction } from '../../core/errors.ts';
import { getPath } from './json-path.ts';

/**
 * The error table: rules that map an HTTP answer (status and/or body) to what the engine should do.
 * Evaluated in order — scheme rules (`extra.errors`), then the connection's `errors`, then the defaults —
 * and the first rule that matches decides. Rules run on every answer, 2xx included, so an API that says
 * `200 {"code":"LIMIT"}` can still be mapped to `retry_after`. The defaults only match non-2xx statuses.
 */

const StatusPattern = z
  .union([z.number().int().min(100).max(599), z.string().regex(/^(\d{3}|[1-5]xx|\d{3}-\d{3})$/i)])
  .describe('An HTTP status: exact (`429`), a class (`5xx`) or a range (`400-451`).');

export const ErrorRule = z
  .object({
    status: z.union([StatusPattern, z.array(StatusPattern).min(1)]).optional().describe('Status(es) this rule matches; absent = any status.'),
    path: z.string().optional().describe('Path of a value in the JSON body, e.g. `code` or `error.type`. Alone: matches when the value is present and not empty.'),
    equals: z
      .union([z.string(), z.number(), z.boolean(), z.array(z.union([z.string(), z.number(), z.boolean()]))])
      .optional()
      .describe('With `path`: the value (or one of the values) that matches; numbers and their text are the same (`40001` = `"40001"`).'),
    regex: z.string().optional().describe('Regular expression tested on the value at `path`, or on the raw body text when there is no `path`.'),
    on: z.enum(['any', 'read', 'write']).default('any').describe('Limit the rule to reads or writes.'),
    action: z.enum(['retry', 'retry_after', 'reject_record', 'fail_run']).describe('What the engine does: retry with backoff, wait and retry, reject the record(s), or stop the run.'),
    kind: z.string().optional().describe('Error kind recorded with the error (default `http`, or `rate_limit` for retry_after).'),
    retryAfterMs: z.number().int().min(0).optional().describe('Delay for retry_after when the response has no Retry-After / rate-limit header.'),
    message: z.string().optional().describe('Explanation added to the error message (e.g. the next step for this vendor code).'),
  })
  .strict()
  .refine((r) => r.status !== undefined || r.path !== undefined || r.regex !== undefined, {
    message: 'a rule needs at least one of `status`, `path` or `regex`',
  })
  .describe('One row of the error table.');
export type ErrorRule = z.infer<typeof ErrorRule>;
export type ErrorRuleInput = z.input<typeof ErrorRule>;

export const ErrorTable = z.array(ErrorRule).describe('Error rules, first match wins; the built-in defaults apply after them.');

/** Where the vendor's own code and message are in an error body, when the heuristics are not enough. */
export const ErrorFields = z
  .object({
    codePath: z.string().optional().describe('Path of the vendor error code, e.g. `error.code`. Default: the first of error.code, code, error_code, errcode, errorCode.'),
    messagePath: z.string().optional().describe('Path of the vendor message, e.g. `error.message`. Default: the first of error.message, message, msg, errmsg, error_description, errorMessage, error, detail, title.'),
  })
  .strict();
export type ErrorFields = z.infer<typeof ErrorFields>;

/** Built-in rules after the configured ones: 429 wait, 408/5xx retry, 401/403 stop, other 4xx by direction. */
export const DEFAULT_RULES: readonly ErrorRule[] = [
  { status: 429, action: 'retry_after', kind: 'rate_limit', on: 'any' },
  { status: 408, action: 'retry', kind: 'timeout', on: 'any' },
  { status: [401, 403], action: 'fail_run', kind: 'auth', on: 'any', message: 'check the connection\'s credentials and permissions' },
  { status: '5xx', action: 'retry', kind: 'http', on: 'any' },
  { status: '4xx', action: 'reject_record', kind: 'http', on: 'write' },
  { status: '4xx', action: 'fail_run', kind: 'http', on: 'read', message: 'check the API path and request parameters' },
];

export interface Answer {
  status: number;
  /** Parsed JSON body, or undefined when the body is not JSON. */
  json: unknown;
  text: string;
  direction: 'read' | 'write';
}

export function statusMatches(pattern: number | string, status: number): boolean {
  if (typeof pattern === 'number') return pattern === status;
  const p = pattern.toLowerCase();
  if (/^[1-5]xx$/.test(p)) return Math.floor(status / 100) === Number(p[0]);
  const range = /^(\d{3})-(\d{3})$/.exec(p);
  if (range) return status >= Number(range[1]) && status <= Number(range[2]);
  return Number(p) === status;
}

function scalarEquals(a: unknown, b: string | number | boolean): boolean {
  if (a === null || a === undefined || typeof a === 'object') return false;
  return String(a) === String(b);
}

export function ruleMatches(rule: ErrorRule, a: Answer): boolean {
  if (rule.on !== 'any' && rule.on !== a.direction) return false;
  if (rule.status !== undefined) {
    const list = Array.isArray(rule.status) ? rule.status : [rule.status];
    if (!list.some((s) => statusMatches(s, a.status))) return false;
  }
  if (rule.path !== undefined) {
    const v = getPath(a.json, rule.path);
    if (rule.equals !== undefined) {
      const wanted = Array.isArray(rule.equals) ? rule.equals : [rule.equals];
      if (!wanted.some((w) => scalarEquals(v, w))) return false;
    }
    if (rule.regex !== undefined && !(v !== undefined && v !== null && new RegExp(rule.regex).test(typeof v === 'string' ? v : JSON.stringify(v))))
      return false;
    if (rule.equals === undefined && rule.regex === undefined && (v === undefined || v === null || v === '')) return false;
  } else if (rule.regex !== undefined && !new RegExp(rule.regex).test(a.text)) return false;
  return true;
}

/**
 * The first matching rule, or undefined when the answer is fine. A non-2xx answer always yields a rule:
 * the defaults cover 4xx/5xx, and anything else (1xx, 3xx — we never follow redirects) stops the run.
 */
export function decide(rules: readonly ErrorRule[], a: Answer): ErrorRule | undefined {
  for (const r of rules) if (ruleMatches(r, a)) return r;
  const ok = a.status >= 200 && a.status < 300;
  if (ok) return undefined;
  for (const r of DEFAULT_RULES) if (ruleMatches(r, a)) return r;
  return { action: 'fail_run', kind: 'http', on: 'any', message: a.status >= 300 && a.status < 400 ? 'the server redirected; set the connection\'s baseUrl to the final address' : undefined };
}

// A nested error object is more specific than a top-level status-like code, so it is looked at first.
const CODE_KEYS = ['error.code', 'code', 'error_code', 'errcode', 'errorCode'];
const MESSAGE_KEYS = ['error.message', 'message', 'msg', 'errmsg', 'error_description', 'errorMessage', 'error', 'detail', 'title'];

/** The vendor's code and message from an error body (configured paths first, then common spellings). */
export function remoteWords(json: unknown, text: string, fields: ErrorFields = {}): { code?: string; detail?: string } {
  const pick = (configured: string | undefined, keys: string[], wantText: boolean): string | undefined => {
    for (const k of configured ? [configured, ...keys] : keys) {
      const v = getPath(json, k);
      if (typeof v === 'string' && v !== '') return v;
      if (!wantText && typeof v === 'number') return String(v);
    }
    return undefined;
  };
  const code = pick(fields.codePath, CODE_KEYS, false);
  const detail = pick(fields.messagePath, MESSAGE_KEYS, true) ?? (json === undefined && text.trim() !== '' ? text.trim().slice(0, 500) : undefined);
  return { ...(code !== undefined ? { code } : {}), ...(detail !== undefined ? { detail } : {}) };
}

export type { ErrorAction };
