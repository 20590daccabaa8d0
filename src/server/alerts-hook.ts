import type { z } from 'zod';
import type { RunEvent } from '../engine/events.ts';
import type { RunReport } from '../engine/reconcile.ts';

/**
 * Where the alert subsystem (src/server/alerts, built separately) plugs into `ferry serve`. The server
 * calls `onRunEvent` for every event of every run (cheap and synchronous; it must not throw) and
 * `onRunFinished` with each run's report; it mounts `routes()` behind its login (GET needs a viewer,
 * anything else an operator) and lists them in the OpenAPI document. The console's alerts page uses
 * `/api/alerts/rules`, `/channels`, `/channels/:id/test`, `/history` (and `/meta` when present).
 *
 * The route table has the shape of `alertRoutes(service)` of src/server/alerts: wiring is
 *
 *   const service = await AlertService.create({ … });
 *   createFerryServer({ …, alerts: {
 *     onRunEvent: (e) => service.onRunEvent(e),
 *     onRunFinished: (r) => service.onRunFinished(r),
 *     routes: () => alertRoutes(service),
 *     start: () => service.startTicker(),
 *     close: () => service.close(),
 *   } });
 */
export interface AlertsHook {
  onRunEvent(e: RunEvent): void;
  onRunFinished?(report: RunReport): void;
  routes(): AlertRouteLike[];
  /** Called once the server listens (timers, priming). */
  start?(): void | Promise<void>;
  close?(): Promise<void>;
}

export interface AlertRouteLike {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Full path, e.g. `/api/alerts/rules/:id`. */
  url: string;
  summary: string;
  /** For the API document only: the handler validates its own input and answers 4xx for bad input. */
  schemas: { params?: z.ZodType; query?: z.ZodType; body?: z.ZodType };
  /** Set when the route sends something out (a channel test-send): it needs the operator role. */
  outbound?: string;
  handle(input: { params?: unknown; query?: unknown; body?: unknown; user?: string | null }): Promise<{ status: number; body: unknown }>;
}

/** A body that is not a JSON object is refused as malformed (400) before saying alerting is off (501). */
const notConfigured = async (input: { body?: unknown }) =>
  input.body !== undefined && (input.body === null || typeof input.body !== 'object' || Array.isArray(input.body))
    ? { status: 400, body: { error: 'the body must be a JSON object' } }
    : { status: 501, body: { error: 'alerting is not configured in this server' } };

/** The stub used until the alert service is wired: empty lists, and 501 for anything that changes. */
export const noAlerts: AlertsHook = {
  onRunEvent: () => {},
  routes: () => [
    { method: 'GET', url: '/api/alerts/meta', summary: 'Alert rule and channel types', schemas: {}, handle: async () => ({ status: 200, body: { configured: false, ruleTypes: [], channelTypes: [] } }) },
    { method: 'GET', url: '/api/alerts/rules', summary: 'List alert rules', schemas: {}, handle: async () => ({ status: 200, body: [] }) },
    { method: 'POST', url: '/api/alerts/rules', summary: 'Create an alert rule', schemas: {}, handle: notConfigured },
    { method: 'DELETE', url: '/api/alerts/rules/:id', summary: 'Delete an alert rule', schemas: {}, handle: notConfigured },
    { method: 'GET', url: '/api/alerts/channels', summary: 'List alert channels (secrets masked)', schemas: {}, handle: async () => ({ status: 200, body: [] }) },
    { method: 'POST', url: '/api/alerts/channels', summary: 'Create an alert channel', schemas: {}, handle: notConfigured },
    { method: 'DELETE', url: '/api/alerts/channels/:id', summary: 'Delete an alert channel', schemas: {}, handle: notConfigured },
    { method: 'POST', url: '/api/alerts/channels/:id/test', summary: 'Send a test message', schemas: {}, outbound: 'sends a message through the channel', handle: notConfigured },
    { method: 'GET', url: '/api/alerts/history', summary: 'Alert history, newest first', schemas: {}, handle: async () => ({ status: 200, body: [] }) },
  ],
};
