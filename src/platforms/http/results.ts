import type { WriteItem, WriteOutcome } from '../../core/contracts/platform.ts';
import { FerryFailure, type FerryError } from '../../core/errors.ts';
import type { JsonObject } from '../../core/records.ts';
import { getPath, scalarText } from './json-path.ts';
import type { HttpResults } from './write-options.ts';

/**
 * Per-row results of a batch call, read by configured paths, so a batch with one bad row saves the others
 * (as Kingdee's BatchSave does). A row is rejected when an error entry names it, or its result entry is not
 * a success; saved when its entry is a success, or — with no results array configured — when no error
 * names it. A row a configured results array says nothing about is `retryable` with maybeApplied: the
 * engine looks it up before sending it again. A response without the configured results array stops the
 * run (a wrong path would otherwise report every row saved).
 */

export interface RowContext {
  /** Prefix of messages: `<connection>: <api>`. */
  where: string;
  status: number;
  redact: (t: string) => string;
}

type Entry = { entry: unknown };

function asArray(v: unknown): unknown[] | undefined {
  return Array.isArray(v) ? v : undefined;
}

function indexOf(entry: unknown, r: HttpResults, fallback: number | undefined, fallbackPath?: string): number | undefined {
  const path = r.indexPath ?? fallbackPath;
  if (path === undefined) return fallback;
  const n = Number(getPath(entry, path));
  return Number.isInteger(n) ? n - r.indexBase : undefined;
}

/** Entries keyed by row position, from the results array and the error array. Undefined when neither was found. */
export function entriesByRow(json: unknown, r: HttpResults, items: WriteItem[]): { results?: Map<number, Entry>; errors: Map<number, Entry>; found: boolean } {
  const errors = new Map<number, Entry>();
  const errorList = r.errorsPath !== undefined ? asArray(getPath(json, r.errorsPath)) : undefined;
  errorList?.forEach((e) => {
    const i = indexOf(e, r, undefined, 'index');
    if (i !== undefined) errors.set(i, { entry: e });
  });
  const list = r.path !== undefined ? asArray(getPath(json, r.path)) : undefined;
  let results: Map<number, Entry> | undefined;
  if (list) {
    results = new Map();
    const byNumber = new Map(items.map((it, i) => [it.number, i] as const));
    for (const [pos, e] of list.entries()) {
      const i = r.matchBy === 'number' && r.numberPath !== undefined ? byNumber.get(scalarText(getPath(e, r.numberPath))) : indexOf(e, r, pos);
      if (i !== undefined) results.set(i, { entry: e });
    }
  }
  return { ...(results ? { results } : {}), errors, found: list !== undefined || errorList !== undefined };
}

export function isSuccess(entry: unknown, r: HttpResults): boolean {
  if (r.successPath !== undefined) return scalarText(getPath(entry, r.successPath)) === String(r.successValue);
  if (r.messagePath !== undefined) return scalarText(getPath(entry, r.messagePath)) === undefined;
  return true;
}

export function rejection(entry: unknown, r: HttpResults, ctx: RowContext, fallback: string): FerryError {
  const msg = scalarText(getPath(entry, r.messagePath ?? 'message')) ?? scalarText(getPath(entry, 'error.message')) ?? scalarText(getPath(entry, 'error')) ?? fallback;
  const code = r.codePath !== undefined ? scalarText(getPath(entry, r.codePath)) : undefined;
  const detail = ctx.redact(msg);
  return {
    kind: 'vendor',
    action: 'reject_record',
    message: ctx.redact(`${ctx.where} rejected the record: ${detail}${code !== undefined ? ` (code ${code})` : ''}; fix the record or the mapping and replay it`),
    remote: { status: ctx.status, ...(code !== undefined ? { code: ctx.redact(code) } : {}), detail },
  };
}

export function saved(item: WriteItem, entry: unknown, r: HttpResults): WriteOutcome {
  const id = r.idPath !== undefined ? scalarText(getPath(entry, r.idPath)) : undefined;
  const number = r.numberPath !== undefined ? scalarText(getPath(entry, r.numberPath)) : undefined;
  const createdFlag = r.createdPath !== undefined ? getPath(entry, r.createdPath) : undefined;
  const created = createdFlag !== undefined ? createdFlag === true || createdFlag === 'true' || createdFlag === 1 : item.existingId === undefined;
  return {
    key: item.key,
    status: 'saved',
    targetId: id ?? item.existingId ?? item.number ?? '',
    ...((number ?? item.number) !== undefined ? { targetNumber: number ?? item.number } : {}),
    created,
    ...(entry !== null && typeof entry === 'object' && !Array.isArray(entry) ? { response: entry as JsonObject } : {}),
  };
}

export function rowOutcomes(items: WriteItem[], json: unknown, r: HttpResults, ctx: RowContext): WriteOutcome[] {
  const { results, errors } = entriesByRow(json, r, items);
  if (r.path !== undefined && !results) {
    // Most likely a wrong results.path: stop rather than guess, and have the rows looked up before a resend.
    const keys = json !== null && typeof json === 'object' ? Object.keys(json).slice(0, 12).join(', ') : typeof json;
    throw new FerryFailure({
      kind: 'bad_response',
      action: 'fail_run',
      maybeApplied: true,
      message: `${ctx.where} answered HTTP ${ctx.status} without a results array at "${r.path}" (the response has: ${keys}); set target.extra.results.path to where the per-row results are`,
    });
  }
  return items.map((item, i): WriteOutcome => {
    const err = errors.get(i);
    if (err) return { key: item.key, status: 'rejected', error: rejection(err.entry, r, ctx, 'rejected without a message'), ...responseOf(err.entry) };
    const res = results?.get(i);
    if (res) {
      if (isSuccess(res.entry, r)) return saved(item, res.entry, r);
      return { key: item.key, status: 'rejected', error: rejection(res.entry, r, ctx, 'not saved (no message)'), ...responseOf(res.entry) };
    }
    if (results)
      return {
        key: item.key,
        status: 'retryable',
        error: {
          kind: 'bad_response',
          action: 'retry',
          maybeApplied: true,
          message: `${ctx.where} answered without a result for row ${i + r.indexBase}; ferry checks whether it was saved before sending it again`,
        },
      };
    return saved(item, undefined, r);
  });
}

function responseOf(entry: unknown): { response?: JsonObject } {
  return entry !== null && typeof entry === 'object' && !Array.isArray(entry) ? { response: entry as JsonObject } : {};
}
