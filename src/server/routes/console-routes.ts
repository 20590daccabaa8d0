import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';

const CONSOLE_DIR = fileURLToPath(new URL('../../console/', import.meta.url));
const TYPES: Record<string, string> = { '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml', '.html': 'text/html; charset=utf-8' };

/**
 * The console: index.html, its ES modules and styles, and the vendor modules (preact, preact/hooks, htm)
 * straight from node_modules — no build step. Every file is registered as its own public route at start
 * (no wildcard, no path from the request ever reaches the file system). The page carries a strict CSP;
 * its only inline script is the import map, allowed by hash.
 */
export function consoleRoutes(app: FastifyInstance): void {
  const require = createRequire(import.meta.url);
  const vendor: Record<string, string> = {
    '/vendor/preact.mjs': require.resolve('preact'),
    '/vendor/hooks.mjs': require.resolve('preact/hooks'),
    '/vendor/htm.mjs': join(require.resolve('htm'), '..', 'htm.mjs'),
  };
  const files: Record<string, string> = { ...vendor };
  for (const f of walk(CONSOLE_DIR)) {
    const rel = relative(CONSOLE_DIR, f).split(sep).join('/');
    if (rel === 'index.html' || !/\.(js|css|svg)$/.test(rel) || /\.test\./.test(rel)) continue;
    files[`/assets/${rel}`] = f;
  }
  const html = readFileSync(join(CONSOLE_DIR, 'index.html'), 'utf8');
  const importMap = /<script type="importmap">([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
  const csp = [
    "default-src 'self'",
    `script-src 'self' 'sha256-${createHash('sha256').update(importMap).digest('base64')}'`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'self'",
  ].join('; ');
  const page = (reply: { header: (k: string, v: string) => unknown }) => {
    reply.header('content-type', TYPES['.html']!);
    reply.header('content-security-policy', csp);
    reply.header('cache-control', 'no-cache');
    reply.header('x-content-type-options', 'nosniff');
    return html;
  };
  app.route({ method: 'GET', url: '/', config: { access: 'public' }, handler: async (_req, reply) => page(reply) });
  for (const [url, file] of Object.entries(files)) {
    const ext = /\.[a-z]+$/.exec(file)?.[0] ?? '.js';
    app.route({
      method: 'GET',
      url,
      config: { access: 'public' },
      handler: async (_req, reply) => {
        reply.header('content-type', TYPES[ext] ?? 'application/octet-stream');
        reply.header('cache-control', 'no-cache');
        reply.header('x-content-type-options', 'nosniff');
        return readFileSync(file);
      },
    });
  }
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else out.push(p);
  }
  return out;
}
