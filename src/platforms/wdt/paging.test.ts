import { describe, expect, it } from 'vitest';
import { extractList, firstCursor, nextCursor, pageFingerprint, parseCursor, windowParams } from './paging.ts';

describe('WDT paging', () => {
  it('sends exactly the whole seconds of a half-open window, in Beijing time', () => {
    const w = windowParams({ start: new Date('2024-12-31T16:00:00Z'), end: new Date('2024-12-31T17:00:00Z') });
    expect(w).toEqual({ start_time: '2025-01-01 00:00:00', end_time: '2025-01-01 00:59:59', empty: false });
    const odd = windowParams({ start: new Date('2024-12-31T16:00:00.500Z'), end: new Date('2024-12-31T16:00:10.200Z') });
    expect(odd).toMatchObject({ start_time: '2025-01-01 00:00:01', end_time: '2025-01-01 00:00:10' });
    expect(windowParams({ start: new Date('2024-12-31T16:00:00.100Z'), end: new Date('2024-12-31T16:00:00.900Z') }).empty).toBe(true);
  });

  it('first cursor: page 0, plus the window when there is one', () => {
    expect(firstCursor({ api: 'wdt.shop.query', method: 'POST', params: {}, pageSize: 100 })).toEqual({ page_no: 0 });
    expect(
      firstCursor({
        api: 'wdt.trade.query', method: 'POST', params: {}, pageSize: 100,
        window: { start: new Date('2024-12-31T16:00:00Z'), end: new Date('2024-12-31T17:00:00Z') },
      }),
    ).toEqual({ page_no: 0, start_time: '2025-01-01 00:00:00', end_time: '2025-01-01 00:59:59' });
  });

  it('parses cursors back (numbers as text too) and refuses foreign ones', () => {
    expect(parseCursor({ page_no: '3', prev_page: 'ab' })).toEqual({ page_no: 3, prev_page: 'ab' });
    expect(parseCursor({ page_no: 3, read: 250, total: '300' })).toEqual({ page_no: 3, read: 250, total: 300 });
    expect(parseCursor({ page_no: 3, read: -1 })).toBeUndefined();
    expect(parseCursor({ page: 3 })).toBeUndefined();
    expect(parseCursor({ page_no: -1 })).toBeUndefined();
    expect(parseCursor({ page_no: 1, start_time: 5 })).toBeUndefined();
  });

  it('an empty page ends the read; a short one does not unless the total is reached', () => {
    const full = Array.from({ length: 10 }, (_, i) => ({ id: i }));
    expect(nextCursor({ page_no: 0 }, full, undefined, 'f', 10)).toEqual({ page_no: 1, read: 10, prev_page: 'f' });
    expect(nextCursor({ page_no: 4, read: 40 }, [], undefined, 'f', 10)).toBeNull();
    // no total: a short page may be a capped one, so read on until an empty page
    expect(nextCursor({ page_no: 0 }, full.slice(3), undefined, 'f', 10)).toEqual({ page_no: 1, read: 7, cap: 7, prev_page: 'f' });
    // total reached exactly on a short page: done
    expect(nextCursor({ page_no: 2, read: 20 }, full.slice(5), 25, 'f', 10)).toBeNull();
    // total reached exactly on a full page: one more page confirms it (a total smaller than the truth can fall on a
    // page boundary); that page, empty, ends the read
    expect(nextCursor({ page_no: 1, read: 10 }, full, 20, 'f', 10)).toEqual({ page_no: 2, read: 20, total: 20, prev_page: 'f' });
    expect(nextCursor({ page_no: 2, read: 20, total: 20 }, [], 20, 'f', 10)).toBeNull();
    // short page below the total: the server capped the page size (remembered as the cap)
    expect(nextCursor({ page_no: 0 }, full.slice(5), 20, 'f', 10)).toEqual({ page_no: 1, read: 5, total: 20, cap: 5, prev_page: 'f' });
    // under that cap, a page of 5 that reaches the total is full: confirmed by one more page; a page of 3 is the end
    expect(nextCursor({ page_no: 3, read: 15, total: 20, cap: 5 }, full.slice(5), 20, 'f', 10)).toMatchObject({ page_no: 4, read: 20, cap: 5 });
    expect(nextCursor({ page_no: 3, read: 17, total: 20, cap: 5 }, full.slice(7), 20, 'f', 10)).toBeNull();
    expect(nextCursor({ page_no: 1, read: 10 }, full, 21, 'f', 10)).toMatchObject({ page_no: 2, read: 20, total: 21 });
    expect(nextCursor({ page_no: 0, start_time: 'a', end_time: 'b' }, full, undefined, 'f', 10)).toEqual({
      page_no: 1, start_time: 'a', end_time: 'b', read: 10, prev_page: 'f',
    });
  });

  it('remembers the total when later pages omit it or say 0; a total already passed no longer ends the read', () => {
    const full = Array.from({ length: 10 }, (_, i) => ({ id: i }));
    expect(nextCursor({ page_no: 1, read: 10, total: 30 }, full, undefined, 'f', 10)).toMatchObject({ page_no: 2, read: 20, total: 30 });
    expect(nextCursor({ page_no: 1, read: 10, total: 30 }, full, 0, 'f', 10)).toMatchObject({ total: 30 });
    // (10 of 11 asked: a short page that reaches the remembered total ends the read)
    expect(nextCursor({ page_no: 2, read: 20, total: 30 }, full, 0, 'f', 11)).toBeNull();
    // the vendor said 15 but 20 were read: only an empty page ends it now
    expect(nextCursor({ page_no: 1, read: 10, total: 15 }, full, 15, 'f', 10)).toMatchObject({ page_no: 2, read: 20 });
    // a partition that starts mid-read does not know how many came before: only an empty page ends it
    expect(nextCursor({ page_no: 5 }, full, 60, 'f', 10)).toEqual({ page_no: 6, total: 60, prev_page: 'f' });
  });

  it('extracts the list, coercing total_count, and explains what is wrong', () => {
    expect(extractList({ code: 0, total_count: '2', shoplist: [{ a: 1 }, { a: 2 }] }, ['shoplist'])).toEqual({
      ok: true, records: [{ a: 1 }, { a: 2 }], totalCount: 2,
    });
    expect(extractList({ code: 0, total_count: 0 }, ['shoplist'])).toEqual({ ok: true, records: [], totalCount: 0 });
    const missing = extractList({ code: 0, total_count: 5 }, ['shoplist']);
    expect(missing.ok === false && missing.problem).toContain('`shoplist`');
    const wrong = extractList({ code: 0, shoplist: 'oops' }, ['shoplist']);
    expect(wrong.ok === false && wrong.problem).toContain('`shoplist` is string, not a list');
    const item = extractList({ code: 0, shoplist: [{}, 3] }, ['shoplist']);
    expect(item.ok === false && item.problem).toContain('`shoplist`[1] is number');
    const total = extractList({ code: 0, total_count: 'many', shoplist: [] }, ['shoplist']);
    expect(total.ok === false && total.problem).toContain('total_count');
    expect(extractList({ code: 0, refunds: [{ x: 1 }] }, [])).toMatchObject({ ok: true, records: [{ x: 1 }] });
    const several = extractList({ code: 0, a: [], b: [] }, []);
    expect(several.ok === false && several.problem).toContain('listKey');
  });

  it('fingerprints pages by id when every record has one', () => {
    const a = pageFingerprint([{ shop_id: 1, n: 'x' }], 'shop_id');
    expect(pageFingerprint([{ shop_id: 1, n: 'changed' }], 'shop_id')).toBe(a);
    expect(pageFingerprint([{ shop_id: 2, n: 'x' }], 'shop_id')).not.toBe(a);
    expect(pageFingerprint([{ n: 'x' }], 'shop_id')).not.toBe(pageFingerprint([{ n: 'y' }], 'shop_id'));
  });
});
