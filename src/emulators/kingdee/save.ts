import type { BaseData } from './base-data.ts';
import { pick } from './body.ts';
import { fieldIndex, STATUS_NAMES } from './forms.ts';
import type { FieldDef } from './forms.ts';
import { isEmpty, normalizeValue } from './normalize.ts';
import type { Problem } from './normalize.ts';
import type { FormStore, StoredRecord } from './store.ts';

/**
 * Save of one package (reference §2, §5, §6):
 * - master key 0/absent creates; a key of an existing record updates it (a missing record is an error);
 * - with NeedUpDateFields only those keys change; without it the record is replaced by the Model (fields not
 *   sent are cleared — the reason integrators send NeedUpDateFields);
 * - IsDeleteEntry (default true) deletes entry rows the update does not send; rows with a known FEntryID change;
 * - numbers are unique (MsgCode 11, `违反字段唯一性要求…`); a new record without a number gets one;
 * - submitted or audited records cannot be changed (UnAudit first);
 * - Draft skips the required-field checks and leaves status Z; IsAutoSubmitAndAudit ends in C.
 */

export interface SaveOptions {
  verifyBaseData: boolean;
  autoAudit: boolean;
  draft: boolean;
  needUpdateFields: Set<string> | undefined;
  isDeleteEntry: boolean;
  baseData: BaseData;
  nowMs: number;
}

export type SaveResult = { ok: true; rec: StoredRecord; created: boolean } | { ok: false; problems: Problem[] };

export function savePackage(store: FormStore, model: unknown, o: SaveOptions): SaveResult {
  const form = store.form;
  if (typeof model !== 'object' || model === null || Array.isArray(model)) {
    return { ok: false, problems: [{ field: null, message: 'Model 数据包格式不正确，应为对象。', code: 8 }] };
  }
  const m = model as Record<string, unknown>;
  const idx = fieldIndex(form);
  const idRaw = Number(pick(m, form.idKey) ?? 0);
  const problems: Problem[] = [];
  let rec: StoredRecord | undefined;
  if (Number.isFinite(idRaw) && idRaw > 0) {
    rec = store.get(idRaw);
    if (!rec) return { ok: false, problems: [{ field: form.idKey, message: `${form.name}内码“${idRaw}”对应的数据不存在，可能已被删除。`, code: 11 }] };
    if (rec.status === 'B' || rec.status === 'C') {
      const message = `${form.numberLabel}为“${rec.number}”的${form.name}当前状态为“${STATUS_NAMES[rec.status]}”，不允许修改，请先反审核。`;
      return { ok: false, problems: [{ field: null, message, code: 11 }] };
    }
  }
  const update = rec !== undefined;
  const partial = update && o.needUpdateFields !== undefined && o.needUpdateFields.size > 0;
  const fields: Record<string, unknown> = partial && rec ? { ...rec.fields } : {};
  if (update && rec && !partial) {
    // Entries follow IsDeleteEntry even on a full replace, so keep them for the merge below.
    for (const [k, v] of Object.entries(rec.fields)) if (Array.isArray(v)) fields[k] = v;
  }
  const env = { baseData: o.baseData, verifyBaseData: o.verifyBaseData, where: '' };
  let number: string | undefined;
  const numberLower = form.numberKey.toLowerCase();
  for (const [key, value] of Object.entries(m)) {
    const lower = key.toLowerCase();
    if (lower === form.idKey.toLowerCase()) continue;
    if (partial && !o.needUpdateFields?.has(lower)) continue;
    if (lower === numberLower) {
      if (!isEmpty(value)) number = String(value).trim();
      continue;
    }
    const def = idx.header.get(lower);
    if (!def) {
      if (lower.startsWith('f_')) fields[key] = value; // custom fields F_<prefix>_… are kept as sent
      continue; // unknown keys are ignored, as the server does
    }
    if (def.kind === 'entry') {
      const rows = entryRows(store, def, value, rec?.fields[def.key], o, problems);
      if (rows) fields[def.key] = rows;
      continue;
    }
    const n = normalizeValue(def, value, env);
    if (n.set) fields[def.key] = n.value;
    else {
      delete fields[def.key];
      if (n.problem) problems.push(n.problem);
    }
  }
  if (!o.draft) {
    for (const def of idx.header.values()) {
      if (!def.required) continue;
      const v = fields[def.key];
      if (isEmpty(v) || (def.kind === 'entry' && Array.isArray(v) && v.length === 0)) {
        if (!problems.some((p) => p.field === def.key)) problems.push({ field: def.key, message: `“${def.label}”是必填项。`, code: 11 });
      }
    }
  }
  const finalNumber = number ?? rec?.number ?? store.generateNumber();
  const holder = store.getByNumber(finalNumber);
  if (holder && holder.id !== rec?.id) {
    problems.push({
      field: form.numberKey,
      message: `违反字段唯一性要求：${form.numberLabel}唯一。[${finalNumber}]在当前系统中已经被使用。`,
      code: 11,
    });
  }
  if (problems.length > 0) return { ok: false, problems };

  const status = o.draft ? 'Z' : o.autoAudit ? 'C' : undefined;
  if (rec) {
    rec.fields = fields;
    if (finalNumber !== rec.number) store.renumber(rec, finalNumber);
    if (status) rec.status = status;
    store.touch(rec, o.nowMs);
    return { ok: true, rec, created: false };
  }
  return { ok: true, rec: store.insert(finalNumber, fields, status ?? 'A', o.nowMs), created: true };
}

type Row = Record<string, unknown>;

/** Entry rows after an update: sent rows (merged by FEntryID), plus, with IsDeleteEntry false, the rows not sent. */
function entryRows(store: FormStore, def: FieldDef, value: unknown, existing: unknown, o: SaveOptions, problems: Problem[]): Row[] | undefined {
  if (!Array.isArray(value)) {
    problems.push({ field: def.key, message: `“${def.label}”应为数组。`, code: 8 });
    return undefined;
  }
  const old = Array.isArray(existing) ? (existing as Row[]) : [];
  const oldById = new Map(old.map((r) => [Number(r.FEntryID), r]));
  const children = def.children ? new Map(def.children.map((c) => [c.key.toLowerCase(), c])) : undefined;
  const sent: Row[] = [];
  value.forEach((raw, i) => {
    if (typeof raw !== 'object' || raw === null) return;
    const entryId = Number(pick(raw, 'FEntryID') ?? 0);
    const base = entryId > 0 ? oldById.get(entryId) : undefined;
    const row: Row = base ? { ...base } : { FEntryID: store.nextEntryId() };
    const env = { baseData: o.baseData, verifyBaseData: o.verifyBaseData, where: `${def.label}第${i + 1}行：` };
    for (const [k, v] of Object.entries(raw as Row)) {
      const lower = k.toLowerCase();
      if (lower === 'fentryid') continue;
      if (!children) {
        row[k] = v;
        continue;
      }
      const c = children.get(lower);
      if (!c) continue;
      const n = normalizeValue(c, v, env);
      if (n.set) row[c.key] = n.value;
      else {
        delete row[c.key];
        if (n.problem) problems.push(n.problem);
      }
    }
    if (children && !o.draft) {
      for (const c of children.values()) {
        if (c.required && isEmpty(row[c.key]) && !problems.some((p) => p.field === c.key && p.message.startsWith(env.where))) {
          problems.push({ field: c.key, message: `${env.where}“${c.label}”是必填项。`, code: 11 });
        }
      }
    }
    sent.push(row);
  });
  if (o.isDeleteEntry) return sent;
  const sentIds = new Set(sent.map((r) => Number(r.FEntryID)));
  return [...old.filter((r) => !sentIds.has(Number(r.FEntryID))), ...sent];
}
