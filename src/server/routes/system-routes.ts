import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ServerContext } from '../context.ts';
import { readiness } from '../health.ts';
import { docsPage, openApiDocument } from '../http/openapi.ts';
import { addRoute } from '../http/route.ts';

const VERSION = '0.1.0';
/** The API page is static HTML with one inline style block: no script at all, nothing framed or posted. */
export const DOCS_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** Health probes (public), Prometheus metrics and the API document (login needed). */
export function systemRoutes(app: FastifyInstance, c: ServerContext): void {
  const live = () => ({ ok: true });
  const ready = async ({ reply }: { reply: { code(n: number): unknown } }) => {
    const r = await readiness(c.health ?? []);
    if (!r.ok) reply.code(503);
    return { ...r, checks: Object.fromEntries(Object.entries(r.checks).map(([k, v]) => [k, c.redact(v)])), running: c.runs.running().length };
  };
  addRoute(app, c.docs, { method: 'GET', url: '/health/live', summary: 'Liveness probe: the process answers (no store is asked)', tag: 'system', access: 'public', handler: live });
  addRoute(app, c.docs, {
    method: 'GET',
    url: '/health/ready',
    summary: 'Readiness probe: the SQLite database answers, and when scaled out PostgreSQL and Redis; 503 naming the failed ones otherwise',
    tag: 'system',
    access: 'public',
    handler: ready,
  });
  addRoute(app, c.docs, { method: 'GET', url: '/healthz', summary: 'Liveness (the same as /health/live)', tag: 'system', access: 'public', handler: live });
  addRoute(app, c.docs, { method: 'GET', url: '/readyz', summary: 'Readiness (the same as /health/ready)', tag: 'system', access: 'public', handler: ready });
  addRoute(app, c.docs, {
    method: 'GET',
    url: '/metrics',
    summary: 'Prometheus metrics (records, API latency per platform and API, run durations and outcomes)',
    tag: 'system',
    produces: 'text/plain',
    async handler({ reply }) {
      reply.header('content-type', c.metrics.contentType);
      return c.redact(await c.metrics.text());
    },
  });
  addRoute(app, c.docs, {
    method: 'GET',
    url: '/docs/openapi.json',
    summary: 'This API as an OpenAPI 3.1 document',
    tag: 'system',
    handler: () => openApiDocument(c.docs, VERSION),
  });
  addRoute(app, c.docs, {
    method: 'GET',
    url: '/docs',
    summary: 'The API reference as a page (JSON with ?format=json)',
    tag: 'system',
    produces: 'text/html',
    query: z.object({ format: z.enum(['html', 'json']).default('html') }).strict(),
    handler: ({ query, reply }) => {
      const doc = openApiDocument(c.docs, VERSION);
      if (query.format === 'json') return doc;
      reply.header('content-type', 'text/html; charset=utf-8');
      reply.header('content-security-policy', DOCS_CSP);
      reply.header('x-content-type-options', 'nosniff');
      return docsPage(doc);
    },
  });
}
