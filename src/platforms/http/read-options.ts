import { z } from 'zod';
import { ErrorTable } from './error-table.ts';
import { zoneOffsetMinutes } from './time-format.ts';

/**
 * HTTP read settings, from a scheme's `source.extra`. The lead may embed this schema in the scheme's JSON
 * Schema; every key has a default so `extra` can be as small as `{"recordsPath": "data.items"}`.
 */

const StopOn = z
  .enum(['short', 'empty'])
  .default('short')
  .describe('When there is no total: stop after a page shorter than the page size (`short`), or only after an empty page (`empty`, one extra call, safe when the server caps the page size below yours).');

const TotalStop = {
  totalPath: z.string().optional().describe('Path of the total record count in the response, e.g. `data.total`; the read stops when it is reached.'),
  hasMorePath: z.string().optional().describe('Path of a "more pages" flag in the response, e.g. `has_more`; the read stops when it is false.'),
  stopOn: StopOn,
};

const PageNumber = z
  .object({
    type: z.literal('page').describe('Page numbers: ?page=1&page_size=100.'),
    pageParam: z.string().default('page').describe('Parameter holding the page number.'),
    sizeParam: z.string().default('page_size').describe('Parameter holding the page size (the scheme\'s pagination.pageSize).'),
    startPage: z.number().int().min(0).default(1).describe('Number of the first page (0 or 1).'),
    totalPagesPath: z.string().optional().describe('Path of the page count in the response, e.g. `data.pages`.'),
    ...TotalStop,
  })
  .strict();

const Offset = z
  .object({
    type: z.literal('offset').describe('Offset and limit: ?offset=200&limit=100.'),
    offsetParam: z.string().default('offset').describe('Parameter holding the offset of the first record.'),
    limitParam: z.string().default('limit').describe('Parameter holding the page size.'),
    startOffset: z.number().int().min(0).default(0),
    ...TotalStop,
  })
  .strict();

const CursorToken = z
  .object({
    type: z.literal('cursor').describe('A next-page token from the response body or a header, sent back as a parameter.'),
    cursorParam: z.string().default('cursor').describe('Parameter that carries the token on the next request.'),
    sizeParam: z.string().optional().describe('Parameter holding the page size, if the API takes one.'),
    nextPath: z.string().optional().describe('Path of the next token in the response body, e.g. `next_cursor`, `meta.next`.'),
    nextHeader: z.string().optional().describe('Response header holding the next token (instead of nextPath).'),
    hasMorePath: z.string().optional().describe('Path of a "more pages" flag; when false the read stops even if a token is present.'),
  })
  .strict()
  .refine((c) => c.nextPath !== undefined || c.nextHeader !== undefined, { message: 'cursor paging needs `nextPath` or `nextHeader`' });

const LinkHeader = z
  .object({
    type: z.literal('link').describe('RFC 8288 Link headers: follow rel="next" until there is none.'),
    rel: z.string().default('next'),
    sizeParam: z.string().optional().describe('Parameter holding the page size on the first request (next links carry their own).'),
  })
  .strict();

const NextUrl = z
  .object({
    type: z.literal('next_url').describe('The response body holds the URL of the next page, e.g. {"next": "https://…?page=3"}.'),
    nextPath: z.string().default('next').describe('Path of the next page URL in the body.'),
    sizeParam: z.string().optional().describe('Parameter holding the page size on the first request.'),
  })
  .strict();

const NoPaging = z.object({ type: z.literal('none').describe('One request returns everything.') }).strict();

export const HttpPaging = z
  .discriminatedUnion('type', [PageNumber, Offset, CursorToken, LinkHeader, NextUrl, NoPaging])
  .describe('How the API pages its results.');
export type HttpPaging = z.infer<typeof HttpPaging>;

export const HttpWindowParams = z
  .object({
    startParam: z.string().describe('Parameter holding the window start, e.g. `updated_from`, `start_time`.'),
    endParam: z.string().optional().describe('Parameter holding the window end, e.g. `updated_to`.'),
    format: z
      .string()
      .default('iso')
      .describe('`iso` (2026-11-01T08:00:00.000+08:00 in `zone`), `epoch` (seconds), `epoch_ms`, or a pattern of yyyy MM dd HH mm ss SSS, e.g. `yyyy-MM-dd HH:mm:ss`.'),
    zone: z
      .string()
      .default('UTC')
      .refine((zone) => {
        try {
          zoneOffsetMinutes(zone, new Date(0));
          return true;
        } catch {
          return false;
        }
      }, 'not a time zone: use an offset like +08:00 or a name like Asia/Shanghai')
      .describe('Time zone of formatted times: an offset like `+08:00`, or an IANA name like `Asia/Shanghai`.'),
    endInclusive: z
      .boolean()
      .default(false)
      .describe('The API treats the end as inclusive: send end minus 1 ms (1 s for formats without milliseconds), so windows do not overlap.'),
  })
  .strict()
  .describe('Parameters of an incremental read (the engine gives each page its window).');
export type HttpWindowParams = z.infer<typeof HttpWindowParams>;

export const HttpReadOptions = z
  .object({
    recordsPath: z.string().optional().describe('Path of the record list in the response, e.g. `data.items`; absent = the scheme\'s listKey, else the whole body must be an array.'),
    paging: HttpPaging.default({ type: 'none' }),
    window: HttpWindowParams.optional(),
    paramsIn: z.enum(['query', 'body']).optional().describe('Where parameters go: the query string (default for GET/DELETE) or a JSON body (default otherwise).'),
    headers: z.record(z.string(), z.string()).default({}).describe('Extra headers of this API.'),
    idPath: z.string().optional().describe('Path of the record id, for the no-progress guard (default: the whole record is compared).'),
    missingRecords: z
      .enum(['error', 'empty'])
      .default('error')
      .describe('When recordsPath is missing from a response: stop the run (`error`, catches a wrong path), or treat it as an empty page (`empty`, for APIs that omit empty lists).'),
    errors: ErrorTable.default([]).describe('Error rules for this API, before the connection\'s table.'),
  })
  .strict()
  .describe('HTTP source settings (scheme `source.extra`).');
export type HttpReadOptions = z.infer<typeof HttpReadOptions>;
export type HttpReadOptionsInput = z.input<typeof HttpReadOptions>;
