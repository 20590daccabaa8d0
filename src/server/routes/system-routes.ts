import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ServerContext } from '../context.ts';
import { docsPage, openApiDocument } from '../http/openapi.ts';
import { addRoute } from '../http/route.ts';

const VERSION = '0.1.0';

/** Health probes (public), Prometheus metrics and the API document (login needed). */
export function systemRoutes(app: FastifyInstance, c: ServerContext): void {
  addRoute(app, c.docs, { method: 'GET', url: '/healthz', summary: 'Liveness: the process answers', tag: 'system', access: 'public', handler: () => ({ ok: true }) });
  addRoute(app, c.docs, {
    method: 'GET',
    url: '/readyz',
    summary: 'Readiness: the stores answer',
    tag: 'system',
    access: 'public',
    async handler({ reply }) {
      try {
        await c.state.listRuns({ limit: 1 });
        await c.server.countUsers();
        return { ok: true, running: c.runs.running().length };
      } catch {
        reply.code(503);
        return { ok: false };
      }
    },
  });
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
      return docsPage(doc);
    },
  });
}
