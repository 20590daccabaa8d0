import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { UserRole } from '../../core/contracts/server-store.ts';
import { readCookie, SESSION_COOKIE } from '../http/cookies.ts';
import type { Access } from '../http/route.ts';
import type { AuthService } from './auth-service.ts';

const RANK: Record<UserRole, number> = { viewer: 1, operator: 2, admin: 3 };

/**
 * Every request passes here first. Routes marked `public` (login page and assets, login itself, health
 * probes) pass; everything else — known route or not — needs a session cookie or an `Authorization: Bearer`
 * API token, and the role the route asks for. A cookie-authenticated change must come from our own origin.
 */
export function installAuth(app: FastifyInstance, auth: AuthService): void {
  app.addHook('onRequest', async (req, reply) => {
    const access: Access | undefined = req.routeOptions.config?.access;
    if (access === 'public') return;
    const user = await authenticate(req, auth);
    if (!user) return reply.code(401).header('cache-control', 'no-store').send({ error: 'login required: send the session cookie or an API token (Authorization: Bearer …)' });
    req.user = user;
    if (!access) return; // unknown route: the not-found handler answers (only after login)
    if (RANK[user.role] < RANK[access]) return reply.code(403).send({ error: `this needs the ${access} role; you are ${user.role}` });
    if (user.via === 'session' && req.method !== 'GET' && req.method !== 'HEAD' && !sameOrigin(req))
      return reply.code(403).send({ error: 'cross-origin request refused' });
  });
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

function sameOrigin(req: FastifyRequest): boolean {
  const origin = req.headers.origin;
  if (!origin) return true; // non-browser clients and same-origin GET-style navigations send none
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}
