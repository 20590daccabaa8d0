import { z } from 'zod';
import { Field } from './field.ts';

/** The seed's `pagination` block: `{"pageSize": 100}`. */
export const Pagination = z
  .object({
    pageSize: z.coerce.number().int().min(1).default(100).describe('Records per page asked of the source (WDT: 1–100).'),
  })
  .strict()
  .describe('How the source is paged. The platform profile knows the vendor\'s paging keys (WDT page_no from 0).');

/** The seed's `operation` block of a target: `{"rowsKey":"array","rows":1,"method":"batchArraySave"}`. */
export const Operation = z
  .object({
    rowsKey: z
      .string()
      .optional()
      .describe('Container of the rows in the request body. `array` (the seed) = rows travel as a JSON array (Kingdee: the `Model` array); another name = the body key holding the rows (HTTP targets).'),
    rows: z.coerce
      .number()
      .int()
      .min(1)
      .optional()
      .describe('Target rows produced per source record. 1 (the seed) = one row per record. Batch size is `batch.size`, not this.'),
    method: z
      .enum(['batchArraySave', 'single'])
      .optional()
      .describe('How rows are written: `batchArraySave` (many rows per call, per-row results), `single` (one call per row).'),
  })
  .strict()
  .describe('How mapped rows are packed into target calls (see docs/scheme.md for our reading of the seed).');

const Incremental = z
  .object({
    since: z.string().describe('Start of the first read (ISO 8601, e.g. `2026-11-01T00:00:00+08:00`); later runs start from the checkpoint.'),
    until: z.string().optional().describe('End of the range (ISO 8601). Default: now minus `lagSeconds`.'),
    overlapSeconds: z.number().int().min(0).default(300).describe('Each run re-reads this much before its checkpoint, so records modified during the previous run are caught.'),
    lagSeconds: z.number().int().min(0).default(60).describe('Do not read closer than this to now (the vendor may still be writing).'),
    windowMinutes: z.number().int().min(1).optional().describe('Window length; capped at the vendor\'s maximum for the API (WDT trades: 60).'),
    remedyHours: z.number().min(0).default(0).describe('Omission remedy (漏单补偿): also re-read this many trailing hours on each run; 0 = off.'),
  })
  .strict()
  .describe('Incremental reads on modified time in windows; each window is its own checkpoint.');

export const SourceBlock = z
  .object({
    connection: z.string().min(1).default('source').describe('Name of the connection to read from (see connections file).'),
    api: z.string().min(1).describe('Source API, e.g. `wdt.shop.query`.'),
    method: z.string().default('POST').describe('HTTP method of the API.'),
    id: z.string().min(1).describe('Path of the record\'s unique id in the source record, e.g. `shop_id`.'),
    number: z.string().optional().describe('Path of the record\'s business number, e.g. `shop_no` (shown in messages and the ledger).'),
    pagination: Pagination.default({ pageSize: 100 }),
    idCheck: z.boolean().default(true).describe('Skip records already delivered with the same payload (ledger hash); a changed record is updated.'),
    request: z.array(Field).default([]).describe('The API\'s request parameters. An entry without `value` documents a parameter and is not sent.'),
    otherRequest: z.array(Field).default([]).describe('Further request parameters (same form as `request`).'),
    listKey: z.string().optional().describe('Key of the record list in the response, when not the platform default (WDT shop.query: `shoplist`).'),
    beatFlat: z.string().optional().describe('Explode this nested array into one record per line (ids suffixed -0, -1, …).'),
    incremental: Incremental.optional(),
    extra: z.record(z.string(), z.unknown()).optional().describe('Platform-specific read settings (Kingdee FieldKeys/FilterString, HTTP paging).'),
  })
  .strict()
  .describe('Where records come from.');

export const TargetBlock = z
  .object({
    connection: z.string().min(1).default('target').describe('Name of the connection to write to.'),
    api: z.string().min(1).describe('Target API/operation, e.g. `batchSave` (Kingdee).'),
    method: z.string().default('POST').describe('HTTP method.'),
    idCheck: z.boolean().default(true).describe('Look existing target records up by number before writing, so nothing is created twice.'),
    operation: Operation.optional(),
    number: z.string().optional().describe('Target field holding the business number used for look-ups, e.g. `FNumber`. Default: `FNumber` when mapped.'),
    onExisting: z.enum(['update', 'skip']).default('update').describe('What to do when the record already exists in the target.'),
    updateFields: z.array(z.string()).optional().describe('Fields sent on update (Kingdee NeedUpDateFields). Default: every mapped field.'),
    request: z.array(Field).min(1).describe('The mapping: one entry per target field; `value` is a template over the source record.'),
    otherRequest: z.array(Field).default([]).describe('Non-row parameters of the call: FormId, Operation, IsAutoSubmitAndAudit, …'),
    extra: z.record(z.string(), z.unknown()).optional().describe('Platform-specific write settings.'),
  })
  .strict()
  .describe('Where records go and how each is mapped.');

export type SourceBlock = z.infer<typeof SourceBlock>;
export type TargetBlock = z.infer<typeof TargetBlock>;
export type Incremental = z.infer<typeof Incremental>;
