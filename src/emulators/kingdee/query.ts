import type { BaseData } from './base-data.ts';
import { pick } from './body.ts';
import { compareValues, evaluate, fieldsOf, FilterError, indexHint, parseFilter } from './filter.ts';
import { fieldIndex } from './forms.ts';
import type { FieldDef } from './forms.ts';
import { refNumber } from './normalize.ts';
import { storedTimeText } from './store.ts';
import type { FormStore, StoredRecord } from './store.ts';

/**
 * ExecuteBillQuery / BillQuery (reference §2, §4): FieldKeys (header, `Ref.FNumber`/`Ref.FName`, entry fields,
 * `<Entry>_FEntryId`/`<Entry>_FSeq`, the master key, FDocumentStatus/FForbidStatus/FCreateDate/FModifyDate),
 * FilterString, OrderString, TopRowCount (absolute cut-off applied before StartRow/Limit), StartRow, Limit.
 * Choice for open question §8.6: Limit 0/absent means "no explicit limit", but no page exceeds the documented
 * maximum of 10000 rows. Requesting an entry field returns one row per entry line.
 */

export const MAX_ROWS = 10000;

export interface QueryEnv {
  baseData: BaseData;
  tzOffsetMinutes: number;
}

type Getter = { entry: boolean; get: (rec: StoredRecord, row: Record<string, unknown> | undefined, seq: number) => unknown };

export type QueryResult = { ok: true; keys: string[]; rows: unknown[][] } | { ok: false; code: number; message: string };

function refValue(def: FieldDef, v: unknown, sub: string | undefined, env: QueryEnv): unknown {
  const number = v === undefined || v === null ? undefined : refNumber(v);
  if (sub === 'fnumber' || sub === 'fcode') return number ?? null;
  const entry = number !== undefined && def.table ? env.baseData.resolve(def.table, number) : undefined;
  if (sub === 'fname') return entry?.name ?? null;
  if (sub !== undefined) return null;
  return entry?.id ?? 0;
}

function plain(def: FieldDef, v: unknown): unknown {
  if (v !== undefined && v !== null) return v;
  return def.kind === 'number' ? 0 : def.kind === 'bool' ? false : def.kind === 'date' ? null : '';
}

export function resolveKey(store: FormStore, key: string, env: QueryEnv): Getter | undefined {
  const form = store.form;
  const idx = fieldIndex(form);
  const lower = key.trim().toLowerCase();
  if (lower === form.idKey.toLowerCase()) return { entry: false, get: (r) => r.id };
  if (lower === form.numberKey.toLowerCase()) return { entry: false, get: (r) => r.number };
  if (lower === 'fdocumentstatus') return { entry: false, get: (r) => r.status };
  if (lower === 'fforbidstatus') return { entry: false, get: (r) => r.forbid };
  if (lower === 'fcreatedate') return { entry: false, get: (r) => storedTimeText(r.created, env.tzOffsetMinutes) };
  if (lower === 'fmodifydate') return { entry: false, get: (r) => storedTimeText(r.modified, env.tzOffsetMinutes) };
  if (lower.startsWith('f_')) return { entry: false, get: (r) => pick(r.fields, key.trim()) ?? null };
  const e = idx.entry;
  if (e) {
    const ek = e.def.key.toLowerCase();
    if (lower === `${ek}_fentryid`) return { entry: true, get: (_r, row) => row?.FEntryID ?? 0 };
    if (lower === `${ek}_fseq`) return { entry: true, get: (_r, row, seq) => (row ? seq : 0) };
  }
  const [head = '', sub, more] = lower.split('.');
  if (more !== undefined) return undefined;
  const h = idx.header.get(head);
  if (h && h.kind !== 'entry' && h.kind !== 'object') {
    if (h.kind === 'ref') return { entry: false, get: (r) => refValue(h, r.fields[h.key], sub, env) };
    return sub === undefined ? { entry: false, get: (r) => plain(h, r.fields[h.key]) } : undefined;
  }
  const c = e?.children.get(head);
  if (c) {
    if (c.kind === 'ref') return { entry: true, get: (_r, row) => refValue(c, row?.[c.key], sub, env) };
    return sub === undefined ? { entry: true, get: (_r, row) => plain(c, row?.[c.key]) } : undefined;
  }
  return undefined;
}

function int(v: unknown): number {
  const n = Number(v ?? 0);
  return Number.isFinite(n) && n > 0 ? Math.floor(n) : 0;
}

export function runQuery(store: FormStore, data: unknown, env: QueryEnv): QueryResult {
  const fieldKeysRaw = pick(data, 'FieldKeys');
  const keys = (Array.isArray(fieldKeysRaw) ? fieldKeysRaw.map(String) : String(fieldKeysRaw ?? '').split(','))
    .map((s) => s.trim())
    .filter(Boolean);
  if (keys.length === 0) return { ok: false, code: 8, message: '参数错误：FieldKeys 不能为空。' };
  const filterRaw = pick(data, 'FilterString');
  if (Array.isArray(filterRaw) && filterRaw.length > 0) {
    return { ok: false, code: 4, message: '模拟器只支持字符串形式的 FilterString（数组形式未实现）。' };
  }
  let filter;
  try {
    filter = typeof filterRaw === 'string' ? parseFilter(filterRaw) : undefined;
  } catch (err) {
    return { ok: false, code: 4, message: `过滤条件错误：${err instanceof FilterError ? err.message : String(err)}` };
  }
  const order = String(pick(data, 'OrderString') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const [k = '', dir = 'asc'] = s.split(/\s+/);
      return { key: k, desc: dir.toLowerCase() === 'desc' };
    });
  const getters = new Map<string, Getter>();
  for (const k of [...keys, ...fieldsOf(filter), ...order.map((o) => o.key)]) {
    if (getters.has(k.toLowerCase())) continue;
    const g = resolveKey(store, k, env);
    if (!g) return { ok: false, code: 9, message: `字段“${k}”在表单“${store.form.formId}”中不存在。` };
    getters.set(k.toLowerCase(), g);
  }
  const useEntries = [...getters.values()].some((g) => g.entry);
  const entryKey = fieldIndex(store.form).entry?.def.key;
  const top = int(pick(data, 'TopRowCount'));
  const start = int(pick(data, 'StartRow'));
  const limit = Math.min(int(pick(data, 'Limit')) || MAX_ROWS, MAX_ROWS);
  const end = Math.min(top > 0 ? top : Infinity, start + limit);

  const hint = indexHint(filter, store.form.numberKey);
  const idHint = hint ? undefined : indexHint(filter, store.form.idKey);
  const candidates: Iterable<StoredRecord> = hint
    ? uniqueById(hint.map((n) => store.getByNumber(String(n))))
    : idHint
      ? uniqueById(idHint.map((n) => store.get(Number(n))))
      : store.values();

  type Hit = { rec: StoredRecord; row: Record<string, unknown> | undefined; seq: number };
  const hits: Hit[] = [];
  let matched = 0;
  const sorting = order.length > 0;
  outer: for (const rec of candidates) {
    const lines = useEntries && entryKey && Array.isArray(rec.fields[entryKey]) && (rec.fields[entryKey] as unknown[]).length > 0
      ? (rec.fields[entryKey] as Record<string, unknown>[])
      : [undefined];
    for (let i = 0; i < lines.length; i++) {
      const row = lines[i];
      const get = (k: string) => (getters.get(k.toLowerCase()) as Getter).get(rec, row, i + 1);
      if (filter && !evaluate(filter, get)) continue;
      if (!sorting) {
        if (matched >= start) hits.push({ rec, row, seq: i + 1 });
        matched++;
        if (matched >= end) break outer;
      } else hits.push({ rec, row, seq: i + 1 });
    }
  }
  let page = hits;
  if (sorting) {
    const gs = order.map((o) => ({ g: getters.get(o.key.toLowerCase()) as Getter, desc: o.desc }));
    hits.sort((a, b) => {
      for (const { g, desc } of gs) {
        const c = compareValues(g.get(a.rec, a.row, a.seq), g.get(b.rec, b.row, b.seq)) ?? 0;
        if (c !== 0) return desc ? -c : c;
      }
      return a.rec.id - b.rec.id || a.seq - b.seq;
    });
    page = hits.slice(0, Math.min(hits.length, end)).slice(start);
  }
  const out = page.map((h) => keys.map((k) => (getters.get(k.toLowerCase()) as Getter).get(h.rec, h.row, h.seq) ?? null));
  return { ok: true, keys, rows: out };
}

function uniqueById(list: (StoredRecord | undefined)[]): StoredRecord[] {
  const m = new Map<number, StoredRecord>();
  for (const r of list) if (r) m.set(r.id, r);
  return [...m.values()].sort((a, b) => a.id - b.id);
}
