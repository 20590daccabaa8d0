import type { Command } from 'commander';
import { waitForStopSignal } from '../wait-for-signal.ts';
import { createFerryServer } from '../../server/app.ts';
import { dataDir } from '../data-dir.ts';
import { UserError } from '../user-error.ts';
import { logOptions, logsFromFlags, retentionFromFlags, retentionOptions, type LogFlags, type RetentionFlags } from '../serve-ops-flags.ts';

interface ServeFlags extends RetentionFlags, LogFlags {
  port: string;
  host: string;
  data?: string;
  lineage: string;
  secureCookies?: boolean;
  redis?: string;
  postgres?: string;
  schema: string;
  prefix: string;
  publicUrl?: string;
  trustProxy?: string;
}

/** `--redis` and `--postgres` go together (runs enqueued for workers) or not at all (runs in this process). */
function scaleSettings(o: ServeFlags): { redisUrl: string; postgresUrl: string; schema: string; prefix: string } | undefined {
  if (o.redis === undefined && o.postgres === undefined) return undefined;
  if (o.redis === undefined || o.postgres === undefined)
    throw new UserError(`--redis and --postgres go together: ${o.redis === undefined ? '--redis' : '--postgres'} is missing (give both to enqueue runs for ferry worker processes, neither to run them in this process)`);
  if (!/^rediss?:\/\//.test(o.redis)) throw new UserError('--redis must be a URL starting with redis:// or rediss://, e.g. redis://127.0.0.1:6379');
  if (!/^postgres(ql)?:\/\//.test(o.postgres)) throw new UserError('--postgres must be a URL starting with postgres://, e.g. postgres://ferry@127.0.0.1:5432/ferry');
  return { redisUrl: o.redis, postgresUrl: o.postgres, schema: o.schema, prefix: o.prefix };
}

/** Why the server could not listen, in words (no user has been created at that point). */
function listenFailure(err: unknown, host: string, port: number): string {
  const code = (err as NodeJS.ErrnoException).code;
  const where = `${host}:${port}`;
  if (code === 'EADDRINUSE') return `cannot listen on ${where}: the port is already in use (another ferry serve?); stop that process or choose another --port`;
  if (code === 'EACCES') return `cannot listen on ${where}: permission denied (ports below 1024 need privileges); choose another --port`;
  if (code === 'EADDRNOTAVAIL') return `cannot listen on ${where}: this machine has no such address; check --host`;
  return `cannot listen on ${where}: ${(err as Error).message}`;
}

export function registerServe(program: Command): void {
  const keep = retentionOptions();
  const log = logOptions();
  program
    .command('serve')
    .description('run the HTTP API and the web console (schemes, runs, records, connections, APIs, alerts, logs) on one port')
    .option('-p, --port <n>', 'port to listen on', '8080')
    .option('--host <host>', 'address to listen on (0.0.0.0 for every interface)', '127.0.0.1')
    .option('-d, --data <dir>', 'data directory (state database, secret key, logs); default .ferry or $FERRY_DATA_DIR')
    .option('--lineage <mode>', 'record lineage kept per record: all (source, payload, response), failures, off', 'all')
    .option('--secure-cookies', 'mark the session cookie Secure (when the console is served over https)')
    .option('--public-url <url>', 'the address users open the console at, e.g. https://ferry.example.com (same-origin check, links in alerts); default $FERRY_PUBLIC_URL')
    .option('--trust-proxy <addresses>', 'believe X-Forwarded-For/Host/Proto from these proxies only: addresses or CIDRs, comma separated, or loopback; default $FERRY_TRUST_PROXY')
    .option('--redis <url>', 'scaled out: enqueue runs on this Redis for ferry worker processes (needs --postgres)')
    .option('--postgres <url>', 'scaled out: runs, ledger and checkpoints in this PostgreSQL, shared with the workers (needs --redis)')
    .option('--schema <name>', 'scaled out: PostgreSQL schema holding ferry\'s tables', 'ferry')
    .option('--prefix <p>', 'scaled out: Redis key prefix (one per ferry installation)', 'ferry')
    .addOption(keep[0])
    .addOption(keep[1])
    .addOption(keep[2])
    .addOption(keep[3])
    .addOption(log[0])
    .addOption(log[1])
    .addOption(log[2])
    .addOption(log[3])
    .action(async (o: ServeFlags) => {
      const port = Number(o.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UserError(`--port must be a port number, got ${o.port}`);
      if (!['all', 'failures', 'off'].includes(o.lineage)) throw new UserError(`--lineage must be all, failures or off, got ${o.lineage}`);
      const scale = scaleSettings(o);
      const retention = retentionFromFlags(o);
      const logs = logsFromFlags(o);
      const dir = dataDir(o.data);
      let server;
      try {
        server = await createFerryServer({ dataDir: dir, host: o.host, port, lineage: o.lineage as 'all', secureCookies: o.secureCookies ?? false, retention, logs, ...(o.publicUrl ? { publicUrl: o.publicUrl } : {}), ...(o.trustProxy ? { trustProxy: o.trustProxy } : {}), ...(scale ? { scale } : {}) });
      } catch (err) {
        throw new UserError(`cannot start the server: ${(err as Error).message}`);
      }
      let url: string;
      try {
        url = await server.listen();
      } catch (err) {
        await server.close().catch(() => undefined);
        throw new UserError(listenFailure(err, o.host, port));
      }
      const out = process.stdout;
      out.write(`ferry serve: console and API at ${url}  (API reference: ${url}/docs, metrics: ${url}/metrics)\n`);
      out.write(`logs: ${logs.dir ?? `${dir}/logs`} (rotated at ${logs.rotation.maxSize}${logs.rotation.frequency === 'off' ? '' : ` and ${logs.rotation.frequency}`}, ${logs.rotation.keep} kept)\n`);
      out.write(`data: ${dir}  (credentials sealed with ${server.keySource === 'env' ? 'FERRY_SECRET_KEY' : `${dir}/secret.key`})\n`);
      if (scale)
        out.write(
          `scaled out: runs are enqueued for ferry worker processes (Redis prefix ${scale.prefix}, PostgreSQL schema ${scale.schema}); ` +
            `start them with --redis/--postgres and FERRY_SECRET_KEY set to this server's key${server.keySource === 'env' ? '' : ` (the content of ${dir}/secret.key)`}\n`,
        );
      if (server.initialAdmin?.generated)
        out.write(`\nfirst start: created user "admin" with password\n\n    ${server.initialAdmin.password}\n\nit is shown only this once; the first login asks for a new one (or set FERRY_ADMIN_PASSWORD, 10+ characters, before the first start).\n\n`);
      else if (server.initialAdmin) out.write(`first start: created user "admin" with the password from FERRY_ADMIN_PASSWORD\n`);
      await waitForStopSignal();
      out.write('ferry serve: stopping (runs in progress are cancelled at their next step; they resume from their checkpoint)\n');
      await server.close();
    });
}
