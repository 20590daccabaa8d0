import type { RecordRef } from './records.ts';

/**
 * What the engine does about an error. Platforms decide the action from their vendor error table;
 * the engine carries it out (platforms never retry, sleep or persist).
 * - retry: transient; try again with backoff.
 * - retry_after: rate limited; wait `retryAfterMs` (or the policy's delay), then try again.
 * - reject_record: this record is bad; keep it with the reason, go on with the others.
 * - fail_run: nothing will work until a person acts (bad credentials, bad parameters); stop the run.
 */
export type ErrorAction = 'retry' | 'retry_after' | 'reject_record' | 'fail_run';

export interface RemoteDetail {
  /** HTTP status, when there was a response. */
  status?: number;
  /** The vendor's own error code (WDT `code`, Kingdee `MsgCode`/`ErrorCode`), kept as text. */
  code?: string;
  /** The vendor's own message, unchanged (secrets redacted). */
  detail?: string;
  /** Vendor field the error is about (Kingdee `FieldName`), when known. */
  field?: string;
}

/** Errors are values: a kind, an action, a message and, where known, the record and the vendor's words. */
export interface FerryError {
  /** Stable machine-readable kind, e.g. `http`, `auth`, `rate_limit`, `bad_response`, `mapping`, `validation`, `vendor`. */
  kind: string;
  action: ErrorAction;
  /** A plain sentence for a person: what happened, where, and the next step. */
  message: string;
  ref?: RecordRef;
  remote?: RemoteDetail;
  retryAfterMs?: number;
  /**
   * True when a write may have reached the target although no answer came back (timeout, dropped connection
   * after the request was sent). The engine must look the records up before it sends them again.
   */
  maybeApplied?: boolean;
  /**
   * True when a row answered retryable may nonetheless be saved, and re-sending it is safe because the target
   * refuses a second copy (e.g. Kingdee's duplicate number). When retries run out, the record is settled failed
   * "outcome unknown" (not "retries exhausted"), so the report does not say it is absent while it may be held;
   * the next run's look-up settles it.
   */
  outcomeUnknown?: boolean;
}

/** Carries a FerryError through `throw`, for the places where an async API can only reject. */
export class FerryFailure extends Error {
  readonly error: FerryError;
  constructor(error: FerryError, options?: { cause?: unknown }) {
    super(error.message, options);
    this.name = 'FerryFailure';
    this.error = error;
  }
}

export function ferryError(e: FerryError): FerryError {
  return e;
}

/** Turns anything thrown into a FerryError; unknown exceptions become retryable `internal` errors only if asked. */
export function toFerryError(err: unknown, fallback: Partial<FerryError> = {}): FerryError {
  if (err instanceof FerryFailure) return err.error;
  const message = err instanceof Error ? err.message : String(err);
  return { kind: 'internal', action: 'fail_run', message, ...fallback };
}

export function isFerryFailure(err: unknown): err is FerryFailure {
  return err instanceof FerryFailure;
}
