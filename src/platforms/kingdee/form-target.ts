import type { WriteSpec } from '../../core/contracts/platform.ts';
import { FerryFailure } from '../../core/errors.ts';
import type { JsonObject } from '../../core/records.ts';
import { asBool, asText } from './parse.ts';
import { KingdeeWriteOptions } from './options.ts';
import { canonicalOperation } from './services.ts';
import type { FormOperation } from './services.ts';

/**
 * What a WriteSpec means for Kingdee: the form, the operation, the keys of the record, and the `data`
 * parameters (the scheme's rendered `otherRequest` minus FormId/Operation).
 */

/**
 * Master-key field of the forms whose key is not `FID`. BD_Customer's is verified (reference §5: "there is no
 * FID on BD_Customer"); the others are the usual K3Cloud keys. Any form can set `extra.idKey` instead.
 */
export const KNOWN_ID_KEYS: Record<string, string> = {
  BD_CUSTOMER: 'FCUSTID',
  BD_SUPPLIER: 'FSUPPLIERID',
  BD_MATERIAL: 'FMATERIALID',
  BD_STOCK: 'FSTOCKID',
  BD_DEPARTMENT: 'FDEPTID',
};

export interface FormTarget {
  formId: string;
  operation: FormOperation;
  /** ExcuteOperation's opNumber. */
  opNumber?: string;
  /** Master key sent as the record id on updates and asked for in look-ups (FCUSTID, FID, …). */
  idKey: string;
  /** Business number field (FNumber for base data, FBillNo for bills). */
  numberKey: string;
  /** Parameters that go into `data` beside Model/Numbers. */
  data: JsonObject;
  /** UnAudit before updating, so audited records can be changed (community consensus, reference §6). */
  unAuditBeforeUpdate: boolean;
  /** IsAutoSubmitAndAudit: records end audited (updates get explicit, checked Submit and Audit calls). */
  autoAudit: boolean;
  /** Extra FilterString ANDed to look-ups (e.g. `FUseOrgId.FNumber='100'`). */
  lookupFilter?: string;
}

const NOT_DATA = new Set(['formid', 'operation', 'opnumber']);

function param(params: JsonObject, name: string): unknown {
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(params)) if (k.toLowerCase() === lower) return v;
  return undefined;
}

function misconfigured(connection: string, what: string): FerryFailure {
  return new FerryFailure({
    kind: 'config',
    action: 'fail_run',
    message: `Kingdee connection "${connection}": ${what}`,
  });
}

export function defaultNumberKey(formId: string): string {
  return formId.toUpperCase().startsWith('BD_') ? 'FNumber' : 'FBillNo';
}

export function defaultIdKey(formId: string): string {
  return KNOWN_ID_KEYS[formId.toUpperCase()] ?? 'FID';
}

export function resolveFormTarget(spec: WriteSpec, connection: string): FormTarget {
  // The schema `ferry validate` checks the scheme's target with; a spec it refuses never reaches Kingdee.
  const checked = KingdeeWriteOptions.safeParse(spec);
  if (!checked.success) throw misconfigured(connection, `the target of api "${spec.api}": ${issuesText(checked.error)}.`);
  const extra: JsonObject = (checked.data.extra ?? {}) as JsonObject;
  const formId = asText(param(spec.params, 'FormId')) ?? asText(extra.formId);
  if (!formId) throw misconfigured(connection, `the target of api "${spec.api}" names no FormId (add it to otherRequest).`);
  const opName = canonicalOperation(spec.api) ? spec.api : (asText(param(spec.params, 'Operation')) ?? spec.api);
  const operation = canonicalOperation(opName);
  if (!operation) {
    throw misconfigured(connection, `${formId}: "${opName}" is not a Kingdee form operation (BatchSave, Save, Submit, Audit, …).`);
  }
  const data: JsonObject = {};
  for (const [k, v] of Object.entries(spec.params)) if (!NOT_DATA.has(k.toLowerCase())) data[k] = v;
  const autoAudit = asBool(param(data, 'IsAutoSubmitAndAudit')) === true;
  const target: FormTarget = {
    formId,
    operation,
    idKey: asText(extra.idKey) ?? defaultIdKey(formId),
    numberKey: spec.numberField ?? asText(extra.numberKey) ?? defaultNumberKey(formId),
    data,
    unAuditBeforeUpdate: asBool(extra.unAuditBeforeUpdate) ?? autoAudit,
    autoAudit,
  };
  const opNumber = asText(param(spec.params, 'OpNumber')) ?? asText(extra.opNumber);
  if (opNumber) target.opNumber = opNumber;
  const lookupFilter = asText(extra.lookupFilter);
  if (lookupFilter) target.lookupFilter = lookupFilter;
  return target;
}

/** The value of `name` in `obj`, matching keys case-insensitively (Kingdee field keys are). */
export function fieldOf(obj: JsonObject, name: string): unknown {
  if (name in obj) return obj[name];
  return param(obj, name);
}

export function issuesText(e: { issues: { path: PropertyKey[]; message: string }[] }): string {
  return e.issues.map((i) => `${i.path.map(String).join('.') || '(spec)'}: ${i.message}`).join('; ');
}
