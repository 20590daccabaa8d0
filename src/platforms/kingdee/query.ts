import type { JsonObject } from '../../core/records.ts';
import type { KingdeeClient } from './client.ts';
import { MSG_CODES, callFailure, isKnownMsgCode } from './errors.ts';
import type { CallLabel } from './errors.ts';
import { errorSummary, findRawStatus, readStatus } from './parse.ts';

/**
 * ExecuteBillQuery (reference §2, §4): rows come back as arrays in FieldKeys order; an error comes back
 * wrapped as `[[{"Result":{"ResponseStatus":…}}]]` (or, on some versions, as the plain object).
 * Paging trap (§2): TopRowCount is an absolute cut-off applied before StartRow/Limit, so a page always sends
 * TopRowCount = StartRow + Limit, which is right under both readings of the documentation.
 */

/** Largest Limit the documentation allows (§2, §6). */
export const MAX_QUERY_LIMIT = 10000;

export interface QueryInput {
  formId: string;
  fieldKeys: string[];
  filterString?: string;
  orderString?: string;
  startRow: number;
  limit: number;
  /** Other `data` keys (SubSystemId, …). */
  extraData?: JsonObject;
}

export function escapeFilterValue(v: string): string {
  return `'${v.replace(/'/g, "''")}'`;
}

export async function queryRows(client: KingdeeClient, q: QueryInput, label: CallLabel, signal: AbortSignal): Promise<unknown[][]> {
  const limit = Math.max(1, Math.min(q.limit, MAX_QUERY_LIMIT));
  const data: JsonObject = {
    ...(q.extraData ?? {}),
    FormId: q.formId,
    FieldKeys: q.fieldKeys.join(','),
    FilterString: q.filterString ?? '',
    OrderString: q.orderString ?? '',
    TopRowCount: q.startRow + limit,
    StartRow: q.startRow,
    Limit: limit,
  };
  const value = await client.form({ op: 'ExecuteBillQuery', data, label, write: false, signal });
  const raw = findRawStatus(value);
  if (raw) {
    const status = readStatus(raw);
    const code = status.msgCode;
    const known = isKnownMsgCode(code) && !(code === undefined && status.msgCodeText !== undefined);
    const meaning = code === undefined ? undefined : MSG_CODES[code];
    const action = !known ? 'fail_run' : code === 14 ? 'retry_after' : meaning?.action === 'retry' ? 'retry' : 'fail_run';
    throw callFailure(
      {
        kind: !known ? 'bad_response' : code === 14 ? 'rate_limit' : 'vendor',
        action,
        label,
        what: `the query failed (MsgCode ${status.msgCodeText ?? 'missing'}${meaning ? `, ${meaning.meaning}` : known ? '' : ', unknown'}): ${errorSummary(status)}`,
        next: action === 'fail_run' ? `Check FormId, FieldKeys (${data.FieldKeys}) and FilterString.` : undefined,
        remote: { code: status.msgCodeText, detail: errorSummary(status), field: status.errors[0]?.fieldName },
      },
      client.redact,
    );
  }
  if (!Array.isArray(value) || !value.every((r) => Array.isArray(r))) {
    throw callFailure(
      { kind: 'bad_response', action: 'retry', label, what: 'the query answer is not an array of rows' },
      client.redact,
    );
  }
  return value as unknown[][];
}
