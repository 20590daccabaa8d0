import { describe, expect, it } from 'vitest';
import type { Cursor, ReadSpec, SourcePage, SourceSession } from '../core/contracts/platform.ts';
import { FerryFailure } from '../core/errors.ts';
import { Unlimited } from '../core/policy/rate-limiter.ts';
import type { JsonObject } from '../core/records.ts';
import { hash53, IdentityTable } from './identity-table.ts';
import { readPages } from './read-source.ts';
import type { TotalMismatch } from './read-guard.ts';

const spec: ReadSpec = { api: 'demo.list', method: 'POST', params: {}, pageSize: 10 };
const clock = { now: () => 0, sleep: async () => {} };
const retry = { maxAttempts: 3, initialDelayMs: 0, maxDelayMs: 0, multiplier: 1, jitter: 0 };

/** A source whose page n is `pageOf(n)`; the read goes on while `pageOf` returns records. */
function source(pageOf: (n: number, call: number) => { ids: number[]; total?: number }): SourceSession & { calls: number } {
  const s = {
    calls: 0,
    first: (): Cursor => ({ n: 0 }),
    async fetchPage(_spec: ReadSpec, c: Cursor): Promise<SourcePage> {
      const n = Number(c.n);
      const p = pageOf(n, s.calls++);
      const records: JsonObject[] = p.ids.map((id) => ({ id, v: `r${id}` }));
      return { records, next: records.length ? { n: n + 1 } : null, label: String(n), ...(p.total !== undefined ? { totalCount: p.total } : {}) };
    },
  };
  return s;
}

async function drain(s: SourceSession, extra: { onTotalMismatch?: (m: TotalMismatch) => void; startCursor?: Cursor } = {}) {
  const ids: unknown[] = [];
  for await (const p of readPages(s, spec, { signal: new AbortController().signal, retry, limiter: new Unlimited(), clock, identity: (r) => r.id, ...extra })) ids.push(...p.records.map((r) => r.id));
  return ids;
}

const range = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);

describe('read guard', () => {
  it('pages that cycle (page k answers page k mod 2) fail after the retry policy, naming the API and page', async () => {
    const s = source((n) => ({ ids: range((n % 2) * 10, 10) }));
    const err = await drain(s).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FerryFailure);
    expect((err as FerryFailure).error).toMatchObject({ kind: 'repeated_page', action: 'fail_run' });
    expect((err as FerryFailure).message).toContain('reading demo.list page 2: every record of this page was already read earlier in this read');
    expect(s.calls).toBe(2 + retry.maxAttempts);
  });

  it('a page repeated once is fetched again and the read goes on: every record once', async () => {
    const s = source((n, call) => (n === 3 && call === 3 ? { ids: range(0, 10) } : n < 5 ? { ids: range(n * 10, 10) } : { ids: [] }));
    const ids = await drain(s);
    expect(ids).toEqual(range(0, 50));
  });

  it('a page with some records seen before and some new is not a repeat (records moved between pages)', async () => {
    const s = source((n) => (n === 0 ? { ids: range(0, 10) } : n === 1 ? { ids: [9, ...range(10, 9)] } : { ids: [] }));
    expect((await drain(s)).length).toBe(20);
  });

  it('a read far past the vendor total fails (fresh records for ever)', async () => {
    const s = source((n) => ({ ids: range(n * 10, 10), total: 30 }));
    const err = await drain(s).catch((e: unknown) => e);
    expect((err as FerryFailure).error).toMatchObject({ kind: 'read_unbounded', action: 'fail_run' });
    expect((err as FerryFailure).message).toContain('but the vendor said the source holds 30');
  });

  it('reports a total that disagrees with what was read, remembering it when later pages say 0 or nothing', async () => {
    const seen: TotalMismatch[] = [];
    const s = source((n) => (n < 4 ? { ids: range(n * 10, 10), ...(n === 0 ? { total: 25 } : n === 1 ? { total: 0 } : {}) } : { ids: [] }));
    await drain(s, { onTotalMismatch: (m) => seen.push(m) });
    expect(seen).toEqual([{ reported: 25, read: 40, pages: 5 }]);
  });

  it('says nothing when the total agrees, or when the read did not start at the first page', async () => {
    const seen: TotalMismatch[] = [];
    await drain(source((n) => (n < 3 ? { ids: range(n * 10, 10), total: 30 } : { ids: [] })), { onTotalMismatch: (m) => seen.push(m) });
    await drain(source((n) => (n < 3 ? { ids: range(n * 10, 10), total: 30 } : { ids: [] })), { startCursor: { n: 1 }, onTotalMismatch: (m) => seen.push(m) });
    expect(seen).toEqual([]);
  });
});

describe('IdentityTable', () => {
  it('stores and finds hashed keys, grows, and refuses to grow past its bound', () => {
    const t = new IdentityTable(16, 64);
    for (let i = 0; i < 44; i++) expect(t.add(hash53(`id-${i}`), i)).toBe('added'); // 64 slots at a load of 0.7
    expect(t.add(hash53('id-3'))).toBe('present');
    expect(t.get(hash53('id-7'))).toBe(7);
    expect(t.has(hash53('id-99'))).toBe(false);
    expect(t.add(hash53('id-44'))).toBe('full');
    t.clear();
    expect(t.size).toBe(0);
    expect(t.has(hash53('id-3'))).toBe(false);
  });

  it('hash53 spreads similar strings', () => {
    const hs = new Set(range(0, 100_000).map((i) => hash53(String(i))));
    expect(hs.size).toBe(100_000);
  });
});

describe('read guard: a total of 0', () => {
  it('is taken as "not counted": no warning when records come', async () => {
    const seen: TotalMismatch[] = [];
    await drain(source((n) => (n < 2 ? { ids: range(n * 10, 10), total: 0 } : { ids: [] })), { onTotalMismatch: (m) => seen.push(m) });
    expect(seen).toEqual([]);
  });
});
