import type { WriteItem, WriteOutcome } from '../../core/contracts/platform.ts';
import type { FerryError } from '../../core/errors.ts';
import type { JsonObject } from '../../core/records.ts';
import { MSG_CODES, callFailure, describeCall, endSentence, isKnownMsgCode } from './errors.ts';
import type { CallLabel } from './errors.ts';
import { asText, errorSummary, findRawStatus, isObject, readStatus } from './parse.ts';
import type { ResponseStatus, RowError } from './parse.ts';

/**
 * Splits the reply of a multi-record call (BatchSave, Submit, Audit, …) into one outcome per item, by
 * `DIndex` (reference §4, §6: packages succeed or fail on their own; nothing is assumed atomic).
 * Whole-call conditions (call limit, unknown MsgCode, a request-level error with nothing saved) throw.
 */

export interface Slot {
  item: WriteItem;
  /** Position of the item in the request's Model / Numbers array. */
  dIndex: number;
  created: boolean;
}

export function splitOutcomes(value: unknown, slots: Slot[], label: CallLabel, redact: (s: string) => string): WriteOutcome[] {
  const raw = findRawStatus(value);
  if (!raw) {
    throw callFailure(
      { kind: 'bad_response', action: 'retry', label, what: 'the answer has no Result.ResponseStatus', maybeApplied: true },
      redact,
    );
  }
  const status = readStatus(raw);
  if (!isKnownMsgCode(status.msgCode) || (status.msgCode === undefined && status.msgCodeText !== undefined)) {
    throw callFailure(
      {
        kind: 'bad_response',
        action: 'fail_run',
        label,
        what: `the answer carries an unknown MsgCode "${status.msgCodeText}" (${errorSummary(status)})`,
        next: 'Compare with the Kingdee MsgCode table; the profile may need an update.',
        maybeApplied: true,
        remote: { code: status.msgCodeText, detail: errorSummary(status) },
      },
      redact,
    );
  }
  const code = status.msgCode;
  const meaning = code === undefined ? undefined : MSG_CODES[code];
  if (status.isSuccess !== true && code === 14) {
    throw callFailure(
      { kind: 'rate_limit', action: 'retry_after', label, what: `call limit reached (MsgCode 14: ${errorSummary(status)})`, remote: { code: '14', detail: errorSummary(status) } },
      redact,
    );
  }
  if (status.isSuccess !== true && meaning?.scope === 'call' && status.successes.length === 0) {
    const first = status.errors[0];
    throw callFailure(
      {
        kind: 'vendor',
        action: meaning.action,
        label,
        what: `Kingdee refused the request (MsgCode ${code}, ${meaning.meaning}): ${errorSummary(status)}`,
        remote: { code: String(code), detail: errorSummary(status), field: first?.fieldName },
      },
      redact,
    );
  }

  const bySlot = new Map<number, Slot>(slots.map((s) => [s.dIndex, s]));
  const byNumber = new Map<string, Slot>();
  for (const s of slots) if (s.item.number) byNumber.set(s.item.number, s);
  const single = slots.length === 1 ? slots[0] : undefined;
  const out = new Map<string, WriteOutcome>();

  const result = isObject(value) && isObject(value.Result) ? value.Result : {};
  // DIndex is the only link between a row and its result (reference, "Inconvenient behaviours"): where a
  // result also names its record, the two must agree, or nothing in this answer can be trusted.
  const placed = status.successes.map((s) => ({
    s,
    slot: (s.dIndex !== undefined ? bySlot.get(s.dIndex) : undefined) ?? (s.number ? byNumber.get(s.number) : undefined) ?? single,
  }));
  const wrong = placed.find(({ s, slot }) => slot && s.number && slot.item.number && !sameNumber(s.number, slot.item.number));
  if (wrong) return unreliable(slots, label, redact, wrong.s.number ?? '', wrong.slot as Slot);
  for (const [si, { s, slot }] of placed.entries()) {
    if (!slot || out.has(slot.item.key)) continue;
    const id = s.id ?? (single ? asText(result.Id) : undefined) ?? slot.item.existingId;
    if (!id) continue; // left for the "not mentioned" rule below
    out.set(slot.item.key, {
      key: slot.item.key,
      status: 'saved',
      targetId: id,
      targetNumber: s.number ?? slot.item.number,
      created: slot.created,
      // NeedReturnData rows follow SuccessEntitys (one per saved package), not the Model positions.
      ...(needReturn(result, si) ?? {}),
    });
  }

  // Errors without a usable DIndex apply to every item that is otherwise unaccounted for.
  const rowErrors = new Map<number, RowError[]>();
  const general: RowError[] = [];
  for (const e of status.errors) {
    const slot = e.dIndex !== undefined ? bySlot.get(e.dIndex) : single;
    if (!slot) general.push(e);
    else rowErrors.set(slot.dIndex, [...(rowErrors.get(slot.dIndex) ?? []), e]);
  }
  const retryable = meaning?.action === 'retry';
  for (const slot of slots) {
    if (out.has(slot.item.key)) continue;
    const errs = rowErrors.get(slot.dIndex) ?? general;
    if (errs.length > 0) {
      const error = rowError(errs, status, slot, label, redact, retryable);
      out.set(slot.item.key, retryable ? { key: slot.item.key, status: 'retryable', error } : { key: slot.item.key, status: 'rejected', error });
      continue;
    }
    // Answered, but the record is neither among the saved nor among the failed: it may exist.
    out.set(slot.item.key, {
      key: slot.item.key,
      status: 'retryable',
      error: {
        kind: 'bad_response',
        action: 'retry',
        maybeApplied: true,
        message: redact(
          `${describeCall(label)}: the answer does not mention record ${slot.item.number ?? `#${slot.dIndex}`} (DIndex ${slot.dIndex}). Look it up before sending it again.`,
        ),
      },
    });
  }
  return slots.map((s) => out.get(s.item.key) as WriteOutcome);
}

function sameNumber(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

/**
 * An answer whose DIndex points at a row with another number: which row was saved (and under which id) is
 * unknown, so every row is handed back as maybe-applied for the engine to look up before deciding.
 */
function unreliable(slots: Slot[], label: CallLabel, redact: (s: string) => string, said: string, slot: Slot): WriteOutcome[] {
  const message = redact(
    `${describeCall(label)}: the answer does not match the request: the result for DIndex ${slot.dIndex} names record ${said}, but that package is record ${slot.item.number ?? '?'}. ` +
      'The rows are looked up before anything is decided or sent again.',
  );
  return slots.map((s) => ({ key: s.item.key, status: 'retryable', error: { kind: 'bad_response', action: 'retry', maybeApplied: true, message } }));
}

function needReturn(result: JsonObject, index: number): { response: JsonObject } | undefined {
  const rows = result.NeedReturnData;
  if (!Array.isArray(rows)) return undefined;
  const row: unknown = rows[index];
  return isObject(row) && Object.keys(row).length > 0 ? { response: row } : undefined;
}

function rowError(
  errs: RowError[],
  status: ResponseStatus,
  slot: Slot,
  label: CallLabel,
  redact: (s: string) => string,
  retryable: boolean,
): FerryError {
  const detail = errs.map((e) => e.message).filter(Boolean).join('; ') || 'no message';
  const field = errs.find((e) => e.fieldName)?.fieldName;
  const who = slot.item.number ?? `#${slot.dIndex}`;
  const next = retryable ? ' It is transient; the record will be sent again.' : ' Fix the source record or the mapping, then replay it.';
  return {
    kind: 'vendor',
    action: retryable ? 'retry' : 'reject_record',
    message: redact(
      `${describeCall(label)}: record ${who} (DIndex ${slot.dIndex}) ${retryable ? 'failed' : 'rejected'}${field ? ` on ${field}` : ''}: ${endSentence(detail)}${next}`,
    ),
    remote: { code: status.msgCodeText, detail: redact(detail), field },
  };
}
