import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context.ts';
import { HttpError } from './errors.ts';

/**
 * Errors become JSON answers: HttpError and fastify's own 4xx (bad JSON, wrong content type, body too
 * large) keep their status and reason; anything else is a bug — logged (redacted) and answered with a
 * generic 500 that leaks nothing. Mutating requests are written to the server log as an audit trail.
 */
const LOGIN = '/api/auth/login';

/** The user name a login body carried (whatever it was), cut short. */
function triedName(body: unknown): string | null {
  const u = body && typeof body === 'object' ? (body as { username?: unknown }).username : undefined;
  return typeof u === 'string' ? u.slice(0, 100) : null;
}

export function installErrorHandling(app: FastifyInstance, c: ServerContext): void {
  app.setErrorHandler((err: Error & { statusCode?: number; code?: string; validation?: unknown }, req, reply) => {
    if (err instanceof HttpError)
      return reply.code(err.statusCode).send({
        error: c.redact(err.message),
        ...(err.code ? { code: err.code } : {}),
        ...(err.details !== undefined ? { details: JSON.parse(c.redact(JSON.stringify(err.details))) } : {}),
      });
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) return reply.code(err.statusCode).send({ error: c.redact(err.message), ...(err.code ? { code: err.code } : {}) });
    req.log.error({ err: { message: c.redact(err.message), stack: c.redact(err.stack ?? '') }, url: req.url, method: req.method }, 'request failed');
    return reply.code(500).send({ error: 'internal error; the details are in the server log' });
  });
  app.setNotFoundHandler((req, reply) => reply.code(404).send({ error: `no such endpoint: ${req.method} ${req.url.split('?')[0]}` }));
  app.addHook('onResponse', async (req, reply) => {
    if (req.method === 'GET' || req.method === 'HEAD') return;
    // A login names the user it tried (the session user is not set yet); every line names the client address.
    const tried = req.routeOptions.url === LOGIN ? { tried: triedName(req.body), event: reply.statusCode === 200 ? 'login' : 'login.failed' } : {};
    req.log.info({ audit: true, user: req.user?.username ?? null, ...tried, from: req.ip, method: req.method, url: req.url.split('?')[0], status: reply.statusCode }, 'request');
  });
}
