import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ServerContext } from '../context.ts';
import { addRoute } from '../http/route.ts';
import { apiAssets } from '../insights/api-assets.ts';
import { runView } from './run-routes.ts';

const Hours = z.coerce.number().int().min(1).max(24 * 90).default(24);
const Limit = z.coerce.number().int().min(1).max(1000).default(200);
const Offset = z.coerce.number().int().min(0).default(0);
const Bool = z.enum(['true', 'false']).transform((v) => v === 'true');

const defined = <T extends object>(o: T) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as { [K in keyof T]: Exclude<T[K], undefined> };

/** Dashboard, API assets, logs and data quality. */
export function insightRoutes(app: FastifyInstance, c: ServerContext): void {
  addRoute(app, c.docs, {
    method: 'GET',
    url: '/api/dashboard',
    summary: 'Throughput and failures over time, runs in progress, recent runs and totals',
    tag: 'dashboard',
    query: z.object({ hours: Hours }).strict(),
    async handler({ query }) {
      const now = c.now();
      const bucketMs = query.hours <= 48 ? 3600_000 : 86_400_000;
      const since = Math.floor((now - query.hours * 3600_000) / bucketMs) * bucketMs;
      const [throughput, stats, recent, schemes, connections] = await Promise.all([
        c.server.throughput({ since, bucketMs }),
        c.server.queryApiStats({ since }),
        c.state.listRuns({ limit: 10 }),
        c.schemes.list(),
        c.connections.list(),
      ]);
      const api = new Map<number, { bucketStart: number; calls: number; errors: number }>();
      for (const s of stats) {
        const b = Math.floor(s.bucketStart / bucketMs) * bucketMs;
        const x = api.get(b) ?? { bucketStart: b, calls: 0, errors: 0 };
        x.calls += s.calls;
        x.errors += s.errors;
        api.set(b, x);
      }
      let openRejected = 0;
      for (const s of schemes) openRejected += (await c.state.countLedger(s.name)).rejected;
      const sum = (k: 'read' | 'written' | 'rejected' | 'failed' | 'runs' | 'failedRuns') => throughput.reduce((a, b) => a + b[k], 0);
      return {
        since,
        until: now,
        bucketMs,
        throughput,
        api: [...api.values()].sort((a, b) => a.bucketStart - b.bucketStart),
        running: c.runs.running(),
        recentRuns: recent.map((r) => runView(r, c)),
        totals: {
          schemes: schemes.length,
          enabledSchemes: schemes.filter((s) => s.enabled).length,
          connections: connections.length,
          runs: sum('runs'),
          failedRuns: sum('failedRuns'),
          read: sum('read'),
          written: sum('written'),
          rejected: sum('rejected'),
          failed: sum('failed'),
          openRejected,
        },
      };
    },
  });
  addRoute(app, c.docs, {
    method: 'GET',
    url: '/api/apis',
    summary: 'API assets: every API schemes use, with calls, errors, latency p50/p95 per API and per connection',
    tag: 'apis',
    query: z.object({ hours: Hours, connection: z.string().min(1).optional() }).strict(),
    async handler({ query }) {
      const since = c.now() - query.hours * 3600_000;
      const conns = await c.connections.list();
      const platform = new Map(conns.map((x) => [x.name, x.platform]));
      const r = apiAssets(await c.server.queryApiStats({ since, ...(query.connection ? { connection: query.connection } : {}) }), await c.schemes.list(), (n) => platform.get(n));
      return { since, ...r };
    },
  });
  addRoute(app, c.docs, {
    method: 'GET',
    url: '/api/logs/events',
    summary: 'Run events of every run, searchable',
    tag: 'logs',
    query: z
      .object({ scheme: z.string().optional(), runId: z.string().optional(), type: z.string().optional(), level: z.enum(['info', 'warn', 'error']).optional(), search: z.string().max(200).optional(), limit: Limit, offset: Offset })
      .strict(),
    handler: ({ query }) => c.server.queryEvents(defined(query)),
  });
  addRoute(app, c.docs, {
    method: 'GET',
    url: '/api/logs/calls',
    summary: 'Vendor API calls of every run, searchable (failed calls are always kept)',
    tag: 'logs',
    query: z
      .object({ runId: z.string().optional(), connection: z.string().optional(), api: z.string().optional(), ok: Bool.optional(), search: z.string().max(200).optional(), limit: Limit, offset: Offset })
      .strict(),
    handler: ({ query }) => c.server.queryApiCalls(defined(query)),
  });
  addRoute(app, c.docs, {
    method: 'GET',
    url: '/api/schemes/:name/quality',
    summary: 'Data quality of a scheme: rejections by rule/code and field over a period, per recent run, and open now',
    tag: 'quality',
    params: z.object({ name: z.string().min(1).max(200) }).strict(),
    query: z.object({ days: z.coerce.number().int().min(1).max(365).default(30) }).strict(),
    async handler({ params, query }) {
      await c.schemes.get(params.name);
      const since = c.now() - query.days * 86_400_000;
      const runs = await c.state.listRuns({ scheme: params.name, limit: 10 });
      return {
        since,
        summary: await c.server.qualitySummary({ scheme: params.name, since }),
        byRun: await Promise.all(runs.map(async (r) => ({ runId: r.id, startedAt: r.startedAt, status: r.status, read: r.counts.read, rejected: r.counts.rejected, rows: await c.server.qualitySummary({ scheme: params.name, runId: r.id }) }))),
        ledger: await c.state.countLedger(params.name),
      };
    },
  });
}
