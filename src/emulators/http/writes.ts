import type { Collection, Row } from './store.ts';

/**
 * Writes:
 *   POST /batch/{c}          {rows:[…]} (or {items:[…]} or a bare array) → 200 {code:0, results:[{index, ok, id, number, created} |
 *                            {index, ok:false, error:{code, message}}], saved, rejected}; each row stands alone (partial success).
 *   POST /batch/{c}?atomic=1 any bad row → 400 {code:400, message, errors:[{index, code, message}]}, nothing saved.
 *   POST /records/{c}        one record → 201 {code:0, data:{…stored}} (upsert by the unique number) | 422 {error:{code,message}}
 *   PUT  /records/{c}/{id}   update → 200 {code:0, data} | 404 | 422
 *   GET  /records/{c}?number=A,B  → {data:[…]};  GET /records/{c}/{id} → {data} | 404
 * A row is rejected when a required field is empty (default `name`), or when the `reject` hook says so.
 */

export type RejectHook = (row: Row, collection: string) => string | undefined;

export interface WriteRules {
  requiredFields: string[];
  reject?: RejectHook;
}

export interface WriteReply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  saved: number;
  rejected: number;
}

export function checkRow(row: unknown, col: string, rules: WriteRules): string | undefined {
  if (row === null || typeof row !== 'object' || Array.isArray(row)) return 'a row must be a JSON object';
  const r = row as Row;
  for (const f of rules.requiredFields) {
    const v = r[f];
    if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '')) return `${f} is required`;
  }
  return rules.reject?.(r, col);
}

export function batchWrite(col: Collection, body: unknown, atomic: boolean, rules: WriteRules, now: number): WriteReply {
  const rows = Array.isArray(body) ? body : body && typeof body === 'object' ? ((body as Row).rows ?? (body as Row).items) : undefined;
  if (!Array.isArray(rows))
    return { status: 400, body: { code: 400, error: { code: 'BAD_BODY', message: 'body must be {"rows":[…]} or an array' } }, saved: 0, rejected: 0 };
  const problems = rows.map((r) => checkRow(r, col.name, rules));
  if (atomic && problems.some((p) => p !== undefined)) {
    const errors = problems.flatMap((p, index) => (p === undefined ? [] : [{ index, code: 'INVALID_ROW', message: p }]));
    return { status: 400, body: { code: 400, message: `${errors.length} invalid row(s); nothing saved`, errors }, saved: 0, rejected: errors.length };
  }
  let saved = 0;
  const results = rows.map((r: unknown, index) => {
    const p = problems[index];
    if (p !== undefined) return { index, ok: false, error: { code: 'INVALID_ROW', message: p } };
    const { row, created } = col.upsert(r as Row, now);
    saved += 1;
    return { index, ok: true, id: row.id, number: row.number, created };
  });
  return { status: 200, body: { code: 0, results, saved, rejected: rows.length - saved }, saved, rejected: rows.length - saved };
}

export function singleWrite(col: Collection, method: string, id: number | undefined, body: unknown, rules: WriteRules, now: number): WriteReply {
  const problem = checkRow(body, col.name, rules);
  if (problem !== undefined) return { status: 422, body: { code: 422, error: { code: 'INVALID_ROW', message: problem } }, saved: 0, rejected: 1 };
  if (method === 'PUT' || method === 'PATCH') {
    const row = id === undefined ? undefined : col.update(id, body as Row, now);
    if (!row) return { status: 404, body: { code: 404, error: { code: 'NOT_FOUND', message: `no ${col.name} record ${id}` } }, saved: 0, rejected: 0 };
    return { status: 200, body: { code: 0, data: row }, saved: 1, rejected: 0 };
  }
  const { row, created } = col.upsert(body as Row, now);
  return { status: created ? 201 : 200, body: { code: 0, data: row, created }, headers: { location: `/records/${col.name}/${String(row.id)}` }, saved: 1, rejected: 0 };
}

export function findRecords(col: Collection, id: number | undefined, numbers: string | undefined): { status: number; body: unknown } {
  if (id !== undefined) {
    const row = col.get(id);
    return row ? { status: 200, body: { code: 0, data: row } } : { status: 404, body: { code: 404, error: { code: 'NOT_FOUND', message: `no ${col.name} record ${id}` } } };
  }
  const wanted = (numbers ?? '').split(',').filter(Boolean);
  return { status: 200, body: { code: 0, data: wanted.map((n) => col.findByNumber(n)).filter((r) => r !== undefined) } };
}
