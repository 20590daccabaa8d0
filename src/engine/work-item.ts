import type { JsonObject, RecordRef } from '../core/records.ts';
import type { LedgerRow } from '../core/contracts/state-store.ts';

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
  /** Called once with the record's final ledger row. */
  settle: (row: LedgerRow) => void;
}
