import type { WriteOutcome } from '../../core/contracts/platform.ts';
import { toFerryError } from '../../core/errors.ts';
import type { KingdeeClient } from './client.ts';
import type { CallLabel } from './errors.ts';
import type { FormTarget } from './form-target.ts';
import { documentStatuses, type FollowUpStep } from './follow-up.ts';
import { lookupByNumbers } from './lookup.ts';
import type { Slot } from './outcomes.ts';

/**
 * A create sent with IsAutoSubmitAndAudit whose row comes back in `Errors` only: Kingdee may have saved the
 * record and failed only its automatic submit/audit (an answer the reference does not document, seen by the
 * simulation). Such a row error is not taken for "not saved": the row is looked up by number and its
 * FDocumentStatus read:
 * - not audited (A/D/Z: Submit left; B: Audit left): it was saved (by this call, or by an earlier attempt
 *   of it, when Kingdee now refuses the number as a duplicate): `saved` with `pending` {step, Kingdee's
 *   error}, so the ledger says saved-not-audited and the next run completes the step;
 * - absent, or audited (a record that was there before, refused for another reason, or a duplicate number of
 *   an audited record): rejected with Kingdee's original code and message, as answered;
 * - the check itself fails: the row is handed back to be sent again (not maybe-applied: the engine's look-up
 *   would settle it written without knowing it is unaudited); sent again, Kingdee refuses the number as a
 *   duplicate, and that refusal is checked the same way.
 */

export async function doubtAutoAuditRejections(
  client: KingdeeClient,
  t: FormTarget,
  outcomes: WriteOutcome[],
  slots: Slot[],
  label: CallLabel,
  signal: AbortSignal,
): Promise<WriteOutcome[]> {
  const doubtful = new Map<string, { o: Extract<WriteOutcome, { status: 'rejected' }>; slot: Slot; number: string }>();
  outcomes.forEach((o, k) => {
    const slot = slots[k];
    const number = slot?.item.number;
    if (o.status !== 'rejected' || !slot || !number) return;
    doubtful.set(o.key, { o, slot, number });
  });
  if (doubtful.size === 0) return outcomes;
  const l: CallLabel = { ...label, operation: `${label.operation} (rows refused with IsAutoSubmitAndAudit: saved?)` };
  let found: Map<string, { id: string; number: string }>;
  let status: Map<string, string>;
  try {
    found = await lookupByNumbers(client, t, [...doubtful.values()].map((d) => d.number), signal);
    const ids = [...doubtful.values()].map((d) => found.get(d.number)?.id).filter((id): id is string => id !== undefined);
    status = ids.length ? await documentStatuses(client, t, ids, l, signal) : new Map();
  } catch (err) {
    if (signal.aborted) throw err;
    const why = toFerryError(err, { kind: 'internal', action: 'retry' }).message;
    return outcomes.map((o) => {
      const d = doubtful.get(o.key);
      if (!d) return o;
      return {
        key: o.key,
        status: 'retryable',
        error: {
          ...d.o.error,
          action: 'retry',
          outcomeUnknown: true,
          message: `${d.o.error.message} The save asked for IsAutoSubmitAndAudit, so the record may be saved; checking it failed (${why}), so it is sent again (a saved one is then refused as a duplicate number, and checked).`,
        },
      };
    });
  }
  return outcomes.map((o) => {
    const d = doubtful.get(o.key);
    if (!d) return o;
    const hit = found.get(d.number);
    const now = hit ? status.get(hit.id) : undefined;
    if (!hit || now === undefined || now === 'C') return o;
    const step: FollowUpStep = now === 'B' ? 'Audit' : 'Submit';
    return {
      key: o.key,
      status: 'saved',
      targetId: hit.id,
      targetNumber: hit.number,
      created: d.slot.created,
      pending: {
        step,
        error: {
          ...d.o.error,
          action: 'reject_record',
          message: `${d.o.error.message} The record was saved nevertheless (found as ${hit.number}, id ${hit.id}, status ${now}): its ${step} is left for the next run.`,
        },
      },
    };
  });
}
