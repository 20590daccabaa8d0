import { formatBeijing, parseBeijing } from './beijing-time.ts';

/**
 * A lazily generated, ordered data set with a small overlay of changes.
 *
 * Records are never stored: record `i` (id `i + 1`) is generated from the seed on demand, and its base times
 * are non-decreasing in `i`, so a time window maps to an index range by binary search. Records changed or
 * added through the control API live in `overlay`. Queries answer a "view": the matching indices in
 * (time, id) order, cached per query and data version — 100,000 records cost one Int32Array per live query.
 */

export type Rec = Record<string, unknown>;
export type Filters = Record<string, string>;

export interface Query {
  filters: Filters;
  /** Closed interval on `key` (ms). */
  window?: { key: string; from: number; to: number };
}

export interface DatasetDef {
  name: string;
  idKey: string;
  count: number;
  /** Base time (ms) of generated record i per time key, non-decreasing in i. Keys: `modified` at least. */
  baseTime: Record<string, (i: number) => number>;
  generate(i: number): Rec;
  /** Cheap filter test on a generated record (no overlay); defaults to matchRecord(generate(i)). */
  matchIndex?(i: number, filters: Filters): boolean;
  matchRecord(rec: Rec, filters: Filters): boolean;
}

const VIEW_CACHE_SIZE = 16;

export class Dataset {
  private readonly overlay = new Map<number, Rec>();
  private added = 0;
  private lastTouchMs = 0;
  private views = new Map<string, { version: number; view: Int32Array }>();
  version = 0;

  constructor(readonly def: DatasetDef) {}

  get size(): number {
    return this.def.count + this.added;
  }

  get(i: number): Rec {
    return this.overlay.get(i) ?? this.def.generate(i);
  }

  indexOfId(id: number): number | undefined {
    return Number.isInteger(id) && id >= 1 && id <= this.size ? id - 1 : undefined;
  }

  /** Applies `set` to the record with this id; returns the new record or undefined when there is no such id. */
  modify(id: number, set: Rec): Rec | undefined {
    const i = this.indexOfId(id);
    if (i === undefined) return undefined;
    const rec = { ...this.get(i), ...set, [this.def.idKey]: id };
    this.overlay.set(i, rec);
    this.version++;
    return rec;
  }

  /** Marks the record modified now-ish: its `modified` moves past every generated time, so it moves to the end. */
  touch(id: number): Rec | undefined {
    const last = this.def.count > 0 ? this.def.baseTime.modified!(this.def.count - 1) : 0;
    this.lastTouchMs = Math.max(this.lastTouchMs, last) + 1000;
    return this.modify(id, { modified: formatBeijing(this.lastTouchMs) });
  }

  /** Adds a record built from a generated template; returns it with its new id. */
  add(fields: Rec): Rec {
    const i = this.size;
    const template = this.def.generate(i % Math.max(1, this.def.count));
    const rec = { ...template, ...fields, [this.def.idKey]: i + 1 };
    this.overlay.set(i, rec);
    this.added++;
    this.version++;
    return rec;
  }

  private timeOf(rec: Rec, key: string): number {
    const v = rec[key];
    return typeof v === 'string' ? (parseBeijing(v) ?? Number.NaN) : Number.NaN;
  }

  /** Matching indices in (time, id) order. */
  view(q: Query): Int32Array {
    const cacheKey = JSON.stringify(q);
    const hit = this.views.get(cacheKey);
    if (hit && hit.version === this.version) return hit.view;
    const view = this.build(q);
    this.views.delete(cacheKey);
    this.views.set(cacheKey, { version: this.version, view });
    if (this.views.size > VIEW_CACHE_SIZE) this.views.delete(this.views.keys().next().value as string);
    return view;
  }

  private build(q: Query): Int32Array {
    const key = q.window?.key ?? 'modified';
    const base = this.def.baseTime[key] ?? this.def.baseTime.modified!;
    let lo = 0;
    let hi = this.def.count;
    if (q.window) {
      lo = lowerBound(this.def.count, (i) => base(i) >= q.window!.from);
      hi = lowerBound(this.def.count, (i) => base(i) > q.window!.to);
    }
    const generated = new Int32Array(Math.max(0, hi - lo));
    let n = 0;
    const match = this.def.matchIndex
      ? (i: number) => this.def.matchIndex!(i, q.filters)
      : (i: number) => this.def.matchRecord(this.def.generate(i), q.filters);
    for (let i = lo; i < hi; i++) if (!this.overlay.has(i) && match(i)) generated[n++] = i;

    const extra: { i: number; t: number }[] = [];
    for (const [i, rec] of this.overlay) {
      const t = this.timeOf(rec, key);
      if (q.window && !(t >= q.window.from && t <= q.window.to)) continue;
      if (this.def.matchRecord(rec, q.filters)) extra.push({ i, t });
    }
    if (extra.length === 0) return generated.subarray(0, n);
    extra.sort((a, b) => a.t - b.t || a.i - b.i);

    const out = new Int32Array(n + extra.length);
    let g = 0;
    let e = 0;
    let o = 0;
    while (g < n || e < extra.length) {
      const gi = generated[g];
      const ex = extra[e];
      const takeGenerated =
        gi !== undefined && g < n && (ex === undefined || base(gi) < ex.t || (base(gi) === ex.t && gi < ex.i));
      if (takeGenerated) {
        out[o++] = gi;
        g++;
      } else {
        out[o++] = ex!.i;
        e++;
      }
    }
    return out;
  }
}

/** First i in [0, n) with pred(i) true, for a predicate that is false…false true…true. */
function lowerBound(n: number, pred: (i: number) => boolean): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (pred(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
