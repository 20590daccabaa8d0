import type { Cursor, ExistingRecord, ReadSpec, SourcePage, SourceSession, TargetSession, WriteItem, WriteOutcome } from '../core/contracts/platform.ts';
import type { StateStore } from '../core/contracts/state-store.ts';
import { Unlimited } from '../core/policy/rate-limiter.ts';
import type { JsonObject } from '../core/records.ts';
import { Scheme } from '../core/scheme/scheme.ts';
import type { CompiledScheme } from './compiled-scheme.ts';
import type { EngineDeps } from './deps.ts';

/** In-memory source and target for tests of the engine's own logic (platforms are tested against the emulators). */
export class ArraySource implements SourceSession {
  calls = 0;
  /** Called before each page is answered (tests park or fail a read here). */
  beforePage: (page: number) => Promise<void> | void = () => {};
  constructor(public records: JsonObject[]) {}
  first(): Cursor {
    return { page: 0 };
  }
  async fetchPage(spec: ReadSpec, cursor: Cursor): Promise<SourcePage> {
    this.calls++;
    const p = Number(cursor.page);
    await this.beforePage(p);
    const records = this.records.slice(p * spec.pageSize, (p + 1) * spec.pageSize);
    return { records, next: records.length < spec.pageSize ? null : { page: p + 1 }, label: String(p) };
  }
}

export class MapTarget implements TargetSession {
  maxInFlight = 4;
  store = new Map<string, { id: string; payload: JsonObject }>();
  rejectIf: (p: JsonObject) => string | undefined = () => undefined;
  /** Rows answered retryable (not applied), every time: they end `failed` once retries are exhausted. */
  transientIf: (p: JsonObject) => boolean = () => false;
  /** Rows saved but answered retryable with `outcomeUnknown`, every time (a re-send is refused as a copy). */
  doubtIf: (p: JsonObject) => boolean = () => false;
  maxBatchSize() {
    return 50;
  }
  async lookup(_s: unknown, numbers: string[]): Promise<Map<string, ExistingRecord>> {
    const out = new Map<string, ExistingRecord>();
    for (const n of numbers) {
      const r = this.store.get(n);
      if (r) out.set(n, { id: r.id, number: n });
    }
    return out;
  }
  async write(_s: unknown, items: WriteItem[]): Promise<WriteOutcome[]> {
    return items.map((i): WriteOutcome => {
      const why = this.rejectIf(i.payload);
      if (why) return { key: i.key, status: 'rejected', error: { kind: 'vendor', action: 'reject_record', message: why, remote: { code: '11', detail: why } } };
      if (this.transientIf(i.payload)) return { key: i.key, status: 'retryable', error: { kind: 'vendor', action: 'retry', message: 'busy, try again' } };
      if (this.doubtIf(i.payload)) {
        const n = String(i.payload.FNumber);
        if (!this.store.has(n)) this.store.set(n, { id: String(this.store.size + 1), payload: i.payload });
        return { key: i.key, status: 'retryable', error: { kind: 'vendor', action: 'retry', message: 'audit failed; saved?', remote: { code: '12', detail: '提交审核失败' }, outcomeUnknown: true } };
      }
      const n = String(i.payload.FNumber);
      const existing = this.store.get(n);
      const id = existing?.id ?? String(this.store.size + 1);
      this.store.set(n, { id, payload: i.payload });
      return { key: i.key, status: 'saved', targetId: id, targetNumber: n, created: !existing };
    });
  }
}

export function compiledScheme(extra: Record<string, unknown> = {}, name = 'test'): CompiledScheme {
  const scheme = Scheme.parse({
    name,
    source: { api: 'x.query', id: 'id', number: 'no', pagination: { pageSize: 10 } },
    target: { api: 'batchSave', request: [{ field: 'FNumber', value: '{no}' }, { field: 'FName', value: '{name}' }] },
    retry: { initialDelayMs: 1, maxDelayMs: 2, maxAttempts: 2 },
    ...extra,
  });
  return {
    scheme,
    readSpec: { api: 'x.query', method: 'POST', params: {}, pageSize: 10 },
    writeSpec: { api: 'batchSave', method: 'POST', params: {}, numberField: 'FNumber' },
    map: (r) => (r.org === 'bad' ? { ok: false, errors: [{ path: 'FOrg', message: 'FOrg: no org' }] } : { ok: true, value: { FNumber: r.no, FName: r.name } }),
    checkQuality: async () => [],
    explode: (r, id) => [{ id, data: r }],
    numberField: 'FNumber',
  };
}

export const shops = (n: number, name = 'shop'): JsonObject[] => Array.from({ length: n }, (_, i) => ({ id: String(i + 1), no: `S${i + 1}`, name: `${name} ${i + 1}` }));

export function engineDeps(source: SourceSession, target: TargetSession, store: StateStore, extra: Partial<EngineDeps> = {}): EngineDeps {
  return { store, source, target, sourceLimiter: new Unlimited(), targetLimiter: new Unlimited(), ...extra };
}
