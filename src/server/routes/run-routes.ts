import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { RunRow } from '../../core/contracts/state-store.ts';
import type { ServerContext } from '../context.ts';
import { notFound } from '../http/errors.ts';
import { addRoute } from '../http/route.ts';
import { describeEvent } from '../runs/describe-event.ts';

const Id = z.object({ id: z.string().min(1).max(200) }).strict();
const Bool = z.enum(['true', 'false']).transform((v) => v === 'true');
const Limit = z.coerce.number().int().min(1).max(1000).default(200);
const Offset = z.coerce.number().int().min(0).default(0);

export function runView(r: RunRow, c: ServerContext) {
  const live = r.status === 'running' ? c.runs.live(r.id) : undefined;
  let report: unknown;
  try {
    report = r.report ? JSON.parse(r.report) : null;
  } catch {
    report = null;
  }
  return {
    id: r.id,
    scheme: r.scheme,
    status: r.status,
    trigger: r.trigger,
    startedAt: r.startedAt,
    endedAt: r.endedAt ?? null,
    durationMs: (r.endedAt ?? c.now()) - r.startedAt,
    counts: live?.counts ?? r.counts,
    reason: r.reason ?? null,
    live: !!live,
    totalEstimate: live?.totalEstimate ?? null,
    report,
  };
}

export function runRoutes(app: FastifyInstance, c: ServerContext): void {
  const tag = 'runs';
  addRoute(app, c.docs, {
    method: 'GET',
    url: '/api/runs',
    summary: 'Runs, newest first (live counts for runs in progress)',
    tag,
    query: z.object({ scheme: z.string().min(1).optional(), limit: Limit }).strict(),
    handler: async ({ query }) => (await c.state.listRuns({ ...(query.scheme ? { scheme: query.scheme } : {}), limit: query.limit })).map((r) => runView(r, c)),
  });
  addRoute(app, c.docs, { method: 'GET', url: '/api/runs/active', summary: 'Runs in progress in this server', tag, handler: () => c.runs.running() });
  addRoute(app, c.docs, {
    method: 'GET',
    url: '/api/runs/:id',
    summary: 'One run with its reconciliation report',
    tag,
    params: Id,
    async handler({ params }) {
      const r = await c.state.getRun(params.id);
      if (!r) throw notFound(`run ${params.id}`);
      return runView(r, c);
    },
  });
  addRoute(app, c.docs, {
    method: 'POST',
    url: '/api/runs/:id/cancel',
    summary: 'Cancel a run in progress (it stops after the batches in flight; the checkpoint keeps its place)',
    tag,
    params: Id,
    body: z.object({}).strict().default({}),
    handler: ({ params }) => {
      if (!c.runs.cancel(params.id)) throw notFound(`run ${params.id} in progress`);
      return { cancelled: true };
    },
  });
  addRoute(app, c.docs, {
    method: 'GET',
    url: '/api/runs/:id/events',
    summary: 'The run\'s event log (start, windows, page commits, retries, rejections, finish)',
    tag,
    params: Id,
    query: z.object({ type: z.string().optional(), level: z.enum(['info', 'warn', 'error']).optional(), search: z.string().max(200).optional(), limit: Limit, offset: Offset }).strict(),
    handler: ({ params, query }) => c.server.queryEvents({ runId: params.id, ...strip(query) }),
  });
  addRoute(app, c.docs, {
    method: 'GET',
    url: '/api/runs/:id/calls',
    summary: 'The run\'s vendor API calls',
    tag,
    params: Id,
    query: z.object({ ok: Bool.optional(), search: z.string().max(200).optional(), limit: Limit, offset: Offset }).strict(),
    handler: ({ params, query }) => c.server.queryApiCalls({ runId: params.id, ...strip(query) }),
  });
  addRoute(app, c.docs, {
    method: 'GET',
    url: '/api/runs/:id/quality',
    summary: 'Rejections of the run by rule/code and field',
    tag,
    params: Id,
    async handler({ params }) {
      const r = await c.state.getRun(params.id);
      if (!r) throw notFound(`run ${params.id}`);
      return c.server.qualitySummary({ scheme: r.scheme, runId: r.id });
    },
  });
  addRoute(app, c.docs, {
    method: 'GET',
    url: '/api/runs/:id/stream',
    summary: 'Live events of a run as Server-Sent Events (progress, page commits, rejections, finish)',
    tag,
    params: Id,
    produces: 'text/event-stream',
    async handler({ params, req, reply }) {
      const run = await c.state.getRun(params.id);
      if (!run) throw notFound(`run ${params.id}`);
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      const send = (type: string, data: unknown) => res.write(`event: ${type}\ndata: ${c.redact(JSON.stringify(data))}\n\n`);
      if (!c.runs.live(params.id)) {
        send('end', runView(run, c));
        res.end();
        return;
      }
      const off = c.runs.on((e) => {
        if (e.runId !== params.id || e.type === 'api.call') return;
        send(e.type, e.type === 'progress' ? { counts: e.counts, elapsedMs: e.elapsedMs } : { message: describeEvent(e).message });
        if (e.type === 'run.finished') {
          off();
          res.end();
        }
      });
      req.raw.on('close', off);
    },
  });
}

/** Drops undefined values (exactOptionalPropertyTypes-friendly spreading). */
function strip<T extends object>(o: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as { [K in keyof T]: Exclude<T[K], undefined> };
}
