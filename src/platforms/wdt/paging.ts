import { createHash } from 'node:crypto';
import type { Cursor, ReadSpec, TimeWindow } from '../../core/contracts/platform.ts';
import type { JsonObject } from '../../core/records.ts';
import { coerceInt } from './envelope.ts';
import { formatBeijingTime } from './beijing-time.ts';

/**
 * WDT paging (wdt-api.md §3, §4): page_no from 0, page_size 1–100, optional start_time/end_time window.
 *
 * Cursor: `{page_no, start_time?, end_time?, read?, total?, cap?, prev_page?}` — JSON, so it can be stored as a checkpoint.
 * `read` counts the records of this read before page_no (absent when unknown: a partition that starts
 * mid-read); `total` is the vendor's total_count as remembered from the pages that sent one.
 * `prev_page` is a fingerprint of the previous page's records, for the guard against a server that ignores
 * page_no and serves the same page again (which would otherwise loop forever or read records twice).
 */

export const MIN_PAGE_SIZE = 1;
export const MAX_PAGE_SIZE = 100;

export interface WdtCursor {
  page_no: number;
  start_time?: string;
  end_time?: string;
  /** True when the window holds no whole second: nothing to ask for. */
  empty?: boolean;
  /** Records read before this page, when known. */
  read?: number;
  /** total_count as remembered from earlier pages (a later page may omit it or say 0). */
  total?: number;
  /** The server's silent page-size cap, as seen on an earlier page that was short and not the end. */
  cap?: number;
  prev_page?: string;
}

/**
 * The vendor interval is closed and in whole seconds (§4); the engine's window is half-open [start, end).
 * Sending [ceil(start), ceil(end) − 1 s] asks for exactly the seconds inside the half-open window, so
 * adjacent windows neither overlap nor leave a gap.
 */
export function windowParams(w: TimeWindow): { start_time: string; end_time: string; empty: boolean } {
  const first = Math.ceil(w.start.getTime() / 1000) * 1000;
  const last = Math.ceil(w.end.getTime() / 1000) * 1000 - 1000;
  return { start_time: formatBeijingTime(first), end_time: formatBeijingTime(Math.max(first, last)), empty: last < first };
}

export function firstCursor(spec: ReadSpec): WdtCursor {
  if (!spec.window) return { page_no: 0 };
  const w = windowParams(spec.window);
  return { page_no: 0, start_time: w.start_time, end_time: w.end_time, ...(w.empty ? { empty: true } : {}) };
}

/** Reads a cursor handed back by the engine; undefined when it is not one of ours. */
export function parseCursor(cursor: Cursor): WdtCursor | undefined {
  const pageNo = coerceInt(cursor.page_no);
  if (pageNo === undefined || pageNo < 0) return undefined;
  const out: WdtCursor = { page_no: pageNo };
  for (const k of ['start_time', 'end_time', 'prev_page'] as const) {
    const v = cursor[k];
    if (v === undefined) continue;
    if (typeof v !== 'string') return undefined;
    out[k] = v;
  }
  for (const k of ['read', 'total', 'cap'] as const) {
    const v = cursor[k];
    if (v === undefined || v === null) continue;
    const n = coerceInt(v);
    if (n === undefined || n < 0) return undefined;
    out[k] = n;
  }
  if (cursor.empty === true) out.empty = true;
  return out;
}

/** Label for SourcePage / refs: `3`, or `<window start>/page 3` for windowed reads. */
export function pageLabel(c: WdtCursor): string {
  return c.start_time ? `${c.start_time}/page ${c.page_no}` : String(c.page_no);
}

/** For messages: `page 3` or `page 3 (window 2025-01-01 00:00:00 – 2025-01-01 00:59:59)`. */
export function pageWhere(c: WdtCursor): string {
  return c.start_time ? `page ${c.page_no} (window ${c.start_time} – ${c.end_time})` : `page ${c.page_no}`;
}

/** Fingerprint of a page: its record ids when every record has one, else the records themselves. */
export function pageFingerprint(records: JsonObject[], idKey: string | undefined): string {
  const ids = idKey ? records.map((r) => r[idKey]) : [];
  const basis = idKey && ids.every((id) => id !== undefined && id !== null) ? ids : records;
  return createHash('sha1').update(JSON.stringify(basis)).digest('hex').slice(0, 16);
}

export type ListResult = { ok: true; records: JsonObject[]; totalCount?: number } | { ok: false; problem: string };

/**
 * Finds the records in a success body. `listKeys` are the candidates (the scheme's listKey, else the API's);
 * with none known, the body's only array is taken. A missing list is accepted only when total_count says 0.
 */
export function extractList(body: JsonObject, listKeys: readonly string[]): ListResult {
  let totalCount: number | undefined;
  if (body.total_count !== undefined && body.total_count !== null && body.total_count !== '') {
    totalCount = coerceInt(body.total_count);
    if (totalCount === undefined || totalCount < 0)
      return { ok: false, problem: `total_count is ${JSON.stringify(body.total_count)}, not a count` };
  }
  let key = listKeys.find((k) => k in body);
  if (key === undefined && listKeys.length === 0) {
    const arrays = Object.keys(body).filter((k) => Array.isArray(body[k]));
    if (arrays.length > 1)
      return { ok: false, problem: `several lists in the response (${arrays.join(', ')}); set listKey in the scheme` };
    key = arrays[0];
  }
  if (key === undefined) {
    if (totalCount === 0) return { ok: true, records: [], totalCount };
    const wanted = listKeys.length > 0 ? listKeys.map((k) => `\`${k}\``).join(' or ') : 'a list';
    return { ok: false, problem: `the response has no ${wanted} (keys: ${Object.keys(body).join(', ') || 'none'})` };
  }
  const list = body[key];
  if (!Array.isArray(list))
    return { ok: false, problem: `\`${key}\` is ${list === null ? 'null' : typeof list}, not a list` };
  for (let i = 0; i < list.length; i++) {
    const item: unknown = list[i];
    if (typeof item !== 'object' || item === null || Array.isArray(item))
      return { ok: false, problem: `\`${key}\`[${i}] is ${item === null ? 'null' : Array.isArray(item) ? 'a list' : typeof item}, not a record` };
  }
  return { ok: true, records: list as JsonObject[], ...(totalCount !== undefined ? { totalCount } : {}) };
}

/**
 * The cursor after a page, or null when the read is complete. What WDT documents is page_no from 0 and
 * page_size 1–100; whether a server caps page_size lower, and whether total_count comes on every page or only
 * on page 0, is not documented (§5, "inconvenient behaviours"), so a short page is no proof of the end:
 * - an empty page ends the read;
 * - with a total_count (remembered from the pages that sent one; a later 0 or absent does not erase it), the
 *   read ends when exactly that many records were read — a short page with fewer read is a capped page;
 * - with no total, or a total the read has already passed (the vendor under-counted), only an empty page
 *   ends it. That costs one call per read without a total, and never loses a page;
 * - a total reached on a FULL page (as many as asked, or as the server's cap seen earlier in the read) is
 *   confirmed by asking for the next page: a total_count smaller than the
 *   truth that happens to fall on a page boundary would otherwise end every read there, silently (found by the
 *   simulation). One more call only when the total is a multiple of the page size.
 */
export function nextCursor(c: WdtCursor, records: JsonObject[], totalCount: number | undefined, fingerprint: string, pageSize: number): WdtCursor | null {
  if (records.length === 0) return null;
  const known = c.read !== undefined || c.page_no === 0;
  const read = (c.read ?? 0) + records.length;
  const total = totalCount !== undefined && totalCount > 0 ? totalCount : c.total;
  // A page is full when it holds what was asked, or as many as the server's silent cap (seen on an earlier page
  // that was short and not the end): under a cap every page is "short".
  const full = records.length >= pageSize || (c.cap !== undefined && records.length >= c.cap);
  if (known && total !== undefined && read === total && !full) return null;
  const cap = records.length < pageSize ? Math.max(c.cap ?? 0, records.length) : c.cap;
  const { empty: _empty, read: _read, total: _total, cap: _cap, ...rest } = c;
  return { ...rest, page_no: c.page_no + 1, ...(known ? { read } : {}), ...(total !== undefined ? { total } : {}), ...(cap !== undefined ? { cap } : {}), prev_page: fingerprint };
}
