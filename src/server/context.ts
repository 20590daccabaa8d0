import type { ServerStore } from '../core/contracts/server-store.ts';
import type { StateStore } from '../core/contracts/state-store.ts';
import type { AlertsHook } from './alerts-hook.ts';
import type { AuthService } from './auth/auth-service.ts';
import type { ConnectionService } from './connections/connection-service.ts';
import type { RouteDoc } from './http/route.ts';
import type { HealthCheck } from './health.ts';
import type { FerryMetrics } from './metrics.ts';
import type { RunControl } from './run-control.ts';
import type { SchemeService } from './schemes/scheme-service.ts';

/** What route modules get: the services of one server instance. */
export interface ServerContext {
  state: StateStore;
  server: ServerStore;
  auth: AuthService;
  connections: ConnectionService;
  schemes: SchemeService;
  runs: RunControl;
  metrics: FerryMetrics;
  alerts: AlertsHook;
  /** Masks every connection secret the server knows in a text. */
  redact: (text: string) => string;
  docs: RouteDoc[];
  secureCookies: boolean;
  fetch?: typeof fetch;
  now: () => number;
  /** What `/health/ready` asks: the SQLite database, and when scaled out PostgreSQL and Redis. */
  health?: HealthCheck[];
  /** Cron schedules of the stored schemes (list with next run times; resync after a scheme changes). */
  schedules?: { list(): unknown[]; sync(): Promise<void> };
}
