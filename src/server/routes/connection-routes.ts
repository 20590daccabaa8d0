import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { PLATFORMS } from '../../cli/platforms.ts';
import type { ServerContext } from '../context.ts';
import { probeConnection } from '../connections/probe.ts';
import { addRoute } from '../http/route.ts';

const Name = z.object({ name: z.string().min(1).max(100).regex(/^[^/\\\s]+$/, 'no spaces or slashes') }).strict();
const ConnectionBody = z
  .object({
    platform: z.string().min(1).max(40),
    config: z.record(z.string(), z.unknown()).describe('The platform\'s connection settings; secrets sent as "***" keep the stored value.'),
    description: z.string().max(500).nullable().optional(),
  })
  .strict();
const ProbeBody = z
  .object({ side: z.enum(['source', 'target']).optional(), api: z.string().min(1).max(200).optional() })
  .strict()
  .default({});

/** Starting points for the console's connection editor (secrets empty). */
const TEMPLATES: Record<string, Record<string, unknown>> = {
  wdt: { transport: 'qimen', baseUrl: 'https://hu3cgwt0tc.api.taobao.com/router/qm', sid: '', appKey: '', appSecret: '', targetAppKey: '' },
  kingdee: { mode: 'signed', baseUrl: 'https://erp.example.com/k3cloud/', acctId: '', username: '', appId: '', appSecret: '' },
  http: { baseUrl: 'https://api.example.com/v1', auth: { type: 'bearer', token: '' } },
};

export function connectionRoutes(app: FastifyInstance, c: ServerContext): void {
  const tag = 'connections';
  addRoute(app, c.docs, {
    method: 'GET',
    url: '/api/platforms',
    summary: 'Platforms with their connection JSON Schema, secret keys and a template',
    tag,
    handler: () =>
      PLATFORMS.map((p) => ({
        name: p.name,
        secretKeys: p.secretKeys,
        canRead: !!p.openSource,
        canWrite: !!p.openTarget,
        schema: z.toJSONSchema(p.connectionSchema, { io: 'input', unrepresentable: 'any' }),
        template: TEMPLATES[p.name] ?? {},
      })),
  });
  addRoute(app, c.docs, { method: 'GET', url: '/api/connections', summary: 'Connections (secrets masked as "***")', tag, handler: () => c.connections.list() });
  addRoute(app, c.docs, { method: 'GET', url: '/api/connections/:name', summary: 'One connection (secrets masked)', tag, params: Name, handler: ({ params }) => c.connections.get(params.name) });
  addRoute(app, c.docs, {
    method: 'PUT',
    url: '/api/connections/:name',
    summary: 'Create or replace a connection; credentials are encrypted at rest (AES-256-GCM)',
    tag,
    params: Name,
    body: ConnectionBody,
    handler: ({ params, body }) => c.connections.put(params.name, body),
  });
  addRoute(app, c.docs, {
    method: 'DELETE',
    url: '/api/connections/:name',
    summary: 'Delete a connection',
    tag,
    params: Name,
    handler: async ({ params }) => void (await c.connections.delete(params.name)),
  });
  addRoute(app, c.docs, {
    method: 'POST',
    url: '/api/connections/:name/test',
    summary: 'Test a connection with one cheap call (first page of one record, or a look-up)',
    tag,
    outbound: 'calls the vendor with the stored credentials',
    params: Name,
    body: ProbeBody,
    async handler({ params, body }) {
      const conn = await c.connections.resolve(params.name);
      const r = await probeConnection(conn, body ?? {}, c.fetch ? { fetch: c.fetch } : {});
      return { ...r, message: c.redact(r.message) };
    },
  });
}
