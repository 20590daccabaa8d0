import type { BaseData } from './base-data.ts';
import { pick } from './body.ts';
import { fieldIndex } from './forms.ts';
import { refNumber } from './normalize.ts';
import { storedTimeText } from './store.ts';
import type { FormStore, StoredRecord } from './store.ts';

/**
 * View (reference §4): the record with *property* names, not F-keys (`Number`, `DocumentStatus`, `Name` as
 * multi-language `[{Key:2052,Value}]`), references as `<Name>_Id` plus `<Name>: {Id, Number, Name}`, and
 * entries as arrays named by their table (e.g. SAL_OUTSTOCKENTRY).
 */

const prop = (key: string) => (key.startsWith('F') && !key.startsWith('F_') ? key.slice(1) : key);

export function findForView(store: FormStore, data: unknown): StoredRecord | undefined {
  const id = Number(pick(data, 'Id') ?? 0);
  if (Number.isFinite(id) && id > 0) return store.get(id);
  const number = pick(data, 'Number');
  return typeof number === 'string' || typeof number === 'number' ? store.getByNumber(String(number)) : undefined;
}

export function viewObject(store: FormStore, rec: StoredRecord, baseData: BaseData, tz: number): Record<string, unknown> {
  const form = store.form;
  const idx = fieldIndex(form);
  const lang = (v: unknown) => [{ Key: 2052, Value: v ?? '' }];
  const out: Record<string, unknown> = {
    Id: rec.id,
    [form.numberKey === 'FBillNo' ? 'BillNo' : 'Number']: rec.number,
    DocumentStatus: rec.status,
    ForbidStatus: rec.forbid,
    CreateDate: storedTimeText(rec.created, tz),
    ModifyDate: storedTimeText(rec.modified, tz),
    FFormId: form.formId,
  };
  for (const [key, value] of Object.entries(rec.fields)) {
    const def = idx.header.get(key.toLowerCase());
    const name = prop(key);
    if (!def) out[key] = value;
    else if (def.kind === 'ref') {
      const number = refNumber(value);
      const hit = number && def.table ? baseData.resolve(def.table, number) : undefined;
      out[`${name}_Id`] = hit?.id ?? 0;
      out[name] = { Id: hit?.id ?? 0, Number: number ?? '', Name: lang(hit?.name) };
    } else if (def.kind === 'lang') out[name] = lang(value);
    else if (def.kind === 'entry') out[def.entryTable ?? name] = value;
    else out[name] = value;
  }
  return out;
}
