import { pick } from './body.ts';

/**
 * Paging behaviours of real K3Cloud servers that a client must survive (kingdee-webapi.md "inconvenient
 * behaviours"), applied to ExecuteBillQuery / BillQuery before the query runs:
 * - `maxLimit`: a silent cap on `Limit` (older versions cap it at 2000 whatever is asked), no error;
 * - `repeat`: a query at StartRow `startRow` is answered as if StartRow were `as`, the first `times` times (default 1);
 * - `cyclePeriod`: StartRow r is answered as r mod `cyclePeriod` (rows), for ever: pages that cycle.
 */
export interface QueryPaging {
  maxLimit?: number;
  repeat?: { startRow: number; as: number; times?: number };
  cyclePeriod?: number;
}

export class QueryPagingState {
  private repeated = 0;
  constructor(public paging: QueryPaging = {}) {}

  set(p: QueryPaging): void {
    this.paging = { ...p };
    this.repeated = 0;
  }

  /** The query's `data` as the configured server would really run it. */
  apply(data: unknown): unknown {
    const p = this.paging;
    if (typeof data !== 'object' || data === null || Array.isArray(data)) return data;
    if (p.maxLimit === undefined && !p.repeat && p.cyclePeriod === undefined) return data;
    const out: Record<string, unknown> = { ...(data as Record<string, unknown>) };
    const set = (key: string, v: number) => {
      const k = Object.keys(out).find((x) => x.toLowerCase() === key.toLowerCase()) ?? key;
      out[k] = v;
    };
    const start = Number(pick(out, 'StartRow') ?? 0) || 0;
    const limit = Number(pick(out, 'Limit') ?? 0) || 0;
    let served = start;
    if (p.cyclePeriod !== undefined && p.cyclePeriod > 0) served = start % p.cyclePeriod;
    if (p.repeat && start === p.repeat.startRow && this.repeated < (p.repeat.times ?? 1)) {
      this.repeated++;
      served = p.repeat.as;
    }
    const servedLimit = p.maxLimit !== undefined && (limit === 0 || limit > p.maxLimit) ? p.maxLimit : limit;
    if (served !== start || servedLimit !== limit) {
      set('StartRow', served);
      set('Limit', servedLimit);
      // TopRowCount is an absolute cut-off before StartRow/Limit (§2): keep it from hiding the served rows.
      const top = Number(pick(out, 'TopRowCount') ?? 0) || 0;
      if (top > 0) set('TopRowCount', Math.max(top - start + served, served + servedLimit));
    }
    return out;
  }
}
