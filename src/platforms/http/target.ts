import { createHash } from 'node:crypto';
import type { ExistingRecord, TargetSession, WriteItem, WriteOutcome, WriteSpec } from '../../core/contracts/platform.ts';
import { FerryFailure, type FerryError } from '../../core/errors.ts';
import type { JsonObject } from '../../core/records.ts';
import type { HttpClient } from './client.ts';
import { setPath } from './json-path.ts';
import { lookupExisting } from './lookup.ts';
import { parseExtra } from './options.ts';
import { addQuery, fillPath } from './request-parts.ts';
import { entriesByRow, isSuccess, rejection, rowOutcomes, saved, type RowContext } from './results.ts';
import { HttpWriteOptions } from './write-options.ts';

/**
 * Writes by metadata: WriteSpec.api is the path template, WriteSpec.params (otherRequest) the call's
 * parameters, WriteSpec.operation/extra say batch or single and where the rows go.
 *
 * Batch mode: one call per batch, rows under `rowsKey`, per-row results read by configured paths.
 * Single mode: one call per record (maxBatchSize 1, so the engine runs them in parallel up to maxInFlight).
 * Whole-call failures throw FerryFailure (maybeApplied when the request may have been applied), except
 * a refusal (reject_record): its rows come back rejected — or, when the response names the bad rows, those
 * rejected and the others `retryable`, since the target refused the batch as a whole.
 */
export function openHttpTarget(client: HttpClient): TargetSession {
  const conn = client.conn;
  return {
    maxBatchSize(spec: WriteSpec): number {
      const o = options(spec);
      return modeOf(spec, o) === 'single' ? 1 : Math.min(o.batchSize ?? conn.maxBatchSize, conn.maxBatchSize);
    },
    maxInFlight: conn.maxInFlight,
    canLookup: (spec: WriteSpec) => options(spec).lookup !== undefined,
    idempotentResend: (spec: WriteSpec) => options(spec).idempotencyHeader !== undefined,
    /** Without `extra.lookup` nothing can be looked up: returns an empty map (de-duplication relies on the ledger). */
    async lookup(spec: WriteSpec, numbers: string[], signal: AbortSignal): Promise<Map<string, ExistingRecord>> {
      const o = options(spec);
      if (!o.lookup || numbers.length === 0) return new Map();
      return lookupExisting(client, o.lookup, spec.numberField, numbers, o.errors, signal);
    },
    async write(spec: WriteSpec, items: WriteItem[], signal: AbortSignal): Promise<WriteOutcome[]> {
      if (items.length === 0) return [];
      const o = options(spec);
      return modeOf(spec, o) === 'single' ? writeEach(client, spec, o, items, signal) : writeBatch(client, spec, o, items, signal);
    },
    async close(): Promise<void> {
      client.close();
    },
  };
}

function options(spec: WriteSpec): HttpWriteOptions {
  return parseExtra(HttpWriteOptions, spec.extra, 'target.extra');
}

function rowsKeyOf(spec: WriteSpec, o: HttpWriteOptions): string | undefined {
  const k = o.rowsKey ?? (typeof spec.operation?.rowsKey === 'string' ? spec.operation.rowsKey : undefined);
  return k === undefined || k.trim() === '' ? undefined : k;
}

function modeOf(spec: WriteSpec, o: HttpWriteOptions): 'batch' | 'single' {
  if (o.mode) return o.mode;
  if (spec.operation?.method === 'single') return 'single';
  return rowsKeyOf(spec, o) !== undefined ? 'batch' : 'single';
}

function rowOf(item: WriteItem, o: HttpWriteOptions): JsonObject {
  let row = item.payload;
  if (item.existingId !== undefined && item.updateFields?.length) row = Object.fromEntries(item.updateFields.filter((f) => f in row).map((f) => [f, row[f]]));
  if (item.existingId !== undefined && o.idField !== undefined) row = { ...row, [o.idField]: item.existingId };
  return row;
}

function idempotencyHeaders(o: HttpWriteOptions, spec: WriteSpec, items: WriteItem[]): Record<string, string> {
  if (o.idempotencyHeader === undefined) return { ...o.headers };
  const h = createHash('sha256').update(spec.api);
  for (const it of items) h.update('\n').update(it.key).update('\n').update(JSON.stringify(it.payload));
  return { ...o.headers, [o.idempotencyHeader]: h.digest('base64url') };
}

async function writeBatch(client: HttpClient, spec: WriteSpec, o: HttpWriteOptions, items: WriteItem[], signal: AbortSignal): Promise<WriteOutcome[]> {
  const rows = items.map((it) => rowOf(it, o));
  const key = rowsKeyOf(spec, o) ?? 'rows';
  const asArray = key === 'array' || key === '$';
  const { path, rest } = fillPath(spec.api, spec.params);
  const url = client.resolve(path);
  let body: unknown;
  if (asArray || o.paramsIn === 'query') {
    addQuery(url, rest);
    body = asArray ? rows : setPath({}, key, rows);
  } else body = setPath({ ...rest }, key, rows);
  const ex = await client.exchange({ api: spec.api, method: spec.method, url, body, headers: idempotencyHeaders(o, spec, items), direction: 'write', rules: o.errors, signal });
  const ctx: RowContext = { where: `${client.ctx.connection}: ${spec.api}`, status: ex.reply.status, redact: (t) => client.redact(t) };
  if (!ex.problem) return rowOutcomes(items, ex.reply.json, o.results, ctx);
  if (ex.problem.action !== 'reject_record') throw new FerryFailure(ex.problem);
  return refusedBatch(items, ex.reply.json, o, ctx, ex.problem);
}

/** The target refused the whole call; name the rows it blames, if it does. */
function refusedBatch(items: WriteItem[], json: unknown, o: HttpWriteOptions, ctx: RowContext, problem: FerryError): WriteOutcome[] {
  const { results, errors } = entriesByRow(json, o.results, items);
  const blamed = new Map(errors);
  for (const [i, e] of results ?? []) if (!isSuccess(e.entry, o.results)) blamed.set(i, e);
  if (blamed.size === 0 || items.length === 1) {
    const message = items.length === 1 ? problem.message : problem.message.replace(/; [^;]*$/, `; the target refused the whole batch of ${items.length} rows`);
    return items.map((it) => ({ key: it.key, status: 'rejected', error: { ...problem, message } }));
  }
  return items.map((it, i): WriteOutcome => {
    const e = blamed.get(i);
    if (e) return { key: it.key, status: 'rejected', error: rejection(e.entry, o.results, ctx, problem.remote?.detail ?? 'rejected') };
    return {
      key: it.key,
      status: 'retryable',
      error: { kind: 'batch_refused', action: 'retry', message: `${ctx.where} refused the batch because of other rows; this row was not saved and is sent again`, ...(problem.remote ? { remote: problem.remote } : {}) },
    };
  });
}

async function writeEach(client: HttpClient, spec: WriteSpec, o: HttpWriteOptions, items: WriteItem[], signal: AbortSignal): Promise<WriteOutcome[]> {
  const out: WriteOutcome[] = [];
  for (const [i, item] of items.entries()) {
    try {
      out.push(await writeOne(client, spec, o, item, signal));
    } catch (err) {
      // Nothing written yet: the whole call failed. Otherwise keep what was saved and hand the rest back.
      if (!(err instanceof FerryFailure) || i === 0) throw err;
      for (const rest of items.slice(i)) out.push({ key: rest.key, status: 'retryable', error: rest === item ? err.error : { ...err.error, maybeApplied: false } });
      break;
    }
  }
  return out;
}

async function writeOne(client: HttpClient, spec: WriteSpec, o: HttpWriteOptions, item: WriteItem, signal: AbortSignal): Promise<WriteOutcome> {
  const update = item.existingId !== undefined ? o.update : undefined;
  const template = update?.api ?? spec.api;
  const method = update?.method ?? spec.method;
  const values = { ...spec.params, ...item.payload, ...(item.existingId !== undefined ? { id: item.existingId } : {}) };
  const { path } = fillPath(template, values, 'field', false);
  const url = client.resolve(path);
  const row = rowOf(item, o);
  let body: JsonObject;
  if (o.paramsIn === 'query') {
    addQuery(url, fillPath(template, spec.params, 'parameter', true).rest);
    body = row;
  } else body = { ...spec.params, ...row };
  const ex = await client.exchange({ api: spec.api, method, url, body, headers: idempotencyHeaders(o, spec, [item]), direction: 'write', rules: o.errors, signal });
  if (ex.problem) {
    if (ex.problem.action === 'reject_record') return { key: item.key, status: 'rejected', error: ex.problem, ...jsonObject(ex.reply.json) };
    throw new FerryFailure(ex.problem);
  }
  const json = ex.reply.json;
  const ctx: RowContext = { where: `${client.ctx.connection}: ${spec.api}`, status: ex.reply.status, redact: (t) => client.redact(t) };
  if (!isSuccess(json, o.results)) return { key: item.key, status: 'rejected', error: rejection(json, o.results, ctx, 'not saved (no message)'), ...jsonObject(json) };
  const outcome = saved(item, json, o.results);
  if (outcome.status === 'saved' && o.results.idPath === undefined) {
    // 201 Created without a body still names the new record in Location.
    const location = ex.reply.headers.get('location');
    const id = location?.split('?')[0]?.split('/').filter(Boolean).pop();
    if (id) return { ...outcome, targetId: decodeURIComponent(id) };
  }
  return outcome;
}

function jsonObject(json: unknown): { response?: JsonObject } {
  return json !== null && typeof json === 'object' && !Array.isArray(json) ? { response: json as JsonObject } : {};
}
