import type { Command } from 'commander';
import { waitForStopSignal } from '../wait-for-signal.ts';
import { startHttpEmulator, type EmulatorAuth, type HttpEmulatorOptions } from '../../emulators/http/index.ts';
import { UserError } from '../user-error.ts';

/**
 * `ferry emulate http`: the built-in JSON API (seeded collections, every paging style, batch and single
 * writes with per-row rejects, auth, fault injection) for rehearsing an HTTP scheme without a real system.
 * Runs until Ctrl-C.
 */

interface Opts {
  host: string;
  port: string;
  collection: string[];
  maxPageSize: string;
  required: string;
  bearer?: string;
  oauthClient?: string;
  tokenTtl: string;
  rateLimitEvery?: string;
  retryAfter: string;
  retryAfterStyle: string;
  failEvery?: string;
  dropEvery?: string;
  latency?: string;
}

const int = (v: string | undefined, what: string, min = 0): number | undefined => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new UserError(`${what} must be a whole number ≥ ${min} (got "${v}")`);
  return n;
};

export function toEmulatorOptions(o: Opts): HttpEmulatorOptions {
  const collections: Record<string, number> = {};
  for (const c of o.collection.length ? o.collection : ['orders=1000', 'customers=0']) {
    const m = /^([A-Za-z][\w-]*)=(\d+)$/.exec(c);
    if (!m) throw new UserError(`--collection takes name=count, e.g. orders=10000 (got "${c}")`);
    collections[m[1]!] = Number(m[2]);
  }
  let auth: EmulatorAuth | undefined;
  if (o.bearer && o.oauthClient) throw new UserError('choose one of --bearer and --oauth-client');
  if (o.bearer) auth = { type: 'bearer', token: o.bearer };
  if (o.oauthClient) {
    const i = o.oauthClient.indexOf(':');
    if (i <= 0) throw new UserError('--oauth-client takes id:secret');
    auth = { type: 'oauth2', clientId: o.oauthClient.slice(0, i), clientSecret: o.oauthClient.slice(i + 1), ttlSeconds: int(o.tokenTtl, '--token-ttl', 1)! };
  }
  if (!['seconds', 'date', 'reset'].includes(o.retryAfterStyle)) throw new UserError('--retry-after-style is one of seconds, date, reset');
  return {
    host: o.host,
    port: int(o.port, '--port')!,
    collections,
    maxPageSize: int(o.maxPageSize, '--max-page-size', 1)!,
    requiredFields: o.required.split(',').map((s) => s.trim()).filter(Boolean),
    ...(auth ? { auth } : {}),
    faults: {
      rateLimitEvery: int(o.rateLimitEvery, '--rate-limit-every', 1),
      retryAfterSeconds: int(o.retryAfter, '--retry-after'),
      retryAfterStyle: o.retryAfterStyle as 'seconds' | 'date' | 'reset',
      failEvery: int(o.failEvery, '--fail-every', 1),
      dropEvery: int(o.dropEvery, '--drop-every', 1),
      latencyMs: int(o.latency, '--latency'),
    },
  };
}

export function registerEmulateHttp(emulate: Command): void {
  emulate
    .command('http')
    .description('run the built-in JSON API emulator (paging styles, batch/single writes, auth, fault injection) until Ctrl-C')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port (0 = any free port)', '8790')
    .option('--collection <name=count...>', 'a collection and its generated records (repeatable); default orders=1000 customers=0', [])
    .option('--max-page-size <n>', 'largest page served whatever is asked', '1000')
    .option('--required <fields>', 'fields a written row must have, comma separated', 'name')
    .option('--bearer <token>', 'require this bearer token')
    .option('--oauth-client <id:secret>', 'require OAuth2 client-credentials tokens from POST /oauth/token')
    .option('--token-ttl <seconds>', 'lifetime of OAuth2 tokens', '3600')
    .option('--rate-limit-every <n>', 'answer every nth call with 429')
    .option('--retry-after <seconds>', 'wait asked for by a 429', '1')
    .option('--retry-after-style <style>', 'seconds | date | reset (X-RateLimit-Reset)', 'seconds')
    .option('--fail-every <n>', 'answer every nth call with 503')
    .option('--drop-every <n>', 'apply every nth write, then drop the connection without an answer')
    .option('--latency <ms>', 'delay before every answer')
    .action(async (o: Opts) => {
      const emu = await startHttpEmulator(toEmulatorOptions(o));
      const u = emu.url;
      process.stdout.write(
        [
          `ferry HTTP emulator listening on ${u}`,
          `  reads:   GET ${u}/pages/orders?page=1&page_size=100      (also /offsets, /cursors, /links, /nexturl)`,
          `  writes:  POST ${u}/batch/customers {"rows":[…]}   POST ${u}/records/customers {…}`,
          `  control: GET ${u}/__control/stats   GET ${u}/__control/store`,
          'Ctrl-C to stop.',
          '',
        ].join('\n'),
      );
      await waitForStopSignal();
      await emu.close();
    });
}
