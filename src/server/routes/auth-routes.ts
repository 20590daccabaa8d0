import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ServerContext } from '../context.ts';
import { clearSessionCookie, readCookie, SESSION_COOKIE, sessionCookie } from '../http/cookies.ts';
import { addRoute } from '../http/route.ts';
import { SESSION_TTL_MS } from '../auth/auth-service.ts';
import { PASSWORD_MAX, PASSWORD_MIN } from '../security/password-policy.ts';

const Login = z.object({ username: z.string().min(1).max(100), password: z.string().min(1).max(1000) }).strict();
const Role = z.enum(['admin', 'operator', 'viewer']);
// The policy itself (length, not the user name) is checked by the auth service, the same for every door.
const Password = z.string().min(PASSWORD_MIN, `use at least ${PASSWORD_MIN} characters`).max(PASSWORD_MAX);
/** A token nobody set an expiry for still stops working: 90 days. */
const DEFAULT_TOKEN_DAYS = 90;
const IdParam = z.object({ id: z.string().min(1).max(100) }).strict();

/** Login, logout, own account, API tokens and (admins) users. */
export function authRoutes(app: FastifyInstance, c: ServerContext): void {
  const tag = 'auth';
  addRoute(app, c.docs, {
    method: 'POST',
    url: '/api/auth/login',
    summary: 'Log in; sets the HttpOnly session cookie',
    tag,
    access: 'public',
    body: Login,
    async handler({ body, req, reply }) {
      const r = await c.auth.login(body.username, body.password, req.ip);
      reply.header('set-cookie', sessionCookie(r.session, Math.floor(SESSION_TTL_MS / 1000), c.secureCookies));
      return { user: r.user, expiresAt: r.expiresAt };
    },
  });
  addRoute(app, c.docs, {
    method: 'POST',
    url: '/api/auth/logout',
    summary: 'Log out (ends this session)',
    tag,
    access: 'viewer',
    async handler({ req, reply }) {
      const s = readCookie(req.headers.cookie, SESSION_COOKIE);
      if (s) await c.auth.logout(s);
      reply.header('set-cookie', clearSessionCookie(c.secureCookies));
      return { ok: true };
    },
  });
  addRoute(app, c.docs, { method: 'GET', url: '/api/auth/me', summary: 'Who is logged in', tag, handler: ({ user }) => ({ user }) });
  addRoute(app, c.docs, {
    method: 'POST',
    url: '/api/auth/password',
    summary: 'Change your own password: ends your other sessions and revokes your API tokens; this session goes on',
    tag,
    access: 'viewer',
    body: z.object({ current: z.string().min(1), next: Password }).strict(),
    async handler({ body, user, reply }) {
      await c.auth.changeOwnPassword(user!, body.current, body.next);
      if (user!.via === 'session') {
        const s = await c.auth.startSession(user!.id);
        reply.header('set-cookie', sessionCookie(s.session, Math.floor(SESSION_TTL_MS / 1000), c.secureCookies));
      }
      return { ok: true };
    },
  });

  addRoute(app, c.docs, { method: 'GET', url: '/api/tokens', summary: 'API tokens (yours; all for admins)', tag, handler: ({ user }) => c.auth.listTokens(user!) });
  addRoute(app, c.docs, {
    method: 'POST',
    url: '/api/tokens',
    summary: 'Create an API token for yourself; the token is shown once',
    tag,
    access: 'viewer',
    body: z
      .object({ name: z.string().min(1).max(100), expiresInDays: z.number().int().min(1).max(3650).default(DEFAULT_TOKEN_DAYS).describe(`Days until the token stops working (default ${DEFAULT_TOKEN_DAYS}).`) })
      .strict(),
    handler: async ({ body, user }) => c.auth.createToken(user!, body.name, body.expiresInDays),
  });
  addRoute(app, c.docs, {
    method: 'DELETE',
    url: '/api/tokens/:id',
    summary: 'Revoke an API token',
    tag,
    access: 'viewer',
    params: IdParam,
    handler: async ({ params, user }) => void (await c.auth.revokeToken(params.id, user!)),
  });

  addRoute(app, c.docs, { method: 'GET', url: '/api/users', summary: 'Users', tag, access: 'admin', handler: () => c.auth.listUsers() });
  addRoute(app, c.docs, {
    method: 'POST',
    url: '/api/users',
    summary: 'Create a user',
    tag,
    access: 'admin',
    body: z.object({ username: z.string().min(1).max(100).regex(/^[\w.@-]+$/, 'letters, digits, _ . @ - only'), password: Password, role: Role }).strict(),
    handler: ({ body }) => c.auth.createUser(body),
  });
  addRoute(app, c.docs, {
    method: 'PATCH',
    url: '/api/users/:id',
    summary: 'Change a user\'s password, role or disabled flag',
    tag,
    access: 'admin',
    params: IdParam,
    body: z.object({ password: Password.optional(), role: Role.optional(), disabled: z.boolean().optional() }).strict(),
    handler: ({ params, body, user }) => c.auth.updateUser(params.id, body, user!),
  });
  addRoute(app, c.docs, {
    method: 'DELETE',
    url: '/api/users/:id',
    summary: 'Delete a user (and their sessions and tokens)',
    tag,
    access: 'admin',
    params: IdParam,
    handler: async ({ params, user }) => void (await c.auth.deleteUser(params.id, user!)),
  });
}
