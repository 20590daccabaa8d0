import type { Collection, Row } from './store.ts';

/**
 * Paged reads, one paging style per path prefix (the same collection behind each):
 *   /pages/{c}    ?page=1&page_size=20     → {code:0, data:{items,total,page,page_size,pages}}
 *   /offsets/{c}  ?offset=0&limit=20       → {items,total,offset,limit}
 *   /cursors/{c}  ?cursor=…&limit=20       → {items,next_cursor,has_more} and header X-Next-Cursor
 *   /links/{c}    ?page=1&per_page=20      → [records] with Link: <…>; rel="next", <…>; rel="last"
 *   /nexturl/{c}  ?page=1&per_page=20      → {results, next: absolute URL | null}
 * Parameters come from the query string, or a JSON body for POST. Filters: updated_from (inclusive) and
 * updated_to (exclusive) on updated_at — ISO 8601, epoch seconds/ms, or `yyyy-MM-dd HH:mm:ss` in the
 * emulator's zone — and equality on any other parameter named like a record field.
 */

export type Params = Record<string, unknown>;
export interface ReadReply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

const PAGING_KEYS = new Set(['page', 'page_size', 'per_page', 'offset', 'limit', 'cursor', 'updated_from', 'updated_to']);

export function parseTime(v: unknown, zoneOffsetMinutes: number): number | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  const s = String(v).trim();
  if (/^\d{13}$/.test(s)) return Number(s);
  if (/^\d{9,10}$/.test(s)) return Number(s) * 1000;
  const local = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/.exec(s);
  if (local) return Date.UTC(+local[1]!, +local[2]! - 1, +local[3]!, +local[4]!, +local[5]!, +local[6]!) - zoneOffsetMinutes * 60_000;
  const t = Date.parse(s);
  return Number.isNaN(t) ? Number.NaN : t;
}

export function select(col: Collection, p: Params, zone: number): Row[] | string {
  const from = parseTime(p.updated_from, zone);
  const to = parseTime(p.updated_to, zone);
  if (Number.isNaN(from) || Number.isNaN(to)) return 'updated_from/updated_to must be ISO 8601, epoch or yyyy-MM-dd HH:mm:ss';
  const filters = Object.entries(p).filter(([k, v]) => !PAGING_KEYS.has(k) && v !== undefined && v !== '' && col.all()[0] !== undefined && k in col.all()[0]!);
  return col.all().filter((r) => {
    if (from !== undefined || to !== undefined) {
      const t = Date.parse(String(r.updated_at));
      if (from !== undefined && t < from) return false;
      if (to !== undefined && t >= to) return false;
    }
    return filters.every(([k, v]) => String(r[k]) === String(v));
  });
}

function int(v: unknown, dflt: number, min: number): number | undefined {
  if (v === undefined || v === null || v === '') return dflt;
  const n = Number(v);
  return Number.isInteger(n) && n >= min ? n : undefined;
}

const bad = (message: string): ReadReply => ({ status: 400, body: { code: 400, error: { code: 'BAD_PARAM', message } } });

export function encodeCursor(afterId: number): string {
  return Buffer.from(JSON.stringify({ after: afterId })).toString('base64url');
}

function decodeCursor(c: string): number | undefined {
  try {
    const v = JSON.parse(Buffer.from(c, 'base64url').toString('utf8')) as { after?: unknown };
    return typeof v.after === 'number' ? v.after : undefined;
  } catch {
    return undefined;
  }
}

export function readPage(style: string, col: Collection, p: Params, self: URL, maxPageSize: number, zone: number): ReadReply {
  const rows = select(col, p, zone);
  if (typeof rows === 'string') return bad(rows);
  const clamp = (n: number) => Math.min(n, maxPageSize);
  switch (style) {
    case 'pages': {
      const page = int(p.page, 1, 1);
      const size = int(p.page_size, 20, 1);
      if (page === undefined || size === undefined) return bad('page and page_size must be positive integers');
      const s = clamp(size);
      const items = rows.slice((page - 1) * s, page * s);
      return { status: 200, body: { code: 0, message: 'ok', data: { items, total: rows.length, page, page_size: s, pages: Math.ceil(rows.length / s) } } };
    }
    case 'offsets': {
      const offset = int(p.offset, 0, 0);
      const limit = int(p.limit, 20, 1);
      if (offset === undefined || limit === undefined) return bad('offset must be ≥ 0 and limit ≥ 1');
      return { status: 200, body: { items: rows.slice(offset, offset + clamp(limit)), total: rows.length, offset, limit: clamp(limit) } };
    }
    case 'cursors': {
      const limit = int(p.limit, 20, 1);
      if (limit === undefined) return bad('limit must be a positive integer');
      let after = 0;
      if (p.cursor !== undefined && p.cursor !== '') {
        const a = decodeCursor(String(p.cursor));
        if (a === undefined) return bad('cursor is not one this server issued');
        after = a;
      }
      const start = rows.findIndex((r) => (r.id as number) > after);
      const items = start < 0 ? [] : rows.slice(start, start + clamp(limit));
      const more = start >= 0 && start + items.length < rows.length;
      const next = more ? encodeCursor(items.at(-1)!.id as number) : null;
      return { status: 200, body: { items, next_cursor: next, has_more: more }, headers: next ? { 'x-next-cursor': next } : {} };
    }
    case 'links':
    case 'nexturl': {
      const page = int(p.page, 1, 1);
      const size = int(p.per_page, 20, 1);
      if (page === undefined || size === undefined) return bad('page and per_page must be positive integers');
      const s = clamp(size);
      const items = rows.slice((page - 1) * s, page * s);
      const last = Math.max(1, Math.ceil(rows.length / s));
      const at = (n: number) => {
        const u = new URL(self);
        u.searchParams.set('page', String(n));
        u.searchParams.set('per_page', String(s));
        return u.toString();
      };
      if (style === 'nexturl') return { status: 200, body: { results: items, count: rows.length, next: page < last ? at(page + 1) : null } };
      const links = [...(page < last ? [`<${at(page + 1)}>; rel="next"`] : []), `<${at(last)}>; rel="last"`, `<${at(1)}>; rel="first"`];
      return { status: 200, body: items, headers: { link: links.join(', '), 'x-total-count': String(rows.length) } };
    }
    default:
      return { status: 404, body: { error: { code: 'NOT_FOUND', message: `no paging style "${style}"` } } };
  }
}
