import type { Cursor } from '../../core/contracts/platform.ts';
import { getPath, scalarText } from './json-path.ts';
import { linkTarget } from './link-header.ts';
import type { HttpPaging } from './read-options.ts';
import type { Reply } from './client.ts';

/**
 * Paging strategies as pure functions over a JSON cursor, so a read resumes from any checkpoint:
 * - page:    { page, count }          count = records read so far (for totals)
 * - offset:  { offset }
 * - cursor:  { token? }               no token = first page
 * - link / next_url: { url? }         no url = first page
 * Every cursor may also hold `seen` (fingerprint of the previous page, for the no-progress guard).
 */

export interface PagingRequest {
  /** Paging parameters to merge into the request's parameters. */
  params: Record<string, unknown>;
  /** For link/next_url after the first page: the URL to call as it is. */
  url?: string;
}

export function firstCursor(p: HttpPaging): Cursor {
  switch (p.type) {
    case 'page':
      return { page: p.startPage, count: 0 };
    case 'offset':
      return { offset: p.startOffset };
    default:
      return {};
  }
}

export function pagingRequest(p: HttpPaging, c: Cursor, pageSize: number): PagingRequest {
  switch (p.type) {
    case 'page':
      return { params: { [p.pageParam]: num(c.page, p.startPage), [p.sizeParam]: pageSize } };
    case 'offset':
      return { params: { [p.offsetParam]: num(c.offset, p.startOffset), [p.limitParam]: pageSize } };
    case 'cursor': {
      const params: Record<string, unknown> = p.sizeParam ? { [p.sizeParam]: pageSize } : {};
      if (typeof c.token === 'string') params[p.cursorParam] = c.token;
      return { params };
    }
    case 'link':
    case 'next_url':
      if (typeof c.url === 'string') return { params: {}, url: c.url };
      return { params: p.sizeParam ? { [p.sizeParam]: pageSize } : {} };
    case 'none':
      return { params: {} };
  }
}

export interface PagingStep {
  /** Cursor of the next page (without `seen`), or null when the read is complete. */
  next: Cursor | null;
  total?: number;
  /** Set when the server handed back the position it was just asked for. */
  stuck?: string;
}

function num(v: unknown, fallback: number): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : fallback;
}

function falsy(v: unknown): boolean {
  return v === false || v === 0 || v === 'false' || v === '0' || v === null;
}

function numberAt(json: unknown, path: string | undefined): number | undefined {
  if (path === undefined) return undefined;
  const n = Number(getPath(json, path));
  return Number.isFinite(n) ? n : undefined;
}

export function nextCursor(p: HttpPaging, c: Cursor, reply: Reply, count: number, pageSize: number): PagingStep {
  const json = reply.json;
  switch (p.type) {
    case 'page': {
      const page = num(c.page, p.startPage);
      const read = num(c.count, 0) + count;
      const total = numberAt(json, p.totalPath);
      const more = moreByStop(p, json, count, pageSize, read, total);
      const pages = numberAt(json, p.totalPagesPath);
      const done = !more || (pages !== undefined && page - p.startPage + 1 >= pages);
      return { next: done ? null : { page: page + 1, count: read }, ...(total !== undefined ? { total } : {}) };
    }
    case 'offset': {
      const offset = num(c.offset, p.startOffset);
      const total = numberAt(json, p.totalPath);
      const more = moreByStop(p, json, count, pageSize, offset - p.startOffset + count, total);
      return { next: more ? { offset: offset + count } : null, ...(total !== undefined ? { total } : {}) };
    }
    case 'cursor': {
      const token = p.nextHeader !== undefined ? (reply.headers.get(p.nextHeader) ?? undefined) : scalarText(getPath(json, p.nextPath));
      if (token === undefined || token === '') return { next: null };
      if (p.hasMorePath !== undefined && falsy(getPath(json, p.hasMorePath))) return { next: null };
      if (token === c.token) return { next: null, stuck: `the server returned the same cursor "${token.slice(0, 60)}" it was given` };
      return { next: { token } };
    }
    case 'link':
    case 'next_url': {
      const target = p.type === 'link' ? linkTarget(reply.headers.get('link'), p.rel, reply.url) : urlFromBody(getPath(json, p.nextPath), reply.url);
      if (!target) return { next: null };
      const url = target.toString();
      if (url === reply.url.toString() || url === c.url) return { next: null, stuck: `the next link points at the page just read (${target.pathname}${target.search.length > 0 ? '?…' : ''})` };
      return { next: { url } };
    }
    case 'none':
      return { next: null };
  }
}

function urlFromBody(v: unknown, base: URL): URL | undefined {
  const s = scalarText(v);
  if (s === undefined) return undefined;
  return new URL(s, base);
}

function moreByStop(
  p: { hasMorePath?: string; totalPath?: string; stopOn: 'short' | 'empty' },
  json: unknown,
  count: number,
  pageSize: number,
  read: number,
  total: number | undefined,
): boolean {
  if (count === 0) return false;
  if (p.hasMorePath !== undefined) return !falsy(getPath(json, p.hasMorePath)) && getPath(json, p.hasMorePath) !== undefined;
  if (total !== undefined) return read < total;
  return p.stopOn === 'empty' ? true : count >= pageSize;
}
