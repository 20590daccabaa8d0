import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { JsonObject } from '../../core/records.ts';
import { schemeJsonSchema } from '../../core/scheme/scheme.ts';
import type { ServerContext } from '../context.ts';
import { hasRole } from '../auth/auth-hook.ts';
import { badRequest, HttpError } from '../http/errors.ts';
import { addRoute } from '../http/route.ts';
import { previewRecords } from '../schemes/preview.ts';
import { fetchSample } from '../schemes/sample.ts';

const EXAMPLES = fileURLToPath(new URL('../../../examples/', import.meta.url));
const Name = z.object({ name: z.string().min(1).max(200) }).strict();
const Text = z.string().min(1).max(1_000_000).describe('The scheme document (JSON text).');
const Records = z.array(z.record(z.string(), z.unknown())).max(200);

export function schemeRoutes(app: FastifyInstance, c: ServerContext): void {
  const tag = 'schemes';
  addRoute(app, c.docs, { method: 'GET', url: '/api/schemes', summary: 'Schemes with their source, target and state', tag, handler: () => c.schemes.list() });
  addRoute(app, c.docs, {
    method: 'GET',
    url: '/api/schedules',
    summary: 'Cron schedules of the enabled schemes, with their next run time (Beijing time unless the scheme says otherwise)',
    tag,
    handler: async () => {
      await c.schedules?.sync();
      return c.schedules?.list() ?? [];
    },
  });
  addRoute(app, c.docs, { method: 'GET', url: '/api/schemes/json-schema', summary: 'JSON Schema of the scheme document', tag, handler: () => schemeJsonSchema() });
  addRoute(app, c.docs, {
    method: 'GET',
    url: '/api/schemes/templates',
    summary: 'Example schemes shipped with ferry (the seed 店铺同步客户 first)',
    tag,
    handler: () => {
      const files = readdirSync(EXAMPLES).filter((f) => f.endsWith('.json')).sort((a, b) => (a === 'shop-to-customer.json' ? -1 : b === 'shop-to-customer.json' ? 1 : a.localeCompare(b)));
      return files.map((file) => {
        const text = readFileSync(`${EXAMPLES}${file}`, 'utf8');
        let name = file;
        try {
          name = String((JSON.parse(text) as { name?: string }).name ?? file);
        } catch {
          // shown under its file name
        }
        return { file, name, text };
      });
    },
  });
  addRoute(app, c.docs, {
    method: 'POST',
    url: '/api/schemes/validate',
    summary: 'Check a scheme document: JSON, schema, semantics and mapping compilation, with JSON paths',
    tag,
    access: 'viewer',
    body: z.object({ text: Text }).strict(),
    async handler({ body }) {
      const r = await c.schemes.check(body.text);
      return { ok: r.ok, problems: r.problems, warnings: r.warnings, name: r.scheme?.name ?? null };
    },
  });
  addRoute(app, c.docs, {
    method: 'POST',
    url: '/api/schemes/preview',
    summary: 'Map sample records (given, or read live from the source) without writing anything; reading live needs the operator role',
    tag,
    access: 'viewer',
    outbound: 'with "sample": reads from the source with its stored credentials (operator only)',
    body: z.object({ text: Text, records: Records.optional(), sample: z.number().int().min(1).max(50).optional() }).strict(),
    async handler({ body, user }) {
      // A viewer maps records they give; reading live calls the vendor with stored credentials (any URL the
      // scheme text names, with any method): that is an operator's action.
      if (body.sample !== undefined && !hasRole(user!.role, 'operator'))
        throw new HttpError(403, `reading a live sample from the source needs the operator role; you are ${user!.role} — give "records" instead`, undefined, 'operator_required');
      const r = await c.schemes.check(body.text);
      if (!r.ok || !r.compiled) return { ok: false, problems: r.problems, rows: [] };
      let records = body.records as JsonObject[] | undefined;
      if (!records) {
        if (!body.sample) throw badRequest('give "records" (sample source records) or "sample" (how many to read from the source)');
        records = await fetchSample(r.compiled, await c.connections.resolve(r.compiled.scheme.source.connection), body.sample, c.fetch);
      }
      const p = await previewRecords(r.compiled, records);
      return { ok: true, problems: [], rows: p.rows, clean: p.ok, withErrors: p.withErrors, target: { api: r.compiled.writeSpec.api, params: r.compiled.writeSpec.params } };
    },
  });
  addRoute(app, c.docs, {
    method: 'GET',
    url: '/api/schemes/:name',
    summary: 'One scheme: its text, state and current problems',
    tag,
    params: Name,
    async handler({ params }) {
      const s = await c.schemes.get(params.name);
      const r = await c.schemes.check(s.text);
      return { ...s, problems: r.problems, warnings: r.warnings, running: c.runs.isRunning(s.name) };
    },
  });
  addRoute(app, c.docs, {
    method: 'POST',
    url: '/api/schemes',
    summary: 'Create a scheme (refused with the problems when it is not valid)',
    tag,
    body: z.object({ text: Text, enabled: z.boolean().optional() }).strict(),
    async handler({ body, reply }) {
      const r = await c.schemes.save(undefined, body.text, body.enabled);
      void c.schedules?.sync().catch(() => undefined);
      reply.code(201);
      return { ...r.stored, warnings: r.checked.warnings };
    },
  });
  addRoute(app, c.docs, {
    method: 'PUT',
    url: '/api/schemes/:name',
    summary: 'Replace a scheme\'s document (its name cannot change)',
    tag,
    params: Name,
    body: z.object({ text: Text, enabled: z.boolean().optional() }).strict(),
    async handler({ params, body }) {
      const r = await c.schemes.save(params.name, body.text, body.enabled);
      void c.schedules?.sync().catch(() => undefined);
      return { ...r.stored, warnings: r.checked.warnings };
    },
  });
  addRoute(app, c.docs, {
    method: 'POST',
    url: '/api/schemes/:name/enabled',
    summary: 'Enable or disable a scheme (a disabled scheme does not run)',
    tag,
    params: Name,
    body: z.object({ enabled: z.boolean() }).strict(),
    handler: async ({ params, body }) => {
      await c.schemes.setEnabled(params.name, body.enabled);
      void c.schedules?.sync().catch(() => undefined);
      return { name: params.name, enabled: body.enabled };
    },
  });
  addRoute(app, c.docs, {
    method: 'DELETE',
    url: '/api/schemes/:name',
    summary: 'Delete a scheme (its runs and ledger stay)',
    tag,
    params: Name,
    async handler({ params }) {
      if (c.runs.isRunning(params.name)) throw badRequest(`scheme "${params.name}" is running; cancel the run first`);
      await c.schemes.delete(params.name);
      void c.schedules?.sync().catch(() => undefined);
    },
  });
  addRoute(app, c.docs, {
    method: 'POST',
    url: '/api/schemes/:name/run',
    summary: 'Run the scheme now (409 when it is already running or disabled)',
    tag,
    outbound: 'reads the source and writes the target with the stored credentials',
    params: Name,
    body: z.object({}).strict().default({}),
    async handler({ params, reply }) {
      const r = await c.runs.startRun(params.name, 'manual');
      reply.code(202);
      return { runId: r.runId };
    },
  });
}
