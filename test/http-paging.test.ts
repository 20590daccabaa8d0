import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiCallEvent, Cursor, PlatformContext, ReadSpec, SourceSession } from '../src/core/contracts/platform.ts';
import { startHttpEmulator, type HttpEmulator } from '../src/emulators/http/index.ts';
import { HttpConnection, httpProfile, type HttpReadOptionsInput } from '../src/platforms/http/index.ts';

/** Every paging style of the emulator, read to the end by driving fetchPage the way the engine does. */

let emu: HttpEmulator;
const events: ApiCallEvent[] = [];
const ctx = (): PlatformContext => ({ connection: 'emu', fetch, now: Date.now, timeoutMs: 10_000, onCall: (e) => events.push(e) });
const signal = new AbortController().signal;

beforeAll(async () => {
  emu = await startHttpEmulator({ collections: { orders: 10_000 }, maxPageSize: 1000 });
});
afterAll(() => emu.close());

function open(): SourceSession {
  return httpProfile.openSource!(HttpConnection.parse({ baseUrl: emu.url }), ctx());
}

function spec(api: string, extra: HttpReadOptionsInput, more: Partial<ReadSpec> = {}): ReadSpec {
  return { api, method: 'GET', params: {}, pageSize: 250, extra: extra as Record<string, unknown>, ...more };
}

/** Reads to the end; the cursor goes through JSON between pages, as a stored checkpoint would. */
async function readAll(s: SourceSession, sp: ReadSpec, from?: Cursor): Promise<{ ids: number[]; pages: number; labels: string[] }> {
  const ids: number[] = [];
  const labels: string[] = [];
  let cursor: Cursor = from ?? s.first(sp);
  let pages = 0;
  for (;;) {
    const page = await s.fetchPage(sp, cursor, signal);
    pages += 1;
    labels.push(page.label);
    ids.push(...page.records.map((r) => r.id as number));
    if (page.next === null) break;
    cursor = JSON.parse(JSON.stringify(page.next)) as Cursor;
    if (pages > 1000) throw new Error('runaway read');
  }
  return { ids, pages, labels };
}

function expectExactlyOnce(ids: number[], n: number): void {
  expect(ids.length).toBe(n);
  expect(new Set(ids).size).toBe(n);
  expect(Math.min(...ids)).toBe(1);
  expect(Math.max(...ids)).toBe(n);
}

async function callsDuring(fn: () => Promise<unknown>): Promise<number> {
  const before = emu.stats().calls;
  await fn();
  return emu.stats().calls - before;
}

describe('http source paging against the emulator (10,000 records)', () => {
  it('page numbers with a total field', async () => {
    const sp = spec('/pages/orders', { recordsPath: 'data.items', paging: { type: 'page', pageParam: 'page', sizeParam: 'page_size', startPage: 1, totalPath: 'data.total' } });
    let r!: Awaited<ReturnType<typeof readAll>>;
    const calls = await callsDuring(async () => (r = await readAll(open(), sp)));
    expectExactlyOnce(r.ids, 10_000);
    expect(r.pages).toBe(40);
    expect(calls).toBe(40);
    expect(r.labels.slice(0, 2)).toEqual(['1', '2']);
  });

  it('page numbers stopping on a short page, and on an empty page', async () => {
    const short = await readAll(open(), { ...spec('/pages/orders', { recordsPath: 'data.items', paging: { type: 'page' } }), pageSize: 300 });
    expectExactlyOnce(short.ids, 10_000);
    expect(short.pages).toBe(34);
    const empty = await readAll(open(), spec('/pages/orders', { recordsPath: 'data.items', paging: { type: 'page', stopOn: 'empty' } }));
    expectExactlyOnce(empty.ids, 10_000);
    expect(empty.pages).toBe(41);
  });

  it('page numbers with the total page count', async () => {
    const r = await readAll(open(), spec('/pages/orders', { recordsPath: 'data.items', paging: { type: 'page', totalPagesPath: 'data.pages', stopOn: 'empty' } }));
    expectExactlyOnce(r.ids, 10_000);
    expect(r.pages).toBe(40);
  });

  it('offset and limit', async () => {
    const r = await readAll(open(), spec('/offsets/orders', { recordsPath: 'items', paging: { type: 'offset', totalPath: 'total' } }));
    expectExactlyOnce(r.ids, 10_000);
    expect(r.pages).toBe(40);
    expect(r.labels[1]).toBe('offset 250');
  });

  it('offset and limit when the server caps the page size (stopOn empty)', async () => {
    const r = await readAll(open(), { ...spec('/offsets/orders', { recordsPath: 'items', paging: { type: 'offset', stopOn: 'empty' } }), pageSize: 1500 });
    expectExactlyOnce(r.ids, 10_000);
    expect(r.pages).toBe(11);
  });

  it('cursor from the body', async () => {
    const r = await readAll(open(), spec('/cursors/orders', { recordsPath: 'items', paging: { type: 'cursor', cursorParam: 'cursor', sizeParam: 'limit', nextPath: 'next_cursor' } }));
    expectExactlyOnce(r.ids, 10_000);
    expect(r.pages).toBe(40);
  });

  it('cursor from a header, with a has-more flag', async () => {
    const r = await readAll(open(), spec('/cursors/orders', { recordsPath: 'items', paging: { type: 'cursor', sizeParam: 'limit', nextHeader: 'X-Next-Cursor', hasMorePath: 'has_more' } }));
    expectExactlyOnce(r.ids, 10_000);
  });

  it('Link headers (rel="next")', async () => {
    const r = await readAll(open(), spec('/links/orders', { paging: { type: 'link', sizeParam: 'per_page' } }));
    expectExactlyOnce(r.ids, 10_000);
    expect(r.pages).toBe(40);
  });

  it('next URL in the body', async () => {
    const r = await readAll(open(), spec('/nexturl/orders', { recordsPath: 'results', paging: { type: 'next_url', nextPath: 'next', sizeParam: 'per_page' } }));
    expectExactlyOnce(r.ids, 10_000);
  });

  it('POST reads send parameters and paging in a JSON body', async () => {
    const sp = spec('/pages/orders', { recordsPath: 'data.items', paging: { type: 'page', totalPath: 'data.total' } }, { method: 'POST', params: { status: 'paid' } });
    const r = await readAll(open(), sp);
    const paid = emu.records('orders').filter((o) => o.status === 'paid').map((o) => o.id as number);
    expect(r.ids).toEqual(paid);
    expect(paid.length).toBeGreaterThan(3000);
  });

  it('resumes from a stored cursor in a new session without losing or repeating records', async () => {
    const sp = spec('/cursors/orders', { recordsPath: 'items', paging: { type: 'cursor', sizeParam: 'limit', nextPath: 'next_cursor' } });
    const s1 = open();
    let cursor = s1.first(sp);
    const ids: number[] = [];
    for (let i = 0; i < 7; i++) {
      const p = await s1.fetchPage(sp, cursor, signal);
      ids.push(...p.records.map((x) => x.id as number));
      cursor = JSON.parse(JSON.stringify(p.next)) as Cursor;
    }
    const rest = await readAll(open(), sp, cursor);
    expectExactlyOnce([...ids, ...rest.ids], 10_000);
  });

  it('incremental windows: start/end as yyyy-MM-dd HH:mm:ss in Beijing time select exactly the window', async () => {
    // Generated updated_at = 2026-11-01T00:00Z + (id-1) minutes; the emulator reads the pattern as UTC+8.
    const window = { start: new Date('2026-11-01T01:40:00Z'), end: new Date('2026-11-01T03:20:00Z') };
    const sp = spec(
      '/pages/orders',
      { recordsPath: 'data.items', paging: { type: 'page' }, window: { startParam: 'updated_from', endParam: 'updated_to', format: 'yyyy-MM-dd HH:mm:ss', zone: 'Asia/Shanghai' } },
      { window, pageSize: 30 },
    );
    const r = await readAll(open(), sp);
    expect(r.ids).toEqual(Array.from({ length: 100 }, (_, i) => 101 + i));
    expect(r.labels[0]).toBe('2026-11-01T01:40:00.000Z/page 1');
    const ev = events.filter((e) => e.endpoint === '/pages/orders').at(-1)!;
    expect(ev.ok).toBe(true);
    expect(ev.platform).toBe('http');
  });

  it('reports every call through onCall without the query string', async () => {
    const before = events.length;
    await readAll(open(), spec('/offsets/orders', { recordsPath: 'items', paging: { type: 'offset', totalPath: 'total' } }));
    const mine = events.slice(before);
    expect(mine).toHaveLength(40);
    expect(mine.every((e) => e.endpoint === '/offsets/orders' && e.status === 200 && e.api === '/offsets/orders' && (e.responseBytes ?? 0) > 0)).toBe(true);
  });
});
