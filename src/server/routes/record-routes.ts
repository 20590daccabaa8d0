import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { LedgerRow } from '../../core/contracts/state-store.ts';
import type { JsonObject } from '../../core/records.ts';
import type { ServerContext } from '../context.ts';
import { badRequest, notFound } from '../http/errors.ts';
import { addRoute } from '../http/route.ts';
import { previewRecords } from '../schemes/preview.ts';

const Key = z.object({ scheme: z.string().min(1).max(200), sourceId: z.string().min(1).max(500) }).strict();
const SchemeParam = z.object({ scheme: z.string().min(1).max(200) }).strict();
const Data = z.record(z.string(), z.unknown());

const parse = (s: string | null | undefined): unknown => {
  if (s == null) return null;
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
};

/** A ledger row for lists: no payloads. */
function brief(r: LedgerRow) {
  return {
    sourceId: r.sourceId,
    sourceNumber: r.sourceNumber ?? null,
    status: r.status,
    detail: r.detail ?? null,
    targetId: r.targetId ?? null,
    targetNumber: r.targetNumber ?? null,
    runId: r.runId,
    updatedAt: r.updatedAt,
    message: r.message ?? null,
    errorCode: r.errorCode ?? null,
    errorField: r.errorField ?? null,
  };
}

export function recordRoutes(app: FastifyInstance, c: ServerContext): void {
  const tag = 'records';
  const red = <T>(v: T): T => JSON.parse(c.redact(JSON.stringify(v))) as T;

  async function row(scheme: string, sourceId: string): Promise<LedgerRow> {
    const r = (await c.state.getLedger(scheme, [sourceId])).get(sourceId);
    if (!r) throw notFound(`record ${sourceId} of scheme "${scheme}"`);
    return r;
  }

  addRoute(app, c.docs, {
    method: 'GET',
    url: '/api/records',
    summary: 'The record ledger of a scheme, searchable by source id or number (or target number)',
    tag,
    query: z
      .object({
        scheme: z.string().min(1).max(200),
        status: z.enum(['written', 'skipped', 'rejected', 'failed']).optional(),
        search: z.string().min(1).max(200).optional(),
        runId: z.string().min(1).max(200).optional(),
        limit: z.coerce.number().int().min(1).max(500).default(50),
        offset: z.coerce.number().int().min(0).default(0),
      })
      .strict(),
    async handler({ query }) {
      const rows = await c.state.queryLedger({
        scheme: query.scheme,
        limit: query.limit,
        offset: query.offset,
        ...(query.status ? { status: query.status } : {}),
        ...(query.search ? { search: query.search } : {}),
        ...(query.runId ? { runId: query.runId } : {}),
      });
      return { rows: red(rows.map(brief)), totals: await c.state.countLedger(query.scheme) };
    },
  });
  addRoute(app, c.docs, {
    method: 'GET',
    url: '/api/records/:scheme/:sourceId',
    summary: 'One record: ledger state and lineage (source payload → mapped payload → target response)',
    tag,
    params: Key,
    async handler({ params }) {
      const r = await row(params.scheme, params.sourceId);
      const l = await c.server.getLineage(params.scheme, params.sourceId);
      return red({
        ...brief(r),
        payloadHash: r.payloadHash ?? null,
        sourceRef: r.sourceRef ?? null,
        lineage: {
          runId: l?.runId ?? r.runId,
          source: parse(r.sourceData ?? l?.sourceData),
          payload: parse(r.payload ?? l?.payload),
          response: parse(r.response ?? l?.response),
          targetId: r.targetId ?? l?.targetId ?? null,
        },
        editable: r.status === 'rejected' || r.status === 'failed',
      });
    },
  });
  addRoute(app, c.docs, {
    method: 'POST',
    url: '/api/records/:scheme/:sourceId/remap',
    summary: 'Map the stored source record (or the given edited one) with the scheme as it is now; writes nothing',
    tag,
    access: 'viewer',
    params: Key,
    body: z.object({ data: Data.optional() }).strict().default({}),
    async handler({ params, body }) {
      const r = await row(params.scheme, params.sourceId);
      const l = await c.server.getLineage(params.scheme, params.sourceId);
      const data = (body?.data ?? parse(r.sourceData ?? l?.sourceData)) as JsonObject | null;
      if (!data || typeof data !== 'object') throw badRequest(`no source record is stored for ${params.sourceId}`);
      const { compiled } = await c.schemes.load(params.scheme);
      return red(await previewRecords(compiled, [data]));
    },
  });
  addRoute(app, c.docs, {
    method: 'PUT',
    url: '/api/records/:scheme/:sourceId/source',
    summary: 'Edit the stored source record of a rejected or failed record (then replay it)',
    tag,
    params: Key,
    body: z.object({ data: Data }).strict(),
    async handler({ params, body, user }) {
      const r = await row(params.scheme, params.sourceId);
      if (r.status !== 'rejected' && r.status !== 'failed') throw badRequest(`record ${params.sourceId} is ${r.status}; only rejected or failed records can be edited`);
      // Through the state store, so it edits the ledger the runs use (SQLite, or PostgreSQL when scaled out).
      await c.state.commitPage([{ ...r, sourceData: JSON.stringify(body.data), updatedAt: c.now() }], null);
      await c.server.appendEvents([
        { runId: r.runId, scheme: params.scheme, at: c.now(), type: 'record.edited', level: 'info', message: `record ${r.sourceNumber ?? params.sourceId} edited by ${user?.username ?? '?'}`, data: JSON.stringify({ sourceId: params.sourceId }) },
      ]);
      return { ok: true };
    },
  });
  addRoute(app, c.docs, {
    method: 'POST',
    url: '/api/records/:scheme/replay',
    summary: 'Re-map and re-send rejected (and failed) records: the given ids, or all with {"all": true}',
    tag,
    outbound: 'writes the target (and may read the source) with the stored credentials',
    params: SchemeParam,
    body: z
      .object({ ids: z.array(z.string().min(1).max(500)).min(1).max(10_000).optional(), all: z.boolean().optional() })
      .strict()
      .refine((b) => (b.ids !== undefined) !== (b.all === true), { message: 'give either "ids" or "all": true' }),
    async handler({ params, body, reply }) {
      const r = await c.runs.replay(params.scheme, body.ids);
      reply.code(202);
      return { runId: r.runId };
    },
  });
}
