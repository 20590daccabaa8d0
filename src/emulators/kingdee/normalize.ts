import type { BaseData } from './base-data.ts';
import { pick, truthy } from './body.ts';
import type { FieldDef } from './forms.ts';

/**
 * Turns one Model value into what the store keeps, the way K3Cloud's WebAPI parses a package field by field
 * (reference §5): references are objects keyed by the referenced number (`{"FNumber":"100"}`, also FNUMBER /
 * FCode / FUserAccount), resolved when `NumberSearch` is on. A reference that does not resolve is an error for
 * organisations and the bill's customer; for other tables it is an error only with IsVerifyBaseDataField,
 * otherwise the field is silently left empty (which the required-field check may then catch).
 */

export interface Problem {
  field: string | null;
  message: string;
  code: number;
}

export interface NormalizeEnv {
  baseData: BaseData;
  verifyBaseData: boolean;
  /** Prefix for messages about entry rows, e.g. `明细信息第2行：`. */
  where: string;
}

export type Normalized = { set: true; value: unknown } | { set: false; problem?: Problem };

const refCache = new Map<string, Readonly<Record<string, string>>>();

/** One shared frozen `{FNumber: x}` per distinct number: a million customers share a handful of org objects. */
export function internRef(number: string): Readonly<Record<string, string>> {
  let r = refCache.get(number);
  if (!r) {
    r = Object.freeze({ FNumber: number });
    if (refCache.size < 100_000) refCache.set(number, r);
  }
  return r;
}

const REF_KEYS = ['FNumber', 'FCode', 'FUserAccount', 'FUserID', 'FName', 'Number'];

export function refNumber(v: unknown): string | undefined {
  for (const k of REF_KEYS) {
    const x = pick(v, k);
    if (typeof x === 'string' || typeof x === 'number') return String(x).trim();
  }
  return undefined;
}

export function normalizeValue(def: FieldDef, value: unknown, env: NormalizeEnv): Normalized {
  const problem = (message: string, code = 11): Normalized => ({ set: false, problem: { field: def.key, message: `${env.where}${message}`, code } });
  if (value === null || value === undefined) return { set: false };
  switch (def.kind) {
    case 'text':
      return { set: true, value: typeof value === 'object' ? JSON.stringify(value) : String(value) };
    case 'lang': {
      if (Array.isArray(value)) {
        const zh = value.find((x) => String(pick(x, 'Key')) === '2052') ?? value[0];
        return { set: true, value: String(pick(zh, 'Value') ?? '') };
      }
      return { set: true, value: String(value) };
    }
    case 'number': {
      if (value === '') return { set: false };
      const n = Number(value);
      return Number.isFinite(n) ? { set: true, value: n } : problem(`“${def.label}”的值“${String(value)}”不是有效的数值。`);
    }
    case 'bool':
      return { set: true, value: truthy(value, false) };
    case 'date': {
      const t = String(value).trim();
      const m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?/.exec(t);
      if (!m) return problem(`“${def.label}”的值“${t}”不是有效的日期。`);
      const p2 = (x: string | undefined) => (x ?? '0').padStart(2, '0');
      return { set: true, value: `${m[1]}-${p2(m[2])}-${p2(m[3])}T${p2(m[4])}:${p2(m[5])}:${p2(m[6])}` };
    }
    case 'object':
      return typeof value === 'object' && !Array.isArray(value) ? { set: true, value: { ...(value as object) } } : problem(`“${def.label}”应为对象。`, 8);
    case 'entry':
      return problem(`“${def.label}”应为数组。`, 8);
    case 'ref': {
      if (typeof value !== 'object' || Array.isArray(value)) {
        return problem(`“${def.label}”是基础资料字段，应传入对象，如 {"FNumber":"${String(value)}"}。`, 8);
      }
      const number = refNumber(value);
      if (!number) return { set: false };
      if (!def.table || !env.baseData.knows(def.table)) return { set: true, value: internRef(number) };
      if (env.baseData.resolve(def.table, number)) return { set: true, value: internRef(number) };
      if (def.alwaysVerify || env.verifyBaseData) {
        return problem(`字段“${def.label}”(${def.key})的值“${number}”在系统中不存在或未审核。`);
      }
      return { set: false };
    }
  }
}

export function isEmpty(v: unknown): boolean {
  return v === undefined || v === null || v === '';
}
