import type { EmulatedApi } from './api-table.ts';
import type { Dataset, Filters, Query, Rec } from './dataset.ts';
import { parseBeijing } from './beijing-time.ts';

/**
 * The business side of a list call: paging, time window and filters, shared by both transports.
 * Errors are the vendor's application errors (code 100 with the qjb-style messages, wdt-api.md §5).
 */

export const CODE_APP_ERROR = 100;

/** Keys that are not business filters. */
const NON_FILTER_KEYS = new Set([
  'sid', 'appkey', 'timestamp', 'sign', 'page_no', 'page_size', 'start_time', 'end_time', 'method', 'app_key',
  'target_app_key', 'format', 'v', 'sign_method', 'customerid', 'customerId', 'session', 'partner_id',
  'simplify', 'is_by_modified',
]);

export interface QueryOptions {
  pageSizeOutOfRange: 'reject' | 'clamp';
  /** Silent cap on the records of a page (offsets are counted in served pages, as a server's LIMIT/OFFSET would). */
  maxPageSize?: number | undefined;
  /** Which page is really served when page `pageNo` is asked for (page faults). */
  servePage?: (pageNo: number) => number;
}

export type QueryResult =
  | { ok: true; records: Rec[]; total: number; pageNo: number; pageSize: number; ids: number[] }
  | { ok: false; code: number; message: string };

function fail(message: string): QueryResult {
  return { ok: false, code: CODE_APP_ERROR, message };
}

function intParam(value: string | undefined, fallback: number): number | undefined {
  if (value === undefined || value === '') return fallback;
  return /^-?\d+$/.test(value.trim()) ? Number(value) : undefined;
}

export function runQuery(api: EmulatedApi, params: Record<string, string>, ds: Dataset, opts: QueryOptions): QueryResult {
  const pageNo = intParam(params.page_no, 0);
  if (pageNo === undefined || pageNo < 0) return fail(`page_no参数错误: ${params.page_no}`);
  let pageSize = intParam(params.page_size, api.defaultPageSize);
  if (pageSize === undefined) return fail(`page_size参数错误: ${params.page_size}`);
  if (pageSize < 1 || pageSize > 100) {
    if (opts.pageSizeOutOfRange === 'reject') return fail(`page_size超出范围,取值范围1-100: ${pageSize}`);
    pageSize = Math.min(100, Math.max(1, pageSize));
  }

  const filters: Filters = {};
  for (const [k, v] of Object.entries(params)) if (!NON_FILTER_KEYS.has(k) && v !== '') filters[k] = v;

  const q: Query = { filters };
  const hasStart = params.start_time !== undefined && params.start_time !== '';
  const hasEnd = params.end_time !== undefined && params.end_time !== '';
  const exempt = api.windowRequiredUnless?.some((k) => filters[k] !== undefined) ?? false;
  if (api.maxSpan && !exempt) {
    if (!hasStart || !hasEnd) return fail('参数中必须包含起止时间');
  }
  if (api.maxSpan && hasStart && hasEnd) {
    const from = parseBeijing(params.start_time!);
    const to = parseBeijing(params.end_time!);
    if (from === undefined || to === undefined) return fail('时间格式错误,应为yyyy-MM-dd HH:mm:ss');
    if (to < from) return fail('结束时间不能早于开始时间');
    if (to - from > api.maxSpan.ms) return fail(api.maxSpan.message);
    q.window = { key: api.windowKey(params), from, to };
  }

  if (opts.maxPageSize !== undefined && pageSize > opts.maxPageSize) pageSize = opts.maxPageSize;
  const view = ds.view(q);
  const start = (opts.servePage ? opts.servePage(pageNo) : pageNo) * pageSize;
  const ids: number[] = [];
  const records: Rec[] = [];
  for (let k = start; k < Math.min(view.length, start + pageSize); k++) {
    const i = view[k]!;
    ids.push(i + 1);
    records.push(ds.get(i));
  }
  return { ok: true, records, total: view.length, pageNo, pageSize, ids };
}

/** Converts every number of a record to text (`numbers: 'string'`, as in the live-captured responses, §1.4). */
export function numbersAsStrings(value: unknown): unknown {
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toFixed(4);
  if (Array.isArray(value)) return value.map(numbersAsStrings);
  if (value && typeof value === 'object') {
    const out: Rec = {};
    for (const [k, v] of Object.entries(value)) out[k] = numbersAsStrings(v);
    return out;
  }
  return value;
}

export function omitKeys(rec: Rec, keys: readonly string[] | undefined): Rec {
  if (!keys || keys.length === 0) return rec;
  const out: Rec = { ...rec };
  for (const k of keys) delete out[k];
  return out;
}
