import { z } from 'zod';
import { resolveApiName } from './api-names.ts';
import { MAX_PAGE_SIZE, MIN_PAGE_SIZE } from './paging.ts';

/**
 * What a WDT source accepts in a scheme, as a schema of the ReadSpec: a WDT API name, a page size the
 * vendor allows (page_size 1–100), and no `extra` settings (WDT reads none). `ferry validate` checks a
 * scheme's source with it; the source session parses its spec with the same schema before the first call.
 */
export const WdtReadOptions = z
  .object({
    api: z.string().refine((a) => resolveApiName(a) !== undefined, {
      message: 'is not a WDT API name; write the Qimen method (wdt.shop.query) or the open API endpoint (shop.php)',
    }),
    pageSize: z
      .number()
      .int(`WDT pages hold a whole number of records, ${MIN_PAGE_SIZE}–${MAX_PAGE_SIZE} (wdt page_size)`)
      .min(MIN_PAGE_SIZE, `WDT pages hold ${MIN_PAGE_SIZE}–${MAX_PAGE_SIZE} records (wdt page_size)`)
      .max(MAX_PAGE_SIZE, `WDT pages hold ${MIN_PAGE_SIZE}–${MAX_PAGE_SIZE} records (wdt page_size)`),
    extra: z.object({}).strict().optional().describe('WDT sources read no extra settings.'),
  })
  .loose()
  .describe('WDT source settings (checked on the ReadSpec).');
