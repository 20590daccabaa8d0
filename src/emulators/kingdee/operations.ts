import { pick } from './body.ts';
import { STATUS_NAMES } from './forms.ts';
import type { EmuError, EmuSuccess } from './replies.ts';
import type { FormStore, StoredRecord } from './store.ts';

/**
 * Submit / Audit / UnAudit / Delete / ExcuteOperation on existing records (reference §2, §5): addressed by
 * `Numbers` (array) or `Ids` (comma-separated string), answered per DIndex. Lifecycle: A → Submit → B →
 * Audit → C → UnAudit → D → Submit → B …; Delete only before submission (Z, A, D).
 */

export type StatusOp = 'submit' | 'audit' | 'unaudit' | 'delete' | 'forbid' | 'enable';

const OP_NAMES: Record<StatusOp, string> = { submit: '提交', audit: '审核', unaudit: '反审核', delete: '删除', forbid: '禁用', enable: '反禁用' };

const ALLOWED: Record<StatusOp, string[]> = {
  submit: ['A', 'D', 'Z'],
  audit: ['B'],
  unaudit: ['C'],
  delete: ['A', 'D', 'Z'],
  forbid: ['A', 'B', 'C', 'D', 'Z'],
  enable: ['A', 'B', 'C', 'D', 'Z'],
};

export interface OpResult {
  successes: EmuSuccess[];
  errors: EmuError[];
}

/** The records a call addresses, in DIndex order (undefined where nothing matched). */
export function addressed(store: FormStore, data: unknown): { keys: string[]; recs: (StoredRecord | undefined)[] } | undefined {
  const numbers = pick(data, 'Numbers');
  if (Array.isArray(numbers) && numbers.length > 0) {
    const keys = numbers.map(String);
    return { keys, recs: keys.map((n) => store.getByNumber(n)) };
  }
  const ids = pick(data, 'Ids');
  const list = Array.isArray(ids) ? ids.map(String) : typeof ids === 'string' ? ids.split(',') : typeof ids === 'number' ? [String(ids)] : [];
  const keys = list.map((s) => s.trim()).filter(Boolean);
  if (keys.length === 0) return undefined;
  return { keys, recs: keys.map((id) => store.get(Number(id))) };
}

export function applyStatusOp(
  store: FormStore,
  op: StatusOp,
  data: unknown,
  nowMs: number,
  fail?: (dIndex: number) => { code: number; message: string } | undefined,
): OpResult | undefined {
  const target = addressed(store, data);
  if (!target) return undefined;
  const form = store.form;
  const out: OpResult = { successes: [], errors: [] };
  target.recs.forEach((rec, i) => {
    if (!rec) {
      out.errors.push({ FieldName: null, Message: `${form.name}“${target.keys[i]}”不存在，可能已被删除。`, DIndex: i, code: 10 });
      return;
    }
    if (!ALLOWED[op].includes(rec.status)) {
      out.errors.push({
        FieldName: null,
        Message: `${form.numberLabel}为“${rec.number}”的${form.name}当前状态为“${STATUS_NAMES[rec.status] ?? rec.status}”，不能${OP_NAMES[op]}。`,
        DIndex: i,
        code: 12,
      });
      return;
    }
    const injected = fail?.(i);
    if (injected) {
      out.errors.push({ FieldName: null, Message: injected.message, DIndex: i, code: injected.code });
      return;
    }
    switch (op) {
      case 'submit':
        rec.status = 'B';
        break;
      case 'audit':
        rec.status = 'C';
        break;
      case 'unaudit':
        rec.status = 'D';
        break;
      case 'delete':
        store.delete(rec);
        break;
      case 'forbid':
        rec.forbid = 'B';
        break;
      case 'enable':
        rec.forbid = 'A';
        break;
    }
    if (op !== 'delete') store.touch(rec, nowMs);
    out.successes.push({ Id: String(rec.id), Number: rec.number, DIndex: i });
  });
  return out;
}
