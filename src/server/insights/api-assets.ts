import { LATENCY_BOUNDS_MS, type ApiStatBucket } from '../../core/contracts/server-store.ts';
import type { SchemeSummary } from '../schemes/scheme-service.ts';

export interface ApiAsset {
  connection: string;
  platform: string;
  api: string;
  calls: number;
  errors: number;
  errorRate: number;
  avgMs: number | null;
  p50Ms: number | null;
  p95Ms: number | null;
  lastHour: number | null;
  /** Schemes that use this API (or, for calls a scheme does not name directly, this connection). */
  usedBy: { scheme: string; side: 'source' | 'target' }[];
}

/** Estimates a quantile from histogram counts, interpolating linearly inside the bucket. */
export function quantile(hist: number[], q: number): number | null {
  const total = hist.reduce((a, b) => a + b, 0);
  if (!total) return null;
  const rank = q * total;
  let seen = 0;
  for (let i = 0; i < hist.length; i++) {
    const n = hist[i]!;
    if (seen + n >= rank && n > 0) {
      const lo = i === 0 ? 0 : LATENCY_BOUNDS_MS[i - 1]!;
      const hi = LATENCY_BOUNDS_MS[i] ?? LATENCY_BOUNDS_MS[LATENCY_BOUNDS_MS.length - 1]!;
      return Math.round(lo + ((hi - lo) * (rank - seen)) / n);
    }
    seen += n;
  }
  return LATENCY_BOUNDS_MS[LATENCY_BOUNDS_MS.length - 1]!;
}

/**
 * The API asset view: every API the schemes name and every API actually called, per connection, with calls,
 * errors and latency p50/p95 over the period (from the hourly histograms), and which schemes use it.
 */
export function apiAssets(stats: ApiStatBucket[], schemes: SchemeSummary[], platformOf: (connection: string) => string | undefined): { apis: ApiAsset[]; connections: Omit<ApiAsset, 'api' | 'usedBy'>[] } {
  const byApi = new Map<string, { connection: string; platform: string; api: string; calls: number; errors: number; totalMs: number; hist: number[]; last: number }>();
  const byConn = new Map<string, { connection: string; platform: string; calls: number; errors: number; totalMs: number; hist: number[]; last: number }>();
  const empty = () => new Array<number>(LATENCY_BOUNDS_MS.length + 1).fill(0);
  for (const b of stats) {
    const k = `${b.connection}\u0000${b.api.toLowerCase()}`;
    const a = byApi.get(k) ?? { connection: b.connection, platform: b.platform, api: b.api, calls: 0, errors: 0, totalMs: 0, hist: empty(), last: 0 };
    const c = byConn.get(b.connection) ?? { connection: b.connection, platform: b.platform, calls: 0, errors: 0, totalMs: 0, hist: empty(), last: 0 };
    for (const t of [a, c]) {
      t.calls += b.calls;
      t.errors += b.errors;
      t.totalMs += b.totalMs;
      b.hist.forEach((n, i) => (t.hist[i] = (t.hist[i] ?? 0) + n));
      t.last = Math.max(t.last, b.bucketStart);
    }
    byApi.set(k, a);
    byConn.set(b.connection, c);
  }
  const declared: { scheme: string; side: 'source' | 'target'; connection: string; api: string }[] = [];
  for (const s of schemes) {
    if (s.source) declared.push({ scheme: s.name, side: 'source', ...s.source });
    if (s.target) declared.push({ scheme: s.name, side: 'target', ...s.target });
  }
  for (const d of declared) {
    const k = `${d.connection}\u0000${d.api.toLowerCase()}`;
    if (!byApi.has(k)) byApi.set(k, { connection: d.connection, platform: platformOf(d.connection) ?? '?', api: d.api, calls: 0, errors: 0, totalMs: 0, hist: empty(), last: 0 });
  }
  const figures = (t: { calls: number; errors: number; totalMs: number; hist: number[]; last: number }) => ({
    calls: t.calls,
    errors: t.errors,
    errorRate: t.calls ? t.errors / t.calls : 0,
    avgMs: t.calls ? Math.round(t.totalMs / t.calls) : null,
    p50Ms: quantile(t.hist, 0.5),
    p95Ms: quantile(t.hist, 0.95),
    lastHour: t.last || null,
  });
  const apis = [...byApi.values()].map((a) => {
    const exact = declared.filter((d) => d.connection === a.connection && d.api.toLowerCase() === a.api.toLowerCase());
    const usedBy = (exact.length ? exact : declared.filter((d) => d.connection === a.connection)).map((d) => ({ scheme: d.scheme, side: d.side }));
    return { connection: a.connection, platform: a.platform, api: a.api, ...figures(a), usedBy };
  });
  apis.sort((x, y) => x.connection.localeCompare(y.connection) || y.calls - x.calls || x.api.localeCompare(y.api));
  const connections = [...byConn.values()].map((c) => ({ connection: c.connection, platform: c.platform, ...figures(c) }));
  return { apis, connections };
}
