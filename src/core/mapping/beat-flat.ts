import type { FerryError } from '../errors.ts';
import { FerryFailure } from '../errors.ts';
import { describeRef, type Envelope } from '../records.ts';
import { CompileError } from './issues.ts';
import { parseSourcePath, readPath } from './path.ts';
import { MISSING, isPlainObject, showValue } from './values.ts';

/**
 * beatFlat: explode a nested array into one record per line (order → order lines).
 *
 * Each line record is `{...header, ...line}`: the header is the record without the exploded array, and the
 * line's keys win over the header's on a clash (a line's `remark` beats the order's `remark`); set
 * `conflict: 'header'` for the opposite. A line that is not an object (e.g. a list of tags) is put under
 * the array's own key: `{...header, tags: "a"}`. `ref.sourceId` gets `-0`, `-1`, … (the ledger's key per
 * line); `sourceNumber` stays the record's business number (for messages).
 * A record whose array is missing, null or empty passes through unchanged by default (`onEmpty: 'keep'`,
 * nothing is lost silently) or is dropped with `onEmpty: 'drop'`. A value that is not an array is an error.
 */

export interface BeatFlatOptions {
  onEmpty?: 'keep' | 'drop';
  /** Which side wins when header and line share a key (default `line`). */
  conflict?: 'line' | 'header';
  /** When set, each line record gets its index in the array under this key. */
  indexKey?: string;
}

type Outcome = { ok: true; records: Envelope[] } | { ok: false; error: FerryError };

function withoutPath(data: Record<string, unknown>, segments: (string | number)[]): Record<string, unknown> {
  // Copy only along the path; the rest of the header is shared with the input record.
  const [head, ...rest] = segments;
  const out = { ...data };
  if (typeof head !== 'string') return out;
  if (rest.length === 0) delete out[head];
  else if (isPlainObject(out[head])) out[head] = withoutPath(out[head], rest);
  return out;
}

/** Why `path` cannot be a beatFlat path, or undefined when it can (for `ferry validate` on `source.beatFlat`). */
export function beatFlatPathProblem(path: string): string | undefined {
  try {
    compileBeatFlat(path);
    return undefined;
  } catch (e) {
    if (e instanceof CompileError) return e.message;
    throw e;
  }
}

type Lines = { kind: 'empty' } | { kind: 'bad'; value: unknown } | { kind: 'lines'; data: Record<string, unknown>[] };

function compileLines(path: string, opts: BeatFlatOptions): (data: Record<string, unknown>) => Lines {
  const parsed = parseSourcePath(path);
  if (parsed.root !== 'row') throw new CompileError(`beatFlat path "${path}" must be a field of the record`);
  const segments = parsed.segments;
  const lastKey = String(segments[segments.length - 1]);
  const lineFirst = opts.conflict !== 'header';
  return (data) => {
    const lines = readPath(data, segments);
    if (lines === MISSING || lines === null || (Array.isArray(lines) && lines.length === 0)) return { kind: 'empty' };
    if (!Array.isArray(lines)) return { kind: 'bad', value: lines };
    const header = withoutPath(data, segments);
    return {
      kind: 'lines',
      data: lines.map((line, i) => {
        const lineObj = isPlainObject(line) ? line : { [lastKey]: line };
        const merged = lineFirst ? { ...header, ...lineObj } : { ...lineObj, ...header };
        if (opts.indexKey !== undefined) merged[opts.indexKey] = i;
        return merged;
      }),
    };
  };
}

function notAList(path: string, value: unknown): string {
  return `beatFlat "${path}" is ${showValue(value)}, not a list; check the source block's beatFlat path`;
}

/** Compiles `path` once; returns the per-record explode function. Throws CompileError for a bad path (see beatFlatPathProblem). */
export function compileBeatFlat(path: string, opts: BeatFlatOptions = {}): (env: Envelope) => Outcome {
  const explode = compileLines(path, opts);
  return (env) => {
    const r = explode(env.data);
    if (r.kind === 'empty') return { ok: true, records: opts.onEmpty === 'drop' ? [] : [env] };
    if (r.kind === 'bad')
      return { ok: false, error: { kind: 'mapping', action: 'reject_record', ref: env.ref, message: `${describeRef(env.ref)}: ${notAList(path, r.value)}` } };
    return { ok: true, records: r.data.map((data, i) => ({ ref: { ...env.ref, sourceId: `${env.ref.sourceId}-${i}` }, data })) };
  };
}

/**
 * The same for callers holding a record's data and id separately: `(data, sourceId) → [{id, data}]`, ids
 * suffixed `-0`, `-1`, …; a record without lines comes back as `[{id: sourceId, data}]` (or `[]` with
 * `onEmpty: 'drop'`); a value that is not a list throws a FerryFailure (kind mapping, reject_record).
 */
export function compileExplode(path: string, opts: BeatFlatOptions = {}): (data: Record<string, unknown>, sourceId: string) => { id: string; data: Record<string, unknown> }[] {
  const explode = compileLines(path, opts);
  return (data, sourceId) => {
    const r = explode(data);
    if (r.kind === 'empty') return opts.onEmpty === 'drop' ? [] : [{ id: sourceId, data }];
    if (r.kind === 'bad') throw new FerryFailure({ kind: 'mapping', action: 'reject_record', message: `record id ${sourceId}: ${notAList(path, r.value)}` });
    return r.data.map((d, i) => ({ id: `${sourceId}-${i}`, data: d }));
  };
}

/** Explodes one record. */
export function beatFlatRecord(env: Envelope, path: string, opts?: BeatFlatOptions): Outcome {
  return compileBeatFlat(path, opts)(env);
}

/**
 * Streams records, exploding each. A record whose value is not a list goes to `onError` (default: throw a
 * FerryFailure carrying the reject_record error), so the caller can keep it as rejected and go on.
 */
export async function* beatFlat(
  records: AsyncIterable<Envelope> | Iterable<Envelope>,
  path: string,
  opts: BeatFlatOptions & { onError?: (error: FerryError, record: Envelope) => void } = {},
): AsyncGenerator<Envelope> {
  const explode = compileBeatFlat(path, opts);
  for await (const env of records) {
    const r = explode(env);
    if (r.ok) yield* r.records;
    else if (opts.onError) opts.onError(r.error, env);
    else throw new FerryFailure(r.error);
  }
}
