import { z } from 'zod';
import type { RouteDoc } from './route.ts';

/** OpenAPI 3.1 document of the registered routes, their zod schemas turned into JSON Schema. */
export function openApiDocument(docs: RouteDoc[], version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const d of docs) {
    const path = d.url.replace(/:([A-Za-z_]\w*)/g, '{$1}');
    const op: Record<string, unknown> = {
      summary: d.summary,
      tags: [d.tag],
      ...(d.access === 'public' ? { security: [] } : { 'x-ferry-role': d.access }),
      ...(d.outbound ? { 'x-ferry-outbound': d.outbound } : {}),
      parameters: [...parameters(d.params, 'path'), ...parameters(d.query, 'query')],
      responses: {
        '200': { description: 'OK', content: { [d.produces ?? 'application/json']: {} } },
        '400': { description: 'Malformed input: `{error, details}` with the path and reason of each problem' },
        ...(d.access === 'public' ? {} : { '401': { description: 'No valid session or token' }, '403': { description: 'Role too low' } }),
      },
    };
    if (d.body) op.requestBody = { required: true, content: { 'application/json': { schema: schemaOf(d.body) } } };
    (paths[path] ??= {})[d.method.toLowerCase()] = op;
  }
  return {
    openapi: '3.1.0',
    info: { title: 'ferry API', version, description: 'The HTTP API of `ferry serve`. Log in (POST /api/auth/login, session cookie) or send `Authorization: Bearer <API token>`.' },
    components: {
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'ferry_session' },
        token: { type: 'http', scheme: 'bearer' },
      },
    },
    security: [{ session: [] }, { token: [] }],
    paths,
  };
}

function schemaOf(s: z.ZodType): unknown {
  try {
    return z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' });
  } catch {
    return {};
  }
}

function parameters(s: z.ZodType | undefined, where: 'path' | 'query'): unknown[] {
  if (!s) return [];
  const js = schemaOf(s) as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(js.properties ?? {}).map(([name, schema]) => ({ name, in: where, required: where === 'path' || (js.required ?? []).includes(name), schema }));
}

/** A small HTML page listing the operations (the JSON is at /docs/openapi.json). */
export function docsPage(doc: Record<string, unknown>): string {
  const esc = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  const rows: string[] = [];
  for (const [path, ops] of Object.entries(doc.paths as Record<string, Record<string, { summary: string; tags: string[]; 'x-ferry-role'?: string }>>))
    for (const [method, op] of Object.entries(ops))
      rows.push(`<tr><td>${esc(op.tags[0] ?? '')}</td><td><code>${method.toUpperCase()}</code></td><td><code>${esc(path)}</code></td><td>${esc(op.summary)}</td><td>${esc(op['x-ferry-role'] ?? 'public')}</td></tr>`);
  return `<!doctype html><html><head><meta charset="utf-8"><title>ferry API</title>
<style>body{font:14px system-ui,sans-serif;margin:2em}table{border-collapse:collapse}td,th{border-bottom:1px solid #ddd;padding:4px 8px;text-align:left}</style></head>
<body><h1>ferry API</h1><p>OpenAPI document: <a href="/docs/openapi.json">/docs/openapi.json</a>. Authenticate with the session cookie or <code>Authorization: Bearer &lt;token&gt;</code>.</p>
<table><tr><th>tag</th><th>method</th><th>path</th><th>summary</th><th>role</th></tr>${rows.join('')}</table></body></html>`;
}
