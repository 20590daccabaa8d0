import type { SourceSession, TargetSession, WriteOutcome } from '../../core/contracts/platform.ts';
import type { LineageRow, QualityCount, ServerStore } from '../../core/contracts/server-store.ts';
import type { LedgerRow, StateStore } from '../../core/contracts/state-store.ts';
import type { CompiledScheme } from '../../engine/compiled-scheme.ts';
import type { EngineDeps } from '../../engine/deps.ts';
import { payloadHash } from '../../engine/hash.ts';
import { readPath } from '../../engine/read-path.ts';
import { DUPLICATE_NUMBER_CODE } from '../../engine/record-pipeline.ts';

export type LineageMode = 'all' | 'failures' | 'off';

/** Entries kept while waiting for their ledger row; a bound, in case a record never settles. */
const MAX_PENDING = 50_000;

/**
 * Record lineage without touching the engine: the run's source, target and store are wrapped.
 * - the source tap remembers each record read (by source id, exploded line ids included);
 * - `getLedger` remembers stored source records (replays read them from there);
 * - the target tap remembers each written payload and the target's answer, by payload hash;
 * - when a page's ledger rows are committed, each written or rejected row gets its lineage row
 *   (source → payload → response) and every rejection is counted by code and field for the quality summary.
 * Memory holds only records whose page is not committed yet (bounded by the engine's in-flight pages).
 */
export function tapLineage(deps: EngineDeps, cs: CompiledScheme, server: ServerStore, mode: LineageMode): EngineDeps {
  const sources = new Map<string, string>();
  const exchanges = new Map<string, { payload: string; response: string | null; targetId: string | null }>();
  const keep = (m: Map<string, unknown>, k: string, v: unknown) => {
    if (m.size >= MAX_PENDING) m.delete(m.keys().next().value!);
    (m as Map<string, unknown>).set(k, v);
  };
  const s = cs.scheme;

  const source: SourceSession = {
    ...bind(deps.source),
    first: (spec) => deps.source.first(spec),
    async fetchPage(spec, cursor, signal) {
      const page = await deps.source.fetchPage(spec, cursor, signal);
      if (mode === 'all')
        for (const rec of page.records) {
          const id = readPath(rec, s.source.id);
          if (id === undefined || id === null || id === '') continue;
          const text = JSON.stringify(rec);
          keep(sources, String(id), text);
          if (s.source.beatFlat) {
            const lines = cs.explode(rec, String(id));
            if (Array.isArray(lines)) for (const l of lines) keep(sources, l.id, text);
          }
        }
      return page;
    },
  };

  const target: TargetSession = {
    ...bind(deps.target),
    maxBatchSize: (spec) => deps.target.maxBatchSize(spec),
    maxInFlight: deps.target.maxInFlight,
    async write(spec, items, signal) {
      const outcomes = await deps.target.write(spec, items, signal);
      if (mode === 'all') {
        const byKey = new Map(items.map((i) => [i.key, i]));
        for (const o of outcomes as WriteOutcome[]) {
          const item = byKey.get(o.key);
          if (!item || o.status === 'retryable') continue;
          keep(exchanges, payloadHash(item.payload), {
            payload: JSON.stringify(item.payload),
            response: o.response === undefined ? null : JSON.stringify(o.response),
            targetId: o.status === 'saved' ? o.targetId : null,
          });
        }
      }
      return outcomes;
    },
  };

  const inner = deps.store;
  const getLedger: StateStore['getLedger'] = async (scheme, ids) => {
    const rows = await inner.getLedger(scheme, ids);
    if (mode === 'all') for (const r of rows.values()) if (r.sourceData && !sources.has(r.sourceId)) keep(sources, r.sourceId, r.sourceData);
    return rows;
  };
  const commitPage: StateStore['commitPage'] = async (rows, checkpoint) => {
    await inner.commitPage(rows, checkpoint);
    const lineage: LineageRow[] = [];
    const quality = new Map<string, QualityCount>();
    for (const r of rows) {
      // Duplicate target numbers that were written anyway (quality.duplicateNumbers "report") count too.
      if (r.status === 'rejected' || r.status === 'failed' || r.errorCode === DUPLICATE_NUMBER_CODE) countRejection(quality, r);
      if (mode === 'off' || r.status === 'skipped') continue;
      if (mode === 'failures' && r.status === 'written') continue;
      lineage.push(lineageOf(r, sources.get(r.sourceId), r.payloadHash ? exchanges.get(r.payloadHash) : undefined));
      sources.delete(r.sourceId);
      if (r.payloadHash) exchanges.delete(r.payloadHash);
    }
    for (const r of rows) if (r.status === 'skipped') sources.delete(r.sourceId);
    await server.saveLineage(lineage);
    await server.addQualityCounts([...quality.values()]);
  };

  // A proxy (not a copy): every other method reaches the real store with `this` bound to it.
  const store = new Proxy(inner, {
    get(t, p) {
      if (p === 'getLedger') return getLedger;
      if (p === 'commitPage') return commitPage;
      const v = Reflect.get(t, p, t) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(t) : v;
    },
  });
  return { ...deps, source, target, store };
}

function lineageOf(r: LedgerRow, source: string | undefined, ex: { payload: string; response: string | null; targetId: string | null } | undefined): LineageRow {
  return {
    scheme: r.scheme,
    sourceId: r.sourceId,
    runId: r.runId,
    sourceData: r.sourceData ?? source ?? null,
    payload: r.payload ?? ex?.payload ?? null,
    response: r.response ?? ex?.response ?? null,
    targetId: r.targetId ?? ex?.targetId ?? null,
    updatedAt: r.updatedAt,
  };
}

function countRejection(m: Map<string, QualityCount>, r: LedgerRow): void {
  const code = r.errorCode ?? (r.status === 'failed' ? 'failed' : 'unknown');
  const field = r.errorField ?? '';
  const k = `${code}\u0000${field}`;
  const q = m.get(k) ?? { runId: r.runId, scheme: r.scheme, errorCode: code, errorField: field, count: 0 };
  q.count++;
  m.set(k, q);
}

/** Optional methods of a session, bound to it, so the wrapper keeps what the session offers. */
function bind<T extends object>(o: T): Partial<T> {
  const out: Record<string, unknown> = {};
  for (const k of ['close', 'lookup', 'maxWindowMs'])
    if (typeof (o as Record<string, unknown>)[k] === 'function') out[k] = ((o as Record<string, unknown>)[k] as (...a: unknown[]) => unknown).bind(o);
  return out as Partial<T>;
}
