import type { FerryError } from '../errors.ts';
import { describeRef, type RecordRef } from '../records.ts';
import type { MappingIssue } from './issues.ts';

/**
 * The FerryError for a record whose mapping failed: kind `mapping`, action `reject_record` (the record is
 * kept with its reason; the others go on). The message names the record, every failing field, and the next step.
 */
export function mappingFailure(issues: readonly MappingIssue[], ref?: RecordRef): FerryError {
  const where = ref ? `${describeRef(ref)}: ` : '';
  const list = issues.map((i) => i.message).join('; ');
  const err: FerryError = {
    kind: 'mapping',
    action: 'reject_record',
    message: `${where}mapping failed: ${list}. Fix the mapping or the source record, then replay the record.`,
  };
  if (ref) err.ref = ref;
  return err;
}
