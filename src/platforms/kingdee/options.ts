import { z } from 'zod';
import { canonicalOperation } from './services.ts';

/**
 * What a Kingdee source or target accepts in a scheme, as schemas of the ReadSpec / WriteSpec.
 * `ferry validate` checks a scheme with them; the sessions parse their specs with the same schemas, so a
 * scheme that validates is one the run accepts. Kingdee keys are case-insensitive (`fieldKeys` = `FieldKeys`):
 * known keys are first brought to their canonical spelling.
 */

function canonicalKeys(known: readonly string[]) {
  const byLower = new Map(known.map((k) => [k.toLowerCase(), k]));
  return (v: unknown) => {
    if (!v || typeof v !== 'object' || Array.isArray(v)) return v;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) out[byLower.get(k.toLowerCase()) ?? k] = x;
    return out;
  };
}

const text = z.string().trim().min(1);

/** FieldKeys as a list: `"FNumber, FName"` or `["FNumber","FName"]`. */
export function readFieldKeys(v: unknown): string[] {
  const list = Array.isArray(v) ? v.map(String) : typeof v === 'string' ? v.split(',') : [];
  return list.map((s) => s.trim()).filter((s) => s.length > 0);
}

const READ_KEYS = ['FieldKeys', 'FilterString', 'OrderString', 'TopRowCount', 'idKey', 'modifiedField', 'timeZoneOffsetMinutes'] as const;

export const KingdeeReadExtra = z.preprocess(
  canonicalKeys(READ_KEYS),
  z
    .object({
      FieldKeys: z
        .unknown()
        .refine((v) => readFieldKeys(v).length > 0, { message: 'a Kingdee source needs the field keys to read, e.g. "FNumber,FName" or ["FNumber","FName"]' })
        .describe('Fields to read (ExecuteBillQuery FieldKeys): a comma-separated string or a list.'),
      FilterString: z.string().optional(),
      OrderString: z.string().optional(),
      TopRowCount: z.number().int().min(0).optional().describe('Cap on the whole read (rows).'),
      idKey: text.optional(),
      modifiedField: text.optional().describe('Modified-time field for incremental reads, e.g. FModifyDate.'),
      timeZoneOffsetMinutes: z.number().int().min(-720).max(840).optional().describe('Server local time offset (default +480, China).'),
    })
    .strict(),
);

export const KingdeeReadOptions = z
  .object({
    api: text.describe('The FormId to read, e.g. BD_Customer.'),
    extra: KingdeeReadExtra.prefault({}),
  })
  .loose()
  .describe('Kingdee source settings (checked on the ReadSpec).');

const WRITE_KEYS = ['formId', 'idKey', 'numberKey', 'unAuditBeforeUpdate', 'opNumber', 'lookupFilter'] as const;

export const KingdeeWriteExtra = z.preprocess(
  canonicalKeys(WRITE_KEYS),
  z
    .object({
      formId: text.optional(),
      idKey: text.optional(),
      numberKey: text.optional(),
      unAuditBeforeUpdate: z.boolean().optional(),
      opNumber: text.optional(),
      lookupFilter: z.string().optional(),
    })
    .strict(),
);

function param(params: Record<string, unknown> | undefined, name: string): unknown {
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(params ?? {})) if (k.toLowerCase() === lower) return v;
  return undefined;
}

const asText = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : typeof v === 'number' ? String(v) : undefined);

export const KingdeeWriteOptions = z
  .object({
    api: text,
    params: z.record(z.string(), z.unknown()).default({}),
    extra: KingdeeWriteExtra.optional(),
  })
  .loose()
  .superRefine((spec, ctx) => {
    const formId = asText(param(spec.params, 'FormId')) ?? spec.extra?.formId;
    if (!formId)
      ctx.addIssue({
        code: 'custom',
        path: ['params', 'FormId'],
        message: 'a Kingdee target needs a FormId: add {"field": "FormId", "value": "BD_Customer"} to otherRequest',
      });
    const op = canonicalOperation(spec.api) ? spec.api : (asText(param(spec.params, 'Operation')) ?? spec.api);
    if (!canonicalOperation(op))
      ctx.addIssue({
        code: 'custom',
        path: asText(param(spec.params, 'Operation')) ? ['params', 'Operation'] : ['api'],
        message: `"${op}" is not a Kingdee form operation (BatchSave, Save, Submit, Audit, …)`,
      });
  })
  .describe('Kingdee target settings (checked on the WriteSpec).');
