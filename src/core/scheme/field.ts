import { z } from 'zod';

/**
 * One entry of a `request[]` / `otherRequest[]` list, in the seed's vocabulary:
 * `{"field":"FName","label":"客户名称","type":"string","value":"{shop_name}"}`.
 *
 * In a source block the entries are the API's request parameters (an entry without `value` documents an
 * optional parameter and is not sent). In a target block `request[]` is the mapping: each entry is one field
 * of the target record, its `value` a template over the source record; `otherRequest[]` holds the call's
 * non-row parameters (FormId, Operation, …).
 */

export const FIELD_TYPES = ['string', 'int', 'number', 'bool', 'date', 'datetime', 'object', 'array'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

/** Aliases users write for the canonical types (the seed's platform uses several spellings). */
export const FIELD_TYPE_ALIASES: Record<string, FieldType> = {
  text: 'string',
  str: 'string',
  integer: 'int',
  long: 'int',
  float: 'number',
  double: 'number',
  decimal: 'number',
  boolean: 'bool',
  time: 'datetime',
  timestamp: 'datetime',
  json: 'object',
  list: 'array',
};

/** Canonical type for a user's spelling (case-insensitive, aliases above), or undefined when unknown. */
export function resolveFieldType(t: string): FieldType | undefined {
  const lower = t.trim().toLowerCase();
  if ((FIELD_TYPES as readonly string[]).includes(lower)) return lower as FieldType;
  return FIELD_TYPE_ALIASES[lower];
}

export const ParserRef = z
  .object({
    name: z.string().min(1).describe('Parser name from the registry, e.g. `ConvertObjectParser`.'),
    params: z
      .unknown()
      .optional()
      .describe('Parser argument: a string (e.g. the key for ConvertObjectParser, default `FNumber`) or an object.'),
  })
  .strict()
  .describe('A value parser applied after the template is rendered.');
export type ParserRef = z.infer<typeof ParserRef>;

export const FieldType = z
  .string()
  .describe(`Target type the value is coerced to: ${FIELD_TYPES.join(', ')} (aliases such as boolean, integer, float accepted).`);

export interface Field {
  field?: string;
  label?: string;
  type?: string;
  value?: unknown;
  describe?: string;
  parser?: ParserRef | ParserRef[];
  default?: unknown;
  required?: boolean;
  expression?: string;
  mapping?: Record<string, unknown>;
  mappingDefault?: unknown;
  transformationRule?: string | string[];
  sourceField?: string;
  targetField?: string;
  children?: Field[];
  source?: string;
  beatFlat?: boolean;
  [k: string]: unknown;
}

export const Field: z.ZodType<Field> = z.lazy(() =>
  z
    .object({
      field: z
        .string()
        .min(1)
        .optional()
        .describe('Name of the parameter or target field, e.g. `FName`. Required unless the seed\'s `targetField` form is used.'),
      label: z.string().optional().describe('Human label (Chinese in the seed), shown in previews and errors.'),
      type: FieldType.optional(),
      value: z
        .unknown()
        .optional()
        .describe('Literal or template: `{shop_name}`, `{lines[0].qty}`, `"{shop_no}-{platform_id}"`. Absent: the field is not sent.'),
      describe: z.string().optional().describe('Free description for people (the seed uses it for hints).'),
      parser: z.union([ParserRef, z.array(ParserRef)]).optional().describe('Parser or chain of parsers applied in order.'),
      default: z.unknown().optional().describe('Value used when the template renders empty/missing.'),
      required: z.boolean().optional().describe('A missing value is a mapping error for this record (not sent empty).'),
      expression: z.string().optional().describe('JSONata expression over the source record (`$` = record, `$header` in entry rows); replaces `value`.'),
      mapping: z.record(z.string(), z.unknown()).optional().describe('Value map applied to the rendered value, e.g. {"0":"启用","1":"停用"}.'),
      mappingDefault: z.unknown().optional().describe('Result when the value is not in `mapping` (absent: an unmapped value is an error).'),
      transformationRule: z
        .union([z.string(), z.array(z.string())])
        .optional()
        .describe('The seed\'s shorthand: uppercase, lowercase, trim, … (same as the parsers of those names).'),
      sourceField: z.string().optional().describe('The seed\'s `{sourceField, targetField}` form: the source path (same as value `{path}`).'),
      targetField: z.string().optional().describe('The seed\'s `{sourceField, targetField}` form: the target field (same as `field`).'),
      children: z.array(Field).optional().describe('For `type: array`: the fields of each entry row (e.g. bill entry FEntity).'),
      source: z.string().optional().describe('For `type: array` with children: path of the source array to map row by row, e.g. `goods_list`.'),
    })
    .strict()
    .superRefine((f, ctx) => {
      if (f.field === undefined && f.targetField === undefined)
        ctx.addIssue({ code: 'custom', message: 'a field needs `field` (or the seed form `targetField`)', path: ['field'] });
    }),
);
