import { z } from 'zod';
import { ErrorTable } from './error-table.ts';

/** HTTP target settings, from a scheme's `target.extra` (the `operation` block supplies mode and rowsKey). */

export const HttpResults = z
  .object({
    path: z.string().optional().describe('Path of the per-row results array in a batch response, e.g. `results`, `data.items`.'),
    errorsPath: z.string().optional().describe('Path of an array that lists only the failed rows, e.g. `errors` (rows not listed were saved).'),
    indexPath: z.string().optional().describe('Path of the row index inside each result/error entry, e.g. `index`. Default: results match rows by position; error entries need it (default `index`).'),
    indexBase: z.union([z.literal(0), z.literal(1)]).default(0).describe('Whether indexes count from 0 or 1.'),
    matchBy: z.enum(['index', 'number']).default('index').describe('Match result entries to rows by index/position or by business number (`numberPath` against the row\'s number).'),
    successPath: z.string().optional().describe('Path of a success flag in an entry (batch) or the response (single), e.g. `ok`, `success`, `code`.'),
    successValue: z.union([z.string(), z.number(), z.boolean()]).default(true).describe('Value of successPath that means saved (compared as text: `0` = "0").'),
    idPath: z.string().optional().describe('Path of the target id in an entry (batch) or the response (single), e.g. `id`, `data.id`.'),
    numberPath: z.string().optional().describe('Path of the business number in an entry/response.'),
    messagePath: z.string().optional().describe('Path of the rejection message, e.g. `error.message`, `msg`. Without successPath, an entry with a message is a rejection.'),
    codePath: z.string().optional().describe('Path of the vendor error code in an entry.'),
    createdPath: z.string().optional().describe('Path of a flag saying the record was created (not updated). Default: created unless the record existed.'),
  })
  .strict()
  .describe('Where per-record results are in the response.');
export type HttpResults = z.infer<typeof HttpResults>;

export const HttpLookup = z
  .object({
    api: z.string().min(1).describe('GET path template. `{number}` = one call per number; `{numbers}` = numbers joined by `separator`; neither = numbers in `numbersParam`.'),
    method: z.string().default('GET'),
    numbersParam: z.string().default('number').describe('Query parameter that carries the numbers when the path has no placeholder.'),
    separator: z.string().nullable().default(',').describe('Joins numbers into one value; null = repeat the parameter for each number.'),
    batchSize: z.number().int().min(1).max(1000).default(50).describe('Numbers per lookup call.'),
    recordsPath: z.string().optional().describe('Path of the list of existing records in the response (absent: the body is the list, or the record itself for `{number}`).'),
    idPath: z.string().default('id').describe('Path of the target id in each record.'),
    numberPath: z.string().optional().describe('Path of the business number in each record (default: the target\'s number field).'),
  })
  .strict()
  .describe('How to find existing target records by business number (for idCheck and for writes that may have been applied).');
export type HttpLookup = z.infer<typeof HttpLookup>;

export const HttpWriteOptions = z
  .object({
    mode: z.enum(['batch', 'single']).optional().describe('Many rows per call, or one call per row. Default: from operation.method (`single` → single), else batch when a rowsKey is set, else single.'),
    rowsKey: z.string().optional().describe('Body key (path) holding the rows in batch mode, e.g. `rows`, `data.items`; `array` or `$` = the body is the JSON array. Default: operation.rowsKey.'),
    batchSize: z.number().int().min(1).optional().describe('Most rows per call (also capped by the connection\'s maxBatchSize).'),
    paramsIn: z.enum(['query', 'body']).default('body').describe('Where the call parameters (otherRequest) go; with an array body they always go to the query.'),
    headers: z.record(z.string(), z.string()).default({}).describe('Extra headers of this API.'),
    idField: z.string().optional().describe('Row field set to the existing target id when a record is updated, e.g. `id`.'),
    update: z
      .object({
        api: z.string().min(1).describe('Path template for updates in single mode, e.g. `/v1/customers/{id}` (`{id}` = the existing target id).'),
        method: z.string().default('PUT'),
      })
      .strict()
      .optional()
      .describe('Single mode: how an existing record is updated (default: the same call as a create).'),
    idempotencyHeader: z.string().optional().describe('Header that carries a stable key per call (e.g. `Idempotency-Key`) for APIs that de-duplicate repeated requests.'),
    results: HttpResults.default({ indexBase: 0, matchBy: 'index', successValue: true }),
    lookup: HttpLookup.optional(),
    errors: ErrorTable.default([]).describe('Error rules for this API, before the connection\'s table.'),
  })
  .strict()
  .describe('HTTP target settings (scheme `target.extra`).');
export type HttpWriteOptions = z.infer<typeof HttpWriteOptions>;
export type HttpWriteOptionsInput = z.input<typeof HttpWriteOptions>;
