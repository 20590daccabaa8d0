import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { UserRole } from '../../core/contracts/server-store.ts';
import { readCookie, SESSION_COOKIE } from '../http/cookies.ts';
import type { Access } from '../http/route.ts';
import type { AuthService } from './auth-service.ts';

const RANK: Record<UserRole, number> = { viewer: 1, operator: 2, admin: 3 };

/** Whether `role` is at least `least`. */
export function hasRole(role: UserRole, least: UserRole): boolean {
  return RANK[role] >= RANK[least];
}

/** What a user whose password must change may still do. */
const BEFORE_PASSWORD_CHANGE = new Set(['GET /api/auth/me', 'POST /api/auth/password', 'POST /api/auth/logout']);

export interface OriginPolicy {
  /** The console's public address (`--public-url`): its origin is always our own. */
  publicUrl?: string;
}

/**
 * Every request passes here first. Routes marked `public` (login page and assets, login itself, health
 * probes) pass; everything else — known route or not — needs a session cookie or an `Authorization: Bearer`
 * API token, and the role the route asks for. A cookie-authenticated change, and the login itself (login
 * CSRF), must come from our own origin.
 */
export function installAuth(app: FastifyInstance, auth: AuthService, origins: OriginPolicy = {}): void {
  app.addHook('onRequest', async (req, reply) => {
    const access: Access | undefined = req.routeOptions.config?.access;
    if (access === 'public') {
      if (isChange(req) && !sameOrigin(req, origins)) return reply.code(403).send({ error: 'cross-origin request refused', code: 'cross_origin' });
      return;
    }
    const user = await authenticate(req, auth);
    if (!user) return reply.code(401).header('cache-control', 'no-store').send({ error: 'login required: send the session cookie or an API token (Authorization: Bearer …)' });
    req.user = user;
    if (!access) return; // unknown route: the not-found handler answers (only after login)
    if (user.mustChangePassword && !BEFORE_PASSWORD_CHANGE.has(`${req.method} ${req.routeOptions.url}`))
      return reply.code(403).send({ error: 'your password was generated and must be changed first: POST /api/auth/password {current, next}', code: 'password_change_required' });
    if (!hasRole(user.role, access)) return reply.code(403).send({ error: `this needs the ${access} role; you are ${user.role}` });
    if (user.via === 'session' && isChange(req) && !sameOrigin(req, origins)) return reply.code(403).send({ error: 'cross-origin request refused', code: 'cross_origin' });
  });
}

function isChange(req: FastifyRequest): boolean {
  return req.method !== 'GET' && req.method !== 'HEAD';
}

async function authenticate(req: FastifyRequest, auth: AuthService) {
  const h = req.headers.authorization;
  if (h) {
    const m = /^Bearer\s+(\S+)$/i.exec(h);
    return m ? auth.fromToken(m[1]!) : undefined;
  }
  const session = readCookie(req.headers.cookie, SESSION_COOKIE);
  return session ? auth.fromSession(session) : undefined;
}

/**
 * Our own origin is the `--public-url`'s, or the host the request was sent to: `req.host` is the `Host`
 * header, or `X-Forwarded-Host` only when the request comes from a trusted proxy (`--trust-proxy`).
 */
function sameOrigin(req: FastifyRequest, o: OriginPolicy): boolean {
  const origin = req.headers.origin;
  if (!origin) return true; // non-browser clients and same-origin GET-style navigations send none
  let u: URL;
  try {
    u = new URL(origin);
  } catch {
    return false;
  }
  if (o.publicUrl) {
    try {
      if (new URL(o.publicUrl).origin === u.origin) return true;
    } catch {
      // an invalid public URL is refused at start
    }
  }
  return u.host === req.host;
}
