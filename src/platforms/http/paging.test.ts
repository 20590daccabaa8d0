import { describe, expect, it } from 'vitest';
import { getPath, parsePath, setPath } from './json-path.ts';
import { linkTarget } from './link-header.ts';
import { nextCursor } from './paging.ts';
import { HttpPaging } from './read-options.ts';
import type { Reply } from './client.ts';

const reply = (json: unknown, headers: Record<string, string> = {}): Reply => ({ status: 200, headers: new Headers(headers), text: '', json, url: new URL('https://api.example/v1/x?page=1') });

describe('json paths', () => {
  it('reads and writes dotted paths with indexes', () => {
    expect(parsePath('$.data.items[0].id')).toEqual(['data', 'items', 0, 'id']);
    expect(getPath({ a: [{ b: 1 }] }, 'a[0].b')).toBe(1);
    expect(getPath({ a: 1 }, 'a.b.c')).toBeUndefined();
    expect(getPath([1], '')).toEqual([1]);
    expect(setPath({ x: 1 }, 'data.rows', [1])).toEqual({ x: 1, data: { rows: [1] } });
  });
});

describe('link headers', () => {
  const base = new URL('https://api.example/v1/x?page=1');
  it('finds rel="next" among several links and resolves relative targets', () => {
    expect(linkTarget('<https://api.example/v1/x?page=2>; rel="next", <https://api.example/v1/x?page=9>; rel="last"', 'next', base)?.toString()).toBe('https://api.example/v1/x?page=2');
    expect(linkTarget('</v1/x?page=9>; rel="last", </v1/x?page=3>; title="n, p"; rel="prev next"', 'next', base)?.toString()).toBe('https://api.example/v1/x?page=3');
    expect(linkTarget('<https://api.example/v1/x?page=9>; rel=last', 'next', base)).toBeUndefined();
    expect(linkTarget(null, 'next', base)).toBeUndefined();
  });
});

describe('stop conditions', () => {
  const page = HttpPaging.parse({ type: 'page', hasMorePath: 'more' });
  it('a has-more flag decides even when the page is short', () => {
    expect(nextCursor(page, { page: 1, count: 0 }, reply({ more: true }), 3, 10).next).toEqual({ page: 2, count: 3 });
    expect(nextCursor(page, { page: 1, count: 0 }, reply({ more: false }), 10, 10).next).toBeNull();
    expect(nextCursor(page, { page: 1, count: 0 }, reply({ more: true }), 0, 10).next).toBeNull();
  });

  it('a total count stops exactly at the total', () => {
    const p = HttpPaging.parse({ type: 'offset', totalPath: 'total' });
    expect(nextCursor(p, { offset: 0 }, reply({ total: 25 }), 10, 10)).toEqual({ next: { offset: 10 }, total: 25 });
    expect(nextCursor(p, { offset: 20 }, reply({ total: 25 }), 5, 10).next).toBeNull();
  });

  it('cursor paging: an empty or missing token ends the read', () => {
    const p = HttpPaging.parse({ type: 'cursor', nextPath: 'meta.next' });
    expect(nextCursor(p, {}, reply({ meta: { next: '' } }), 10, 10).next).toBeNull();
    expect(nextCursor(p, {}, reply({ meta: {} }), 10, 10).next).toBeNull();
    expect(nextCursor(p, { token: 'a' }, reply({ meta: { next: 'b' } }), 10, 10).next).toEqual({ token: 'b' });
    expect(HttpPaging.safeParse({ type: 'cursor' }).success).toBe(false);
  });
});
