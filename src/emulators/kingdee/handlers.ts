import type { BaseData } from './base-data.ts';
import { pick, truthy } from './body.ts';
import { findForm } from './forms.ts';
import { applyStatusOp } from './operations.ts';
import type { StatusOp } from './operations.ts';
import { resolveKey, runQuery } from './query.ts';
import { failure, queryFailure, responseStatus } from './replies.ts';
import type { EmuError, EmuSuccess } from './replies.ts';
import { savePackage } from './save.ts';
import type { FormStore, StoredRecord } from './store.ts';
import { findForView, viewObject } from './view.ts';

/**
 * DynamicFormService operations: from decoded arguments to the reply body (reference §2, §4).
 * Business errors are HTTP 200 bodies; the caller turns the result into a response.
 */

export interface FormState {
  stores: Map<string, FormStore>;
  baseData: BaseData;
  now: () => number;
  tzOffsetMinutes: number;
  counters: { created: Record<string, number>; updated: Record<string, number>; deleted: Record<string, number>; rejectedRows: number };
}

const QUERY_METHODS = new Set(['executebillquery', 'billquery']);

export function isQueryMethod(method: string): boolean {
  return QUERY_METHODS.has(method);
}

function bump(rec: Record<string, number>, formId: string, n = 1): void {
  rec[formId] = (rec[formId] ?? 0) + n;
}

/** Fault `rowFail`: the rows at DIndex % rows === 0 of a status operation fail with this message. */
export interface RowFailure {
  rows: number;
  msgCode: number;
  message?: string | undefined;
}

export function handleFormCall(method: string, args: Map<string, unknown>, st: FormState, rowFail?: RowFailure, autoAuditFail?: RowFailure): unknown {
  const data = args.get('data') ?? {};
  const formId = String((QUERY_METHODS.has(method) ? pick(data, 'FormId') : args.get('formid')) ?? '').trim();
  const store = st.stores.get(findForm(formId)?.formId ?? '');
  if (!store) {
    const message = formId ? `业务对象不存在：${formId}` : '参数错误：FormId 不能为空。';
    return QUERY_METHODS.has(method) ? queryFailure(formId ? 4 : 8, message) : failure(formId ? 4 : 8, message);
  }
  switch (method) {
    case 'save':
    case 'batchsave':
    case 'draft':
      return save(method, store, data, st, autoAuditFail);
    case 'submit':
    case 'audit':
    case 'unaudit':
    case 'delete':
      return statusOp(store, method, data, st, rowFail);
    case 'excuteoperation': {
      const op = String(args.get('opnumber') ?? '').toLowerCase();
      const known: Record<string, StatusOp> = { forbid: 'forbid', enable: 'enable', submit: 'submit', audit: 'audit', unaudit: 'unaudit', delete: 'delete' };
      const mapped = known[op];
      return mapped ? statusOp(store, mapped, data, st, rowFail) : failure(3, `操作代码“${op}”不存在或模拟器未实现。`);
    }
    case 'view': {
      const rec = findForView(store, data);
      if (!rec) return { Result: { ResponseStatus: responseStatus([], [{ FieldName: null, Message: `${store.form.name}不存在。`, DIndex: 0, code: 10 }]), Result: null } };
      return { Result: { ResponseStatus: responseStatus([], []), Result: viewObject(store, rec, st.baseData, st.tzOffsetMinutes) } };
    }
    case 'executebillquery':
    case 'billquery': {
      const r = runQuery(store, data, { baseData: st.baseData, tzOffsetMinutes: st.tzOffsetMinutes });
      if (!r.ok) return method === 'billquery' ? failure(r.code, r.message) : queryFailure(r.code, r.message);
      if (method === 'executebillquery') return r.rows;
      return r.rows.map((row) => Object.fromEntries(r.keys.map((k, i) => [k, row[i]])));
    }
    default:
      return undefined;
  }
}

/** Fault `autoAuditFail`: the rows at DIndex % rows === 0 are saved, their auto submit/audit fails, and they are answered in Errors only. */
function save(method: string, store: FormStore, data: unknown, st: FormState, autoAuditFail?: RowFailure): unknown {
  const model = pick(data, 'Model');
  const batch = method === 'batchsave';
  if (batch && !Array.isArray(model)) return failure(8, 'BatchSave 的 Model 应为数组。');
  if (!batch && (typeof model !== 'object' || model === null || Array.isArray(model))) {
    return failure(8, `${method === 'draft' ? 'Draft' : 'Save'} 的 Model 应为对象（批量请用 BatchSave）。`);
  }
  const nuf = pick(data, 'NeedUpDateFields');
  const opts = {
    verifyBaseData: truthy(pick(data, 'IsVerifyBaseDataField'), false),
    autoAudit: method !== 'draft' && truthy(pick(data, 'IsAutoSubmitAndAudit'), false),
    draft: method === 'draft',
    needUpdateFields: Array.isArray(nuf) && nuf.length > 0 ? new Set(nuf.map((x) => String(x).toLowerCase())) : undefined,
    isDeleteEntry: truthy(pick(data, 'IsDeleteEntry'), true),
    baseData: st.baseData,
    nowMs: st.now(),
  };
  const packages = batch ? (model as unknown[]) : [model];
  const successes: EmuSuccess[] = [];
  const errors: EmuError[] = [];
  const saved: StoredRecord[] = [];
  packages.forEach((pkg, i) => {
    const auditFails = opts.autoAudit && autoAuditFail !== undefined && i % Math.max(1, autoAuditFail.rows) === 0;
    const r = savePackage(store, pkg, auditFails ? { ...opts, autoAudit: false } : opts);
    if (r.ok && auditFails) {
      bump(r.created ? st.counters.created : st.counters.updated, store.form.formId);
      const message = autoAuditFail.message ?? `${store.form.numberLabel}为“${r.rec.number}”的${store.form.name}提交审核失败：审批流程异常，请检查工作流配置。`;
      errors.push({ FieldName: null, Message: message, DIndex: i, code: autoAuditFail.msgCode });
    } else if (r.ok) {
      successes.push({ Id: String(r.rec.id), Number: r.rec.number, DIndex: i });
      saved.push(r.rec);
      bump(r.created ? st.counters.created : st.counters.updated, store.form.formId);
    } else {
      st.counters.rejectedRows++;
      for (const p of r.problems) errors.push({ FieldName: p.field, Message: p.message, DIndex: i, code: p.code });
    }
  });
  const needReturn = needReturnData(store, pick(data, 'NeedReturnFields'), saved, st);
  const status = responseStatus(successes, errors);
  if (batch) return { Result: { ResponseStatus: status, NeedReturnData: needReturn } };
  const rec = saved[0];
  return { Result: { ResponseStatus: status, Id: rec ? rec.id : '', Number: rec ? rec.number : '', NeedReturnData: needReturn } };
}

function needReturnData(store: FormStore, fields: unknown, saved: StoredRecord[], st: FormState): Record<string, unknown>[] {
  if (!Array.isArray(fields) || fields.length === 0) return [];
  const env = { baseData: st.baseData, tzOffsetMinutes: st.tzOffsetMinutes };
  const getters = fields.map((f) => [String(f), resolveKey(store, String(f), env)] as const);
  return saved.map((rec) => {
    const o: Record<string, unknown> = { [store.form.idKey]: rec.id };
    for (const [k, g] of getters) if (g && !g.entry) o[k] = g.get(rec, undefined, 0);
    return o;
  });
}

function statusOp(store: FormStore, op: StatusOp, data: unknown, st: FormState, rowFail?: RowFailure): unknown {
  const fail = rowFail
    ? (i: number) => (i % Math.max(1, rowFail.rows) === 0 ? { code: rowFail.msgCode, message: rowFail.message ?? '网络控制冲突：该数据正被其他用户操作，请稍后再试。' } : undefined)
    : undefined;
  const r = applyStatusOp(store, op, data, st.now(), fail);
  if (!r) return failure(5, '单据内码或编码为空：请传入 Numbers 或 Ids。');
  if (op === 'delete') bump(st.counters.deleted, store.form.formId, r.successes.length);
  return { Result: { ResponseStatus: responseStatus(r.successes, r.errors) } };
}
