import type { ExistingRecord, PendingStep } from '../../core/contracts/platform.ts';
import type { KingdeeClient } from './client.ts';
import { batchLabel } from './errors.ts';
import type { FormTarget } from './form-target.ts';
import { asText } from './parse.ts';
import { escapeFilterValue, queryRows } from './query.ts';

/**
 * Which of these business numbers already exist in the target form: ExecuteBillQuery with
 * `<number> in ('a','b',…)` in chunks (reference §6, idempotency pattern). When a number appears more than
 * once (e.g. base data allocated to several use-orgs), the lowest id wins: that is the record created first.
 * A scheme that audits (IsAutoSubmitAndAudit) also reads FDocumentStatus: a record found unaudited carries the
 * step it waits for (`pending`), so a maybe-applied create found this way is not settled as complete.
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
        { formId: t.formId, fieldKeys: t.autoAudit ? [t.idKey, t.numberKey, 'FDocumentStatus'] : [t.idKey, t.numberKey], filterString, orderString: `${t.idKey} ASC`, startRow, limit: PAGE },
        label,
        signal,
      );
      for (const row of rows) {
        const id = asText(row[0]);
        const number = asText(row[1]);
        if (!id || !number || found.has(number)) continue;
        const pending = t.autoAudit ? pendingOf(asText(row[2]), label.operation) : undefined;
        found.set(number, pending ? { id, number, pending } : { id, number });
      }
      if (rows.length < PAGE) break;
    }
  }
  return found;
}

/** The step a record in this FDocumentStatus waits for (A created, D re-audit, Z draft: Submit; B submitted: Audit; C: none). */
function pendingOf(status: string | undefined, operation: string): PendingStep | undefined {
  if (status === undefined || status === '' || status === 'C') return undefined;
  const step = status === 'B' ? 'Audit' : 'Submit';
  const message = `found in FDocumentStatus ${status} by ${operation}: saved, not audited (its automatic submit/audit did not complete)`;
  return { step, error: { kind: 'vendor', action: 'reject_record', message, remote: { detail: message } } };
}
