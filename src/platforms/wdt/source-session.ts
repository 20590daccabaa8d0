import { WdtReadOptions } from './options.ts';
import type { Cursor, PlatformContext, ReadSpec, SourcePage, SourceSession } from '../../core/contracts/platform.ts';
import type { FerryError } from '../../core/errors.ts';
import type { WdtConnection } from './connection.ts';
import type { Where } from './error-table.ts';
import type { WdtCursor } from './paging.ts';
import { FerryFailure } from '../../core/errors.ts';
import { makeRedactor } from '../../core/redact.ts';
import { apiTraits, resolveApiName } from './api-names.ts';
import { errorForBadResponse } from './error-table.ts';
import { exchange } from './exchange.ts';
import { DEFAULT_MAX_RESPONSE_BYTES } from '../shared/answer-body.ts';
import {
  extractList, firstCursor, nextCursor, pageFingerprint, pageLabel, pageWhere, parseCursor,
} from './paging.ts';
import { buildRequest } from './request.ts';
import { RESERVED_KEYS, toWireParams } from './wire-params.ts';

/**
 * Reads any WDT list API page by page. Which API, which params and which list key come from the ReadSpec
 * (scheme metadata); this session only knows the transport, the paging convention and the error table.
 */
export function openWdtSource(conn: WdtConnection, ctx: PlatformContext): SourceSession {
  const redact = makeRedactor([conn.transport === 'openapi' ? conn.appsecret : conn.appSecret]);
  const timeoutMs = conn.timeoutMs ?? ctx.timeoutMs;
  const maxResponseBytes = conn.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const who = `WDT connection '${ctx.connection}'`;

  const refuse = (e: FerryError): never => {
    throw new FerryFailure({ ...e, message: redact(e.message) });
  };

  function names(spec: ReadSpec) {
    const n = resolveApiName(spec.api);
    if (!n)
      return refuse({
        kind: 'config',
        action: 'fail_run',
        message: `${who}: '${spec.api}' is not a WDT API name; write the Qimen method (wdt.shop.query) or the open API endpoint (shop.php) in the scheme's \`api\`.`,
      });
    return n;
  }

  /** The spec checked with WdtReadOptions, the schema `ferry validate` checks the scheme's source with. */
  function checkPageSize(spec: ReadSpec, api: string): void {
    const r = WdtReadOptions.safeParse(spec);
    if (!r.success)
      refuse({
        kind: 'config',
        action: 'fail_run',
        message: `${who} ${api}: ${r.error.issues.map((i) => `${i.path[0] === 'pageSize' ? `pagination.pageSize ${JSON.stringify(spec.pageSize)}` : i.path.join('.')}: ${i.message}`).join('; ')}; fix the scheme's source.`,
      });
  }

  return {
    first(spec: ReadSpec): Cursor {
      const n = names(spec);
      checkPageSize(spec, n.method);
      return { ...firstCursor(spec) };
    },

    async fetchPage(spec: ReadSpec, cursor: Cursor, signal: AbortSignal): Promise<SourcePage> {
      const n = names(spec);
      checkPageSize(spec, n.method);
      const c: WdtCursor | undefined = parseCursor(cursor);
      if (!c)
        return refuse({
          kind: 'cursor',
          action: 'fail_run',
          message: `${who} ${n.method}: the saved position ${JSON.stringify(cursor)} is not a WDT cursor ({page_no, …}); reset the scheme's checkpoint.`,
        });
      const label = pageLabel(c);
      if (c.empty) return { records: [], next: null, label };

      const where: Where = { prefix: `${who} ${n.method} ${pageWhere(c)}`, rateLimitRetryMs: conn.rateLimitRetryMs };
      const business = toWireParams(spec.params);
      for (const k of RESERVED_KEYS) delete business[k];
      business.page_no = String(c.page_no);
      business.page_size = String(spec.pageSize);
      if (c.start_time !== undefined && c.end_time !== undefined) {
        business.start_time = c.start_time;
        business.end_time = c.end_time;
      }

      const request = buildRequest(conn, n, business, ctx.now());
      const body = await exchange({ ctx, transport: conn.transport, api: n.method, request, where, signal, timeoutMs, redact, maxResponseBytes });

      const traits = apiTraits(n.method);
      const list = extractList(body, spec.listKey ? [spec.listKey] : traits.listKeys);
      const bad = (problem: string): never => refuse(errorForBadResponse(problem, where));
      if (!list.ok) return bad(list.problem);
      if (list.records.length > spec.pageSize)
        return bad(`the page holds ${list.records.length} records though page_size ${spec.pageSize} was asked for; ferry refuses the page rather than trust its paging`);

      const fingerprint = pageFingerprint(list.records, traits.idKey);
      if (list.records.length > 0 && c.prev_page === fingerprint)
        // Retryable: a one-off repeat heals on the re-fetch; a server that ignores page_no fails the run after
        // the retry policy, the same as the engine's guard against pages repeated further back (read-guard.ts).
        return refuse({
          kind: 'repeated_page',
          action: 'retry',
          message: `${where.prefix}: the page repeats the records of page ${c.page_no - 1} (the server ignored page_no); ferry asks again and stops if it persists, so no record is read twice`,
        });
      const next = nextCursor(c, list.records, list.totalCount, fingerprint, spec.pageSize);
      return {
        records: list.records,
        next: next ? { ...next } : null,
        label,
        ...(list.totalCount !== undefined ? { totalCount: list.totalCount } : {}),
      };
    },

    maxWindowMs(api: string): number | undefined {
      const n = resolveApiName(api);
      return n ? apiTraits(n.method).maxWindowMs : undefined;
    },
  };
}
