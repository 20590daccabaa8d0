import { FerryFailure } from '../../core/errors.ts';
import type { ErrorAction, FerryError, RemoteDetail } from '../../core/errors.ts';

/** Where a call happened, for messages: connection, form, operation and the batch (first…last number). */
export interface CallLabel {
  connection: string;
  operation: string;
  formId?: string;
  /** e.g. `C0001…C0100 (100 records)`. */
  batch?: string;
}

export function describeCall(l: CallLabel): string {
  const what = [l.formId, l.operation].filter(Boolean).join(' ');
  const batch = l.batch ? `, batch ${l.batch}` : '';
  return `Kingdee connection "${l.connection}": ${what}${batch}`;
}

/** `first…last (n records)` from the numbers of a batch (items without a number are counted, not named). */
export function batchLabel(numbers: readonly (string | undefined)[]): string {
  const named = numbers.filter((n): n is string => typeof n === 'string' && n.length > 0);
  const n = numbers.length;
  const count = `${n} record${n === 1 ? '' : 's'}`;
  if (named.length === 0) return count;
  if (n === 1) return `${named[0]}`;
  return `${named[0]}…${named[named.length - 1]} (${count})`;
}

/**
 * The MsgCode table (reference §4). `scope: 'call'` codes mean the request as a whole is wrong
 * (a person must act) unless some rows were saved anyway; `row` codes are about the records.
 */
export const MSG_CODES: Record<number, { meaning: string; action: ErrorAction; scope: 'call' | 'row' }> = {
  0: { meaning: 'default', action: 'reject_record', scope: 'row' },
  1: { meaning: 'context lost (session or credentials)', action: 'fail_run', scope: 'call' },
  2: { meaning: 'no permission', action: 'fail_run', scope: 'call' },
  3: { meaning: 'operation id empty', action: 'fail_run', scope: 'call' },
  4: { meaning: 'server exception (unknown FormId, bad filter, …)', action: 'fail_run', scope: 'call' },
  5: { meaning: 'bill id empty', action: 'reject_record', scope: 'row' },
  6: { meaning: 'database operation failed', action: 'retry', scope: 'row' },
  7: { meaning: 'licence error', action: 'fail_run', scope: 'call' },
  8: { meaning: 'parameter error', action: 'fail_run', scope: 'call' },
  9: { meaning: 'field or value does not exist', action: 'reject_record', scope: 'row' },
  10: { meaning: 'no data found', action: 'reject_record', scope: 'row' },
  11: { meaning: 'validation failed', action: 'reject_record', scope: 'row' },
  12: { meaning: 'not operable', action: 'reject_record', scope: 'row' },
  13: { meaning: 'network-control conflict (another user holds the record)', action: 'retry', scope: 'row' },
  14: { meaning: 'call limit', action: 'retry_after', scope: 'call' },
  15: { meaning: 'administrator login forbidden', action: 'fail_run', scope: 'call' },
};

export function isKnownMsgCode(code: number | undefined): boolean {
  return code === undefined || Object.prototype.hasOwnProperty.call(MSG_CODES, code);
}

export interface FailureInput {
  kind: string;
  action: ErrorAction;
  label: CallLabel;
  /** What went wrong, after the call description. */
  what: string;
  /** What the user should do next (optional). */
  next?: string;
  remote?: RemoteDetail;
  retryAfterMs?: number;
  maybeApplied?: boolean;
  cause?: unknown;
}

/** Builds the FerryError of a whole-call failure; the message names connection, form, operation and batch. */
export function callError(i: FailureInput, redact: (s: string) => string): FerryError {
  const applied = i.maybeApplied ? ' The request may have been applied: look the records up before sending them again.' : '';
  const next = i.next ? ` ${i.next}` : '';
  const err: FerryError = {
    kind: i.kind,
    action: i.action,
    message: redact(`${describeCall(i.label)}: ${endSentence(i.what)}${applied}${next}`),
  };
  if (i.remote) err.remote = { ...i.remote, detail: i.remote.detail === undefined ? undefined : redact(i.remote.detail) };
  if (i.retryAfterMs !== undefined) err.retryAfterMs = i.retryAfterMs;
  if (i.maybeApplied) err.maybeApplied = true;
  return err;
}

export function callFailure(i: FailureInput, redact: (s: string) => string): FerryFailure {
  return new FerryFailure(callError(i, redact), i.cause === undefined ? undefined : { cause: i.cause });
}

/** Ends a sentence once: Kingdee's own messages already end in `。`. */
export function endSentence(s: string): string {
  return /[.。!！?？]$/.test(s.trim()) ? s.trim() : `${s.trim()}.`;
}
