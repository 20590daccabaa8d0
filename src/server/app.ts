import Fastify, { LogController, type FastifyInstance } from 'fastify';
import { chmodSync, mkdirSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { makeRedactor } from '../core/redact.ts';
import type { ServerStore } from '../core/contracts/server-store.ts';
import type { StateStore } from '../core/contracts/state-store.ts';
import { loggerOn } from '../cli/logger.ts';
import { checkLogRotation, DEFAULT_LOG_ROTATION, openRollingLog, type LogRotation } from '../cli/rolling-log.ts';
import { SqliteStore } from '../store/sqlite/sqlite-store.ts';
import { SqliteServerStore } from '../store/sqlite/server-store.ts';
import { openScale, type ScaleConnection, type ScaleSettings } from '../scale/enqueue-run.ts';
import { noAlerts, type AlertsHook } from './alerts-hook.ts';
import { createAlertsHook } from './alerts-wiring.ts';
import { ServerSchedules } from './schedules.ts';
import { installAuth } from './auth/auth-hook.ts';
import { AuthService } from './auth/auth-service.ts';
import { ConnectionService } from './connections/connection-service.ts';
import type { ServerContext } from './context.ts';
import { installErrorHandling } from './http/error-handler.ts';
import type { RouteDoc } from './http/route.ts';
import type { HealthCheck } from './health.ts';
import { FerryMetrics } from './metrics.ts';
import type { RunControl } from './run-control.ts';
import { RunManager } from './run-manager.ts';
import { ScaledRunManager } from './scaled-run-manager.ts';
import { Retention, retentionSettings, type RetentionSettings } from './retention.ts';
import { alertRoutes } from './routes/alert-routes.ts';
import { authRoutes } from './routes/auth-routes.ts';
import { connectionRoutes } from './routes/connection-routes.ts';
import { consoleRoutes } from './routes/console-routes.ts';
import { insightRoutes } from './routes/insight-routes.ts';
import { recordRoutes } from './routes/record-routes.ts';
import { runRoutes } from './routes/run-routes.ts';
import { schemeRoutes } from './routes/scheme-routes.ts';
import { systemRoutes } from './routes/system-routes.ts';
import { EventRecorder } from './runs/event-recorder.ts';
import type { LineageMode } from './runs/lineage-tap.ts';
import { SchemeService } from './schemes/scheme-service.ts';
import { passwordProblem } from './security/password-policy.ts';
import { loadSecretKey } from './security/secret-key.ts';

export interface ServeOptions {
  /** Data directory: ferry.sqlite, secret.key, logs/. */
  dataDir: string;
  host?: string;
  /** 0 = ephemeral. */
  port?: number;
  /** First start only: the admin's password (else a random one, returned in `initialAdmin`). */
  adminPassword?: string;
  env?: NodeJS.ProcessEnv;
  /** Mark the session cookie `Secure` (set when the console is served over https). */
  secureCookies?: boolean;
  lineage?: LineageMode;
  alerts?: AlertsHook;
  /** Use the stub instead of the real alert service (tests that do not exercise alerting). */
  alertsOff?: boolean;
  /** Base URL of the console, for links in alert messages (default: `publicUrl`). */
  consoleBaseUrl?: string;
  /**
   * The address users open the console at (`--public-url`, FERRY_PUBLIC_URL), e.g. `https://ferry.example.com`:
   * its origin is accepted by the same-origin check, and alert messages link to it.
   */
  publicUrl?: string;
  /**
   * Proxies whose `X-Forwarded-For/Host/Proto` are believed (`--trust-proxy`, FERRY_TRUST_PROXY): addresses or
   * CIDRs, comma separated, or `loopback`. Unset: those headers are ignored.
   */
  trustProxy?: string;
  /** Run cron schedules of the stored schemes (default true). */
  schedules?: boolean;
  /** Injected into the platforms (tests). */
  fetch?: typeof fetch;
  logLevel?: string;
  /** Process metrics (event loop, memory) in /metrics; default true. */
  defaultMetrics?: boolean;
  /**
   * Scaled-out mode (`ferry serve --redis --postgres`): runs are enqueued for `ferry worker` processes and runs,
   * ledger and checkpoints live in PostgreSQL; users, connections, schemes and events stay in `<data>/ferry.sqlite`.
   */
  scale?: ScaleSettings & { pagesPerPartition?: number; maxPartitions?: number };
  /** How long events, API calls, lineage and finished runs are kept (days; defaults in retention.ts, docs/deploy.md). */
  retention?: Partial<RetentionSettings>;
  /** Log files `server.*.log` (requests, audit) and `ferry.*.log` (runs): where (default `<data>/logs`) and rotation. */
  logs?: { dir?: string; rotation?: Partial<LogRotation> };
}

export interface FerryServer {
  app: FastifyInstance;
  runs: RunControl;
  /** Set in the scaled-out mode. */
  scale?: ScaleConnection;
  context: ServerContext;
  /** Every route fastify knows (method + url), for audits and tests. */
  routes: { method: string; url: string; access: string | undefined; outbound?: string }[];
  /**
   * Set by `listen()` (or `createFirstUser()`) on the first start, when there was no user yet: the `admin` it
   * created and its password (generated unless given), to print once.
   */
  readonly initialAdmin?: { username: string; password: string; generated: boolean } | undefined;
  /**
   * Creates `admin` if the database has no user (once; `listen()` calls it after the port is bound). Tests that
   * drive the app with `inject()` and never listen call it themselves.
   */
  createFirstUser(): Promise<{ username: string; password: string; generated: boolean } | undefined>;
  keySource: 'env' | 'file' | 'created';
  schedules: ServerSchedules;
  retention: Retention;
  logger: Logger;
  listen(): Promise<string>;
  close(): Promise<void>;
}

/**
 * The composition root of `ferry serve`: stores in `<data>/ferry.sqlite`, the sealing key, services, the
 * run manager and its subscribers (event log, metrics, alerts), and the fastify app with every route
 * behind the auth hook.
 */
export async function createFerryServer(o: ServeOptions): Promise<FerryServer> {
  const env = o.env ?? process.env;
  const publicUrl = checkPublicUrl(o.publicUrl ?? env.FERRY_PUBLIC_URL);
  const trustProxy = checkTrustProxy(o.trustProxy ?? env.FERRY_TRUST_PROXY);
  const consoleBaseUrl = o.consoleBaseUrl ?? publicUrl;
  // A new data directory is private to the server's user: it holds password hashes and sealed credentials.
  mkdirSync(o.dataDir, { recursive: true, mode: 0o700 });
  chmodSync(o.dataDir, 0o700); // also a directory made by an older version (or by hand)
  const file = join(o.dataDir, 'ferry.sqlite');
  const { key, source: keySource } = loadSecretKey(o.dataDir, env);
  const scale = o.scale ? await openScale(o.scale) : undefined;
  const state: StateStore = scale ? scale.store : new SqliteStore(file);
  const server: ServerStore = new SqliteServerStore(file);

  let redactor = (s: string) => s;
  const logDir = o.logs?.dir ?? join(o.dataDir, 'logs');
  const rotation = checkLogRotation({ ...DEFAULT_LOG_ROTATION, ...o.logs?.rotation });
  const serverLog = await openRollingLog(join(logDir, 'server.log'), rotation);
  const runLog = await openRollingLog(join(logDir, 'ferry.log'), rotation);
  const logger = loggerOn(serverLog, o.logLevel ?? 'info', (s) => redactor(s));
  const connections: ConnectionService = new ConnectionService(server, key, Date.now, async () => {
    redactor = makeRedactor(await connections.allSecrets());
  });
  redactor = makeRedactor(await connections.allSecrets());

  const auth = new AuthService(server);
  // A first-start password that breaks the policy stops the start before anything listens (issue 13).
  const givenAdminPassword = o.adminPassword ?? env.FERRY_ADMIN_PASSWORD;
  const adminPasswordProblem = givenAdminPassword ? passwordProblem(givenAdminPassword, 'admin') : undefined;
  if (adminPasswordProblem && (await server.countUsers()) === 0) {
    await server.close();
    if (scale) await scale.close();
    else await state.close();
    throw new Error(`FERRY_ADMIN_PASSWORD is not acceptable: ${adminPasswordProblem}`);
  }
  // The first user is created only once the server listens (see createFirstUser): a start that fails (port
  // taken) must not leave an `admin` whose generated password nobody saw.
  let initialAdmin: FerryServer['initialAdmin'];
  let firstUserChecked = false;
  const createFirstUser = async () => {
    if (firstUserChecked) return initialAdmin;
    firstUserChecked = true;
    initialAdmin = await auth.ensureAdmin(o.adminPassword ?? env.FERRY_ADMIN_PASSWORD);
    return initialAdmin;
  };
  const schemes = new SchemeService(server, async () => (await server.listConnections()).map((c) => ({ name: c.name, platform: c.platform })));
  const metrics = new FerryMetrics({ defaultMetrics: o.defaultMetrics ?? true });
  const alerts = o.alerts ?? (o.alertsOff ? noAlerts : await createAlertsHook({ file, key, logger, state, ...(consoleBaseUrl ? { consoleBaseUrl } : {}) }));
  const onError = (err: unknown) => logger.error({ err: err instanceof Error ? { message: err.message, stack: err.stack } : String(err) }, 'server error');
  const recorder = new EventRecorder(server, () => redactor, onError);
  const inProcess = () =>
    new RunManager({
      state,
      server,
      schemes,
      connections,
      logFile: join(logDir, 'ferry.log'),
      logStream: runLog,
      lineage: o.lineage ?? 'all',
      onError,
      ...(o.fetch ? { fetch: o.fetch } : {}),
    });
  const runs: RunControl = scale
    ? new ScaledRunManager({
        replayer: inProcess(),
        scale,
        schemes,
        connections,
        key,
        enqueue: { ...(o.scale?.pagesPerPartition ? { pagesPerPartition: o.scale.pagesPerPartition } : {}), ...(o.scale?.maxPartitions ? { maxPartitions: o.scale.maxPartitions } : {}) },
        onError,
      })
    : inProcess();
  runs.on((e) => recorder.onEvent(e));
  runs.on((e) => metrics.onEvent(e));
  runs.on((e) => alerts.onRunEvent(e));
  runs.onReport((r) => alerts.onRunFinished?.(r));
  const retention = new Retention(server, retentionSettings(o.retention), {
    pruneRuns: !scale,
    onError,
    onPruned: (c) => {
      if (Object.values(c).some((n) => n > 0)) logger.info({ event: 'retention.pruned', ...c }, 'retention: pruned old events, API calls, lineage and runs');
    },
  });
  // After the run's own rows are flushed: the recorder writes on its own schedule, the prune may run meanwhile.
  runs.onReport(() => void retention.maybePrune());
  await runs.markAbandonedRuns();
  const schedules = new ServerSchedules(schemes, runs, (e) => logger.info({ event: `schedule.${e.type}`, ...e }, `schedule ${e.type}: ${e.scheme}`));

  const app = Fastify({ loggerInstance: logger, logController: new LogController({ disableRequestLogging: true }), bodyLimit: 2 * 1024 * 1024, trustProxy: trustProxy ?? false }) as unknown as FastifyInstance;
  const routes: FerryServer['routes'] = [];
  app.addHook('onRoute', (r) => {
    const cfg = r.config as { access?: string; outbound?: string } | undefined;
    for (const m of [r.method].flat()) routes.push({ method: String(m), url: r.url, access: cfg?.access, ...(cfg?.outbound ? { outbound: cfg.outbound } : {}) });
  });
  const docs: RouteDoc[] = [];
  const health: HealthCheck[] = [
    { name: 'sqlite', check: async () => (await server.countUsers(), scale ? undefined : await state.listRuns({ limit: 1 })) },
    ...(scale
      ? [
          { name: 'postgres' as const, check: () => scale.store.pool.query('SELECT 1') },
          { name: 'redis' as const, check: () => scale.queues.ping() },
        ]
      : []),
  ];
  const context: ServerContext = {
    health, state, server, auth, connections, schemes, runs, metrics, alerts, redact: (s) => redactor(s), docs, secureCookies: o.secureCookies ?? false, now: Date.now, schedules, ...(o.fetch ? { fetch: o.fetch } : {}) };
  installErrorHandling(app, context);
  installAuth(app, auth, publicUrl ? { publicUrl } : {});
  systemRoutes(app, context);
  authRoutes(app, context);
  connectionRoutes(app, context);
  schemeRoutes(app, context);
  runRoutes(app, context);
  recordRoutes(app, context);
  insightRoutes(app, context);
  alertRoutes(app, context);
  consoleRoutes(app);
  await app.ready();

  return {
    app,
    runs,
    ...(scale ? { scale } : {}),
    context,
    routes,
    get initialAdmin() {
      return initialAdmin;
    },
    createFirstUser,
    keySource,
    logger,
    async listen() {
      const url = await app.listen({ host: o.host ?? '127.0.0.1', port: o.port ?? 8080 });
      await createFirstUser();
      retention.start();
      await alerts.start?.();
      if (o.schedules !== false) await schedules.start();
      return url;
    },
    schedules,
    retention,
    async close() {
      schedules.stop();
      await retention.stop();
      await runs.shutdown();
      await app.close();
      await recorder.close();
      await alerts.close?.();
      await server.close();
      if (scale) await scale.close();
      else await state.close();
      await new Promise<void>((r) => logger.flush(() => r()));
      await Promise.all([serverLog, runLog].map((d) => new Promise<void>((r) => (d.once('close', () => r()), d.end()))));
    },
  };
}

/** The public URL must be an absolute http(s) URL; only its origin and path are used. */
function checkPublicUrl(u: string | undefined): string | undefined {
  if (!u) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(u);
  } catch {
    throw new Error(`the public URL "${u}" is not a URL; give the address users open the console at, e.g. https://ferry.example.com`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error(`the public URL must start with https:// or http://, got "${u}"`);
  return `${parsed.origin}${parsed.pathname.replace(/\/+$/, '')}`;
}

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * The trusted proxies: addresses or CIDRs (`10.0.0.0/8`), comma separated, or `loopback` / `linklocal` /
 * `uniquelocal`. "Trust everyone" (`true`, `*`) is refused: any client could then claim any address and host.
 */
function checkTrustProxy(v: string | undefined): string | undefined {
  const list = (v ?? '').split(',').map((x) => x.trim()).filter(Boolean);
  if (!list.length) return undefined;
  for (const x of list) {
    const [addr, bits, more] = x.split('/');
    const ok = PROXY_NAMES.has(x) || (more === undefined && isIP(addr!) !== 0 && (bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (isIP(addr!) === 4 ? 32 : 128))));
    if (!ok) throw new Error(`the trusted proxy "${x}" is not an address, a CIDR or one of loopback, linklocal, uniquelocal (give the reverse proxy's address, e.g. 127.0.0.1; trusting every client is not offered)`);
  }
  return list.join(',');
}
