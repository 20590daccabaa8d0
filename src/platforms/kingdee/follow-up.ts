import type { WriteItem, WriteOutcome } from '../../core/contracts/platform.ts';
import { toFerryError, type FerryError } from '../../core/errors.ts';
import type { KingdeeClient } from './client.ts';
import type { CallLabel } from './errors.ts';
import type { FormTarget } from './form-target.ts';
import { splitOutcomes } from './outcomes.ts';
import { escapeFilterValue, queryRows } from './query.ts';

/**
 * The calls around an update of audited records (reference §5, §6, "Secondary calls fail on their own"):
 * UnAudit before the save, Submit and Audit after it. Each answer is classified like any other call:
 * - a whole-call failure before the save (MsgCode 14, 5xx, session) throws, so the engine retries the batch
 *   (an UnAudit repeated is harmless); after the save it never throws: the saved rows come back `saved`
 *   with `pending: {step, error}`, and the engine retries only that step, by id (WriteItem.resume);
 * - a row the answer fails (or does not mention) is checked against the record's FDocumentStatus: a record
 *   already in the state the step leads to is fine (a repeated Audit, an UnAudit of a record that was not
 *   audited); otherwise UnAudit rejects only that row with Kingdee's message, and Submit/Audit leave it
 *   saved but pending.
 */

export type FollowUpStep = 'Submit' | 'Audit';
export const FOLLOW_UP_STEPS: readonly FollowUpStep[] = ['Submit', 'Audit'];

/** FDocumentStatus values in which the step is done (A created → Submit → B → Audit → C). */
const DONE: Record<FollowUpStep, readonly string[]> = { Submit: ['B', 'C'], Audit: ['C'] };
const CHUNK = 200;

function idLiteral(id: string): string {
  return /^\d{1,15}$/.test(id) ? id : escapeFilterValue(id);
}

/** FDocumentStatus of records by internal id (absent: the record does not exist). */
export async function documentStatuses(client: KingdeeClient, t: FormTarget, ids: string[], label: CallLabel, signal: AbortSignal): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += CHUNK) {
    const chunk = unique.slice(i, i + CHUNK);
    const rows = await queryRows(
      client,
      { formId: t.formId, fieldKeys: [t.idKey, 'FDocumentStatus'], filterString: `${t.idKey} in (${chunk.map(idLiteral).join(',')})`, orderString: `${t.idKey} ASC`, startRow: 0, limit: chunk.length * 4 },
      { ...label, operation: `ExecuteBillQuery (status after ${label.operation})` },
      signal,
    );
    for (const r of rows) if (r[0] !== undefined && r[0] !== null) out.set(String(r[0]), String(r[1] ?? ''));
  }
  return out;
}

function isTransient(e: FerryError): boolean {
  return e.action === 'retry' || e.action === 'retry_after';
}

/** UnAudit of the records about to be updated. Returns the items to save and the outcomes of the ones that must not be. */
export async function unAuditFirst(
  client: KingdeeClient,
  t: FormTarget,
  items: WriteItem[],
  label: CallLabel,
  signal: AbortSignal,
): Promise<{ ready: WriteItem[]; out: WriteOutcome[] }> {
  const withId = items.filter((i) => i.existingId);
  const ready = items.filter((i) => !i.existingId);
  if (withId.length === 0) return { ready, out: [] };
  const l: CallLabel = { ...label, operation: `UnAudit (before ${label.operation} update)` };
  const value = await client.form({ op: 'UnAudit', formId: t.formId, data: { Ids: withId.map((i) => i.existingId).join(',') }, label: l, write: true, signal });
  const answers = splitOutcomes(value, withId.map((item, dIndex) => ({ item, dIndex, created: false })), l, client.redact);
  const out: WriteOutcome[] = [];
  const doubtful: { item: WriteItem; error: FerryError }[] = [];
  answers.forEach((a, k) => {
    const item = withId[k] as WriteItem;
    if (a.status === 'saved') ready.push(item);
    else if (a.status === 'retryable' && !a.error.maybeApplied) out.push({ key: item.key, status: 'retryable', error: a.error });
    else doubtful.push({ item, error: a.error });
  });
  if (doubtful.length > 0) {
    let status = await documentStatuses(client, t, doubtful.map((d) => d.item.existingId as string), l, signal);
    const submitted = doubtful.filter((d) => status.get(d.item.existingId as string) === 'B');
    if (submitted.length > 0) {
      // Submitted, not audited (a run stopped between Submit and Audit, or an Audit that did not complete): B can
      // neither be unaudited nor saved, so it is audited and then unaudited; the statuses say what came of it.
      const ids = submitted.map((d) => d.item.existingId as string);
      const failed = new Set<string>();
      for (const op of ['Audit', 'UnAudit'] as const) {
        const lo: CallLabel = { ...l, operation: `${op} (submitted record, before ${label.operation} update)` };
        const value = await client.form({ op, formId: t.formId, data: { Ids: ids.join(',') }, label: lo, write: true, signal });
        // Whole-call failures throw (the batch is retried); a row's failure is remembered for its outcome below.
        splitOutcomes(value, submitted.map((d, dIndex) => ({ item: d.item, dIndex, created: false })), lo, client.redact).forEach((a, k) => {
          const d = submitted[k] as (typeof submitted)[number];
          // The first step a row failed says why (an UnAudit after a failed Audit only fails because of it).
          if (a.status !== 'saved' && !failed.has(d.item.key)) {
            d.error = a.error;
            failed.add(d.item.key);
          }
        });
      }
      status = new Map([...status, ...(await documentStatuses(client, t, ids, l, signal))]);
    }
    for (const d of doubtful) {
      const now = status.get(d.item.existingId as string);
      if (now !== 'C' && now !== 'B') {
        ready.push(d.item); // not audited (nothing to undo), or gone: the save says what it says
        continue;
      }
      if (isTransient(d.error) && !d.error.maybeApplied) {
        out.push({ key: d.item.key, status: 'retryable', error: d.error });
        continue;
      }
      const detail = d.error.remote?.detail ?? d.error.message;
      out.push({
        key: d.item.key,
        status: 'rejected',
        error: {
          ...d.error,
          action: 'reject_record',
          message: `${d.error.message} The record is still ${now === 'B' ? 'submitted' : 'audited'}, so it was not updated.`,
          remote: { ...d.error.remote, detail: `UnAudit: ${detail}` },
        },
      });
    }
  }
  return { ready, out };
}

/**
 * Submit / Audit of saved records, from `steps[0]` on. Never throws: a step that fails leaves its rows
 * `saved` with `pending`.
 */
export async function followUp(
  client: KingdeeClient,
  t: FormTarget,
  saved: Extract<WriteOutcome, { status: 'saved' }>[],
  steps: readonly FollowUpStep[],
  label: CallLabel,
  signal: AbortSignal,
): Promise<WriteOutcome[]> {
  const result = new Map<string, WriteOutcome>();
  let going = saved;
  for (const step of steps) {
    if (going.length === 0) break;
    const l: CallLabel = { ...label, operation: `${step} (after ${label.operation})` };
    const pend = (o: (typeof going)[number], error: FerryError) => result.set(o.key, { ...o, pending: { step, error } });
    let answers: WriteOutcome[];
    try {
      const value = await client.form({ op: step, formId: t.formId, data: { Ids: going.map((o) => o.targetId).join(',') }, label: l, write: true, signal });
      const slots = going.map((o, dIndex) => ({ item: { key: o.key, payload: {}, ...(o.targetNumber ? { number: o.targetNumber } : {}) }, dIndex, created: false }));
      answers = splitOutcomes(value, slots, l, client.redact);
    } catch (err) {
      if (signal.aborted) throw err;
      const e = toFerryError(err, { kind: 'internal', action: 'retry' });
      for (const o of going) pend(o, e);
      going = [];
      break;
    }
    const next: typeof going = [];
    const doubtful: { o: (typeof going)[number]; error: FerryError }[] = [];
    answers.forEach((a, k) => {
      const o = going[k] as (typeof going)[number];
      if (a.status === 'saved') next.push(o);
      else if (a.status === 'retryable' && !a.error.maybeApplied) pend(o, a.error);
      else doubtful.push({ o, error: a.error });
    });
    if (doubtful.length > 0) {
      let status: Map<string, string> | undefined;
      try {
        status = await documentStatuses(client, t, doubtful.map((d) => d.o.targetId), l, signal);
      } catch (err) {
        if (signal.aborted) throw err;
        const e = toFerryError(err, { kind: 'internal', action: 'retry' });
        for (const d of doubtful) pend(d.o, e);
      }
      if (status) {
        for (const d of doubtful) {
          if (DONE[step].includes(status.get(d.o.targetId) ?? '')) next.push(d.o);
          // An answer that did not mention the row: the step may be retried; a refusal stays pending.
          else pend(d.o, isTransient(d.error) ? d.error : { ...d.error, action: 'reject_record' });
        }
      }
    }
    going = next;
  }
  for (const o of going) result.set(o.key, o);
  return saved.map((o) => result.get(o.key) ?? o);
}

/** The steps left from `resume` on (both when it is not one of them). */
export function stepsFrom(resume: string | undefined): readonly FollowUpStep[] {
  const i = FOLLOW_UP_STEPS.findIndex((s) => s.toLowerCase() === resume?.toLowerCase());
  return i < 0 ? FOLLOW_UP_STEPS : FOLLOW_UP_STEPS.slice(i);
}
