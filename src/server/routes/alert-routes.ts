import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context.ts';
import { addRoute } from '../http/route.ts';

/** Mounts the alert hook's route table behind the server's login (GET: viewer, others: operator). */
export function alertRoutes(app: FastifyInstance, c: ServerContext): void {
  for (const r of c.alerts.routes()) {
    addRoute(app, c.docs, {
      method: r.method,
      url: r.url,
      summary: r.summary,
      tag: 'alerts',
      validate: false,
      ...(r.outbound ? { outbound: r.outbound } : {}),
      ...(r.schemas.body ? { body: r.schemas.body } : {}),
      ...(r.schemas.query ? { query: r.schemas.query } : {}),
      ...(r.schemas.params ? { params: r.schemas.params } : {}),
      async handler({ params, query, body, user, reply }) {
        const res = await r.handle({ params, query, body, user: user?.username ?? null });
        reply.code(res.status);
        return res.status === 204 ? reply.send() : reply.send(JSON.parse(c.redact(JSON.stringify(res.body ?? null))));
      },
    });
  }
}
