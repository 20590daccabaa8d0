import type { WriteItem, WriteOutcome } from '../../core/contracts/platform.ts';
import type { JsonObject } from '../../core/records.ts';
import type { KingdeeClient } from './client.ts';
import { batchLabel, describeCall } from './errors.ts';
import type { CallLabel } from './errors.ts';
import { fieldOf } from './form-target.ts';
import type { FormTarget } from './form-target.ts';
import { splitOutcomes } from './outcomes.ts';
import type { Slot } from './outcomes.ts';
import { asText, isObject } from './parse.ts';

/**
 * Operations on existing records (reference §2): Submit / Audit / UnAudit / Delete / ExcuteOperation take
 * `Numbers` (array) or `Ids` (comma-separated string) and answer per DIndex; View reads one record.
 */

function numberOf(item: WriteItem, t: FormTarget): string | undefined {
  return item.number ?? asText(fieldOf(item.payload, t.numberKey));
}

export async function bulkOperation(client: KingdeeClient, t: FormTarget, items: WriteItem[], signal: AbortSignal): Promise<WriteOutcome[]> {
  const numbers = items.map((i) => numberOf(i, t));
  const label: CallLabel = { connection: client.ctx.connection, formId: t.formId, operation: t.opNumber ? `ExcuteOperation ${t.opNumber}` : t.operation, batch: batchLabel(numbers) };
  const out: WriteOutcome[] = [];
  // Numbers when every item has one; otherwise Ids when every item has one; items with neither are rejected.
  const byNumber = numbers.every((n) => !!n);
  const sendable: WriteItem[] = [];
  for (const [i, item] of items.entries()) {
    if (byNumber || item.existingId) sendable.push(numbers[i] && !item.number ? { ...item, number: numbers[i] } : item);
    else
      out.push({
        key: item.key,
        status: 'rejected',
        error: {
          kind: 'mapping',
          action: 'reject_record',
          message: `${describeCall(label)}: a record has neither ${t.numberKey} nor a known id, so it cannot be addressed.`,
        },
      });
  }
  if (sendable.length === 0) return out;
  const data: JsonObject = { ...t.data };
  if (byNumber) data.Numbers = sendable.map((i) => i.number as string);
  else data.Ids = sendable.map((i) => i.existingId as string).join(',');
  const value = await client.form({ op: t.operation, formId: t.formId, opNumber: t.opNumber, data, label, write: true, signal });
  const slots: Slot[] = sendable.map((item, dIndex) => ({ item, dIndex, created: false }));
  return [...out, ...splitOutcomes(value, slots, label, client.redact)];
}

/** View answers `{Result:{ResponseStatus, Result:{…bill…}}}`; the bill object becomes the outcome's response. */
export async function viewOne(client: KingdeeClient, t: FormTarget, item: WriteItem, signal: AbortSignal): Promise<WriteOutcome> {
  const number = numberOf(item, t);
  const label: CallLabel = { connection: client.ctx.connection, formId: t.formId, operation: 'View', batch: batchLabel([number]) };
  const data: JsonObject = { ...t.data };
  if (item.existingId) data.Id = item.existingId;
  else data.Number = number ?? '';
  const value = await client.form({ op: 'View', formId: t.formId, data, label, write: false, signal });
  const result = isObject(value) && isObject(value.Result) ? value.Result : undefined;
  const bill = result && isObject(result.Result) ? result.Result : undefined;
  if (bill) {
    return {
      key: item.key,
      status: 'saved',
      targetId: asText(bill.Id) ?? item.existingId ?? '',
      targetNumber: asText(bill.Number) ?? asText(bill.BillNo) ?? number,
      created: false,
      response: bill,
    };
  }
  const [outcome] = splitOutcomes(value, [{ item: number && !item.number ? { ...item, number } : item, dIndex: 0, created: false }], label, client.redact);
  return outcome as WriteOutcome;
}
