import type { ExistingRecord } from '../../core/contracts/platform.ts';
import type { KingdeeClient } from './client.ts';
import { batchLabel } from './errors.ts';
import type { FormTarget } from './form-target.ts';
import { asText } from './parse.ts';
import { escapeFilterValue, queryRows } from './query.ts';

/**
 * Which of these business numbers already exist in the target form: ExecuteBillQuery with
 * `<number> in ('a','b',…)` in chunks (reference §6, idempotency pattern). When a number appears more than
 * once (e.g. base data allocated to several use-orgs), the lowest id wins: that is the record created first.
 */

/** Numbers per query: keeps the FilterString a few KB long. */
export const LOOKUP_CHUNK = 200;
const PAGE = 2000;

export async function lookupByNumbers(
  client: KingdeeClient,
  t: FormTarget,
  numbers: string[],
  signal: AbortSignal,
): Promise<Map<string, ExistingRecord>> {
  const found = new Map<string, ExistingRecord>();
  const unique = [...new Set(numbers.filter((n) => typeof n === 'string' && n.length > 0))];
  for (let i = 0; i < unique.length; i += LOOKUP_CHUNK) {
    const chunk = unique.slice(i, i + LOOKUP_CHUNK);
    const inList = `${t.numberKey} in (${chunk.map(escapeFilterValue).join(',')})`;
    const filterString = t.lookupFilter ? `${inList} and (${t.lookupFilter})` : inList;
    const label = { connection: client.ctx.connection, formId: t.formId, operation: 'ExecuteBillQuery (look-up)', batch: batchLabel(chunk) };
    for (let startRow = 0; ; startRow += PAGE) {
      const rows = await queryRows(
        client,
        { formId: t.formId, fieldKeys: [t.idKey, t.numberKey], filterString, orderString: `${t.idKey} ASC`, startRow, limit: PAGE },
        label,
        signal,
      );
      for (const row of rows) {
        const id = asText(row[0]);
        const number = asText(row[1]);
        if (id && number && !found.has(number)) found.set(number, { id, number });
      }
      if (rows.length < PAGE) break;
    }
  }
  return found;
}
