import { createHash } from 'node:crypto';
import type { Cursor, ReadSpec, SourcePage, SourceSession } from '../../core/contracts/platform.ts';
import { FerryFailure } from '../../core/errors.ts';
import type { JsonObject } from '../../core/records.ts';
import type { HttpClient } from './client.ts';
import { getPath } from './json-path.ts';
import { parseExtra } from './options.ts';
import { firstCursor, nextCursor, pagingRequest } from './paging.ts';
import { HttpReadOptions, type HttpWindowParams } from './read-options.ts';
import { addQuery, fillPath, paramsGoToQuery } from './request-parts.ts';
import { formatResolutionMs, formatTime } from './time-format.ts';

/**
 * Reads any JSON API by metadata: ReadSpec.api is the path template, ReadSpec.method the method,
 * ReadSpec.params the query (GET/DELETE) or JSON body (otherwise), ReadSpec.extra the HttpReadOptions.
 *
 * No-progress guard: a cursor handed back unchanged, or a next link to the same page, stops the run; a page
 * whose records are the same as the previous page's (same ids, or the same records when no idPath is set) is
 * fetched again and stops the run if it persists — such a server would otherwise be read forever, or the same
 * records delivered again and again. Pages repeated further back are caught by the engine (read-guard.ts).
 */
export function openHttpSource(client: HttpClient): SourceSession {
  return {
    first(spec: ReadSpec): Cursor {
      return firstCursor(options(spec).paging);
    },
    async fetchPage(spec: ReadSpec, cursor: Cursor, signal: AbortSignal): Promise<SourcePage> {
      const o = options(spec);
      const paging = pagingRequest(o.paging, cursor, spec.pageSize);
      const { path, rest } = fillPath(spec.api, spec.params);
      const fixed = { ...rest, ...windowParams(o.window, spec) };
      const toQuery = paramsGoToQuery(spec.method, o.paramsIn);
      let url: URL;
      let body: JsonObject | undefined;
      if (paging.url !== undefined) {
        url = client.resolve(paging.url);
        if (!toQuery) body = fixed;
      } else {
        url = client.resolve(path);
        const all = { ...fixed, ...paging.params };
        if (toQuery) addQuery(url, all);
        else body = all;
      }
      const label = pageLabel(o.paging.type, cursor, spec);
      const reply = await client.send({ api: spec.api, method: spec.method, url, body, headers: o.headers, direction: 'read', rules: o.errors, signal, page: label });
      const records = recordsOf(reply.json, reply.text, o.recordsPath ?? spec.listKey, o.missingRecords, client, spec);
      if (sendsPageSize(o.paging) && records.length > spec.pageSize)
        throw new FerryFailure({
          kind: 'bad_response',
          action: 'fail_run',
          message: `${client.ctx.connection}: ${spec.api} page ${label} holds ${records.length} records though ${spec.pageSize} were asked for; ferry refuses the page (the server ignored the page size, or source.extra.paging names the wrong size parameter)`,
        });
      const step = nextCursor(o.paging, cursor, reply, records.length, spec.pageSize);
      const seen = records.length > 0 ? fingerprint(records, o.idPath) : undefined;
      const repeated = step.stuck === undefined && seen !== undefined && seen === cursor.seen && step.next !== null;
      const stuck = step.stuck ?? (repeated ? 'the server returned the same records as for the previous page' : undefined);
      if (stuck !== undefined) {
        throw new FerryFailure({
          kind: 'no_progress',
          // A repeated page is retried, as on every platform (the engine's read guard does the same for pages
          // repeated further back): a one-off repeat heals, a persistent one fails the run after the retry policy.
          // A cursor or link handed back unchanged is the paging settings' fault: re-asking cannot help.
          action: repeated ? 'retry' : 'fail_run',
          message: `${client.ctx.connection}: reading ${spec.api} made no progress at page ${label}: ${stuck}; check source.extra.paging (parameter names, nextPath) against the API documentation`,
        });
      }
      const n = typeof cursor.n === 'number' ? cursor.n : 0;
      const next = step.next === null ? null : { ...step.next, n: n + 1, ...(seen !== undefined ? { seen } : {}) };
      return { records, next, label, ...(step.total !== undefined ? { totalCount: step.total } : {}) };
    },
    async close(): Promise<void> {
      client.close();
    },
  };
}

/** True when every request carries the page size (page and offset paging; cursor paging with sizeParam). Next links carry their own. */
function sendsPageSize(p: HttpReadOptions['paging']): boolean {
  return p.type === 'page' || p.type === 'offset' || (p.type === 'cursor' && p.sizeParam !== undefined);
}

function options(spec: ReadSpec): HttpReadOptions {
  return parseExtra(HttpReadOptions, spec.extra, 'source.extra');
}

function recordsOf(json: unknown, text: string, path: string | undefined, missing: 'error' | 'empty', client: HttpClient, spec: ReadSpec): JsonObject[] {
  const list = getPath(json, path);
  if (Array.isArray(list)) return list.map((r) => (r !== null && typeof r === 'object' && !Array.isArray(r) ? (r as JsonObject) : { value: r }));
  if ((list === undefined || list === null) && missing === 'empty' && json !== undefined) return [];
  if (json === undefined) {
    throw new FerryFailure({
      kind: 'bad_response',
      action: 'retry',
      message: client.redact(`${client.ctx.connection}: ${spec.api} answered with something that is not JSON (${text.trim() === '' ? 'an empty body' : `starts with: ${text.trim().slice(0, 120)}`}); ferry will retry — if it persists, check baseUrl and any proxy in between`),
    });
  }
  const keys = json !== null && typeof json === 'object' ? Object.keys(json).slice(0, 12).join(', ') : typeof json;
  throw new FerryFailure({
    kind: 'bad_response',
    action: 'fail_run',
    message: `${client.ctx.connection}: ${spec.api} answered without a record list at "${path ?? '(the whole body)'}" (the response has: ${keys}); set source.extra.recordsPath to the path of the list, or missingRecords to "empty" if the API omits empty lists`,
  });
}

function windowParams(w: HttpWindowParams | undefined, spec: ReadSpec): JsonObject {
  if (!w || !spec.window) return {};
  const out: JsonObject = { [w.startParam]: formatTime(spec.window.start, w.format, w.zone) };
  if (w.endParam !== undefined) {
    const end = new Date(spec.window.end.getTime() - (w.endInclusive ? formatResolutionMs(w.format) : 0));
    out[w.endParam] = formatTime(end, w.format, w.zone);
  }
  return out;
}

function pageLabel(type: string, c: Cursor, spec: ReadSpec): string {
  const n = typeof c.n === 'number' ? c.n : 0;
  const page = type === 'page' ? String(c.page) : type === 'offset' ? `offset ${String(c.offset)}` : String(n + 1);
  return spec.window ? `${spec.window.start.toISOString()}/page ${page}` : page;
}

function fingerprint(records: JsonObject[], idPath: string | undefined): string {
  const h = createHash('sha1');
  for (const r of records) h.update(JSON.stringify(idPath !== undefined ? getPath(r, idPath) : r) ?? 'null').update('\n');
  return h.digest('base64url');
}
