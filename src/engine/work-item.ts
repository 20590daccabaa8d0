import type { JsonObject, RecordRef } from '../core/records.ts';
import type { LedgerRow } from '../core/contracts/state-store.ts';
import type { FerryError } from '../core/errors.ts';

/** A record on its way to the target, with everything needed to write its ledger row. */
export interface WorkItem {
  key: string;
  ref: RecordRef;
  source: JsonObject;
  payload: JsonObject;
  hash: string;
  number?: string;
  /** Known from the ledger: the target id this record was delivered to. */
  existingId?: string;
  /** The record is saved; only its follow-up steps from this one on are left (WriteItem.resume). */
  resume?: string;
  /** Created by an earlier attempt of this run (then resumed by id): its ledger row still says created. */
  createdHere?: boolean;
  /** Why the step named by `resume` did not complete, last time. */
  pendingError?: FerryError;
  /** The last retryable answer of this record's row (its message is kept when retries run out). */
  lastRetryError?: FerryError;
  /** An answer said the row may be saved (`outcomeUnknown`); later answers cannot take that back. */
  mayBeSaved?: boolean;
  /** Called once with the record's final ledger row. */
  settle: (row: LedgerRow) => void;
}

/** Ledger detail of a written record whose follow-up step did not complete: `updated, pending Audit`. */
export function incompleteDetail(created: boolean, step: string): string {
  return `${created ? 'created' : 'updated'}, pending ${step}`;
}

/** The step a written record still waits for, from its ledger detail (undefined when it is complete). */
export function pendingStepOf(detail: string | null | undefined): string | undefined {
  return detail ? /, pending (\w+)$/.exec(detail)?.[1] : undefined;
}
