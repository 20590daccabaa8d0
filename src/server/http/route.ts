import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { UserRole } from '../../core/contracts/server-store.ts';
import { formatPath } from '../../core/scheme/problems.ts';
import { badRequest } from './errors.ts';

/** Who a request is made by (set by the auth hook). */
export interface AuthUser {
  id: string;
  username: string;
  role: UserRole;
  via: 'session' | 'token';
  /** Logged in with a generated password: only changing it (and `me`, logout) is allowed. */
  mustChangePassword?: boolean;
}

/**
 * Access a route needs. `public`: no login (login page, assets, health probes only). Otherwise the least
 * role: viewers read, operators also change things and run schemes, admins also manage users.
 */
export type Access = 'public' | UserRole;

export interface RouteSpec<B extends z.ZodType, Q extends z.ZodType, P extends z.ZodType> {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  summary: string;
  tag: string;
  access?: Access;
  /**
   * The route makes ferry call out (a vendor with stored credentials, or an alert channel): what it calls.
   * Every such call needs the operator role; a route a viewer may use says which part needs operator.
   */
  outbound?: string;
  body?: B;
  query?: Q;
  params?: P;
  /** Describes a non-JSON answer for the API document (HTML, text, SSE). */
  produces?: string;
  /** false: the schemas only document the route; the handler gets the raw input and validates it itself. */
  validate?: boolean;
  handler(ctx: {
    body: z.infer<B>;
    query: z.infer<Q>;
    params: z.infer<P>;
    user: AuthUser | undefined;
    req: FastifyRequest;
    reply: FastifyReply;
  }): Promise<unknown> | unknown;
}

export interface RouteDoc {
  method: string;
  url: string;
  summary: string;
  tag: string;
  access: Access;
  outbound?: string;
  body?: z.ZodType;
  query?: z.ZodType;
  params?: z.ZodType;
  produces?: string;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
    outbound?: string;
  }
  interface FastifyRequest {
    user?: AuthUser;
  }
}

/**
 * Registers a route whose body, query and params are checked with zod: malformed input answers 400 with
 * the path and reason of each problem, never reaching the handler (and never a 500).
 */
export function addRoute<B extends z.ZodType, Q extends z.ZodType, P extends z.ZodType>(app: FastifyInstance, docs: RouteDoc[], spec: RouteSpec<B, Q, P>): void {
  const access: Access = spec.access ?? (spec.method === 'GET' ? 'viewer' : 'operator');
  docs.push({
    method: spec.method,
    url: spec.url,
    summary: spec.summary,
    tag: spec.tag,
    access,
    ...(spec.outbound ? { outbound: spec.outbound } : {}),
    ...(spec.body ? { body: spec.body } : {}),
    ...(spec.query ? { query: spec.query } : {}),
    ...(spec.params ? { params: spec.params } : {}),
    ...(spec.produces ? { produces: spec.produces } : {}),
  });
  app.route({
    method: spec.method,
    url: spec.url,
    config: { access, ...(spec.outbound ? { outbound: spec.outbound } : {}) },
    handler: async (req, reply) => {
      const raw = spec.validate === false;
      if (!raw && !spec.body && !isEmptyBody(req.body)) throw badRequest(`${spec.method} ${spec.url} takes no body (send none, or {})`);
      const body = raw ? req.body : spec.body ? check(spec.body, req.body ?? {}, 'body') : undefined;
      const query = raw ? req.query : spec.query ? check(spec.query, req.query ?? {}, 'query') : undefined;
      const params = raw ? req.params : spec.params ? check(spec.params, req.params ?? {}, 'path') : undefined;
      const out = await spec.handler({ body, query, params, user: req.user, req, reply } as Parameters<typeof spec.handler>[0]);
      if (reply.sent) return reply;
      return out === undefined ? reply.code(204).send() : out;
    },
  });
}

function isEmptyBody(b: unknown): boolean {
  return b === undefined || b === null || b === '' || (typeof b === 'object' && !Array.isArray(b) && Object.keys(b as object).length === 0);
}

function check<T extends z.ZodType>(schema: T, value: unknown, where: string): z.infer<T> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const problems = r.error.issues.map((i) => ({ path: formatPath([where, ...i.path]).replace(/^\$\./, ''), message: i.message }));
  throw badRequest(`invalid ${where}: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`, problems);
}
