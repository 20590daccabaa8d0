import type { z } from 'zod';
import { AlertInputError, HistoryQuerySchema, IdParams, IncidentQuerySchema, SilenceInput, TestSendBody, parseInput } from './api-schemas.ts';
import { AlertChannelInput } from './channel-schema.ts';
import { AlertRuleInput } from './rule-schema.ts';
import type { AlertService } from './service.ts';

/**
 * The alert endpoints as a framework-neutral table. The server mounts each entry behind its auth
 * (every one needs a session or token) in a few lines, e.g. with fastify:
 *
 *   for (const r of alertRoutes(alerts)) app.route({ method: r.method, url: r.url, handler: async (req, reply) => {
 *     const res = await r.handle({ params: req.params, query: req.query, body: req.body, user: req.user?.name ?? null });
 *     return reply.code(res.status).send(res.body);
 *   } });
 *
 * Handlers validate their own input and answer 400/404/409 with `{error, issues?}` — never a 500 for a
 * bad request. `schemas` names the zod schemas for the OpenAPI document.
 */
export interface AlertRouteInput {
  params?: unknown;
  query?: unknown;
  body?: unknown;
  /** Who is calling (recorded on silences). */
  user?: string | null;
}

export interface AlertRouteResult {
  status: number;
  body: unknown;
}

export interface AlertRoute {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  summary: string;
  schemas: { params?: z.ZodType; query?: z.ZodType; body?: z.ZodType };
  /** Set on routes that send a message out through a channel. */
  outbound?: string;
  handle(input: AlertRouteInput): Promise<AlertRouteResult>;
}

const outbound = (r: AlertRoute): AlertRoute => ({ ...r, outbound: 'sends a message through the channel (with its stored secrets)' });

function id(input: AlertRouteInput): string {
  return parseInput(IdParams, 'path', input.params).id;
}

export function alertRoutes(service: AlertService, prefix = '/api/alerts'): AlertRoute[] {
  const c = service.config;
  const route = (
    method: AlertRoute['method'],
    path: string,
    summary: string,
    schemas: AlertRoute['schemas'],
    run: (input: AlertRouteInput) => Promise<unknown> | unknown,
    okStatus = 200,
  ): AlertRoute => ({
    method,
    url: `${prefix}${path}`,
    summary,
    schemas,
    async handle(input) {
      try {
        const body = await run(input);
        return { status: body === undefined ? 204 : okStatus, body: body ?? null };
      } catch (e) {
        if (e instanceof AlertInputError) return { status: e.status, body: { error: e.message, ...(e.code ? { code: e.code } : {}), ...(e.issues ? { issues: e.issues } : {}) } };
        throw e;
      }
    },
  });

  return [
    route('GET', '/meta', 'Rule and channel types with their JSON Schemas and secret keys', {}, () => c.describe()),

    route('GET', '/rules', 'List alert rules', {}, () => c.listRules()),
    route('POST', '/rules', 'Create an alert rule', { body: AlertRuleInput }, (i) => c.createRule(i.body), 201),
    route('GET', '/rules/:id', 'One alert rule', { params: IdParams }, (i) => c.getRule(id(i))),
    route('PUT', '/rules/:id', 'Replace an alert rule', { params: IdParams, body: AlertRuleInput }, (i) => c.updateRule(id(i), i.body)),
    route('DELETE', '/rules/:id', 'Delete an alert rule', { params: IdParams }, async (i) => void (await c.deleteRule(id(i)))),

    route('GET', '/channels', 'List channels (secrets masked as "***")', {}, () => c.listChannels()),
    route('POST', '/channels', 'Create a channel', { body: AlertChannelInput }, (i) => c.createChannel(i.body), 201),
    outbound(route('POST', '/channels/test', 'Test-send an unsaved channel (one attempt)', { body: AlertChannelInput }, (i) => c.testChannelInput(i.body))),
    route('GET', '/channels/:id', 'One channel (secrets masked)', { params: IdParams }, (i) => c.getChannel(id(i))),
    route('PUT', '/channels/:id', 'Replace a channel; secrets omitted or "***" are kept, null removes an optional one', { params: IdParams, body: AlertChannelInput }, (i) =>
      c.updateChannel(id(i), i.body),
    ),
    route('DELETE', '/channels/:id', 'Delete a channel (409 while a rule uses it)', { params: IdParams }, async (i) => void (await c.deleteChannel(id(i)))),
    outbound(
      route('POST', '/channels/:id/test', 'Send a test message now (one attempt); recorded in history', { params: IdParams, body: TestSendBody }, (i) =>
        c.testChannel(id(i), i.body ?? {}),
      ),
    ),

    route('GET', '/history', 'Alert history, newest first', { query: HistoryQuerySchema }, (i) => c.listHistory(i.query ?? {})),
    route('GET', '/incidents', 'De-duplication state (open = condition still holds)', { query: IncidentQuerySchema }, (i) => c.listIncidents(i.query ?? {})),

    route('GET', '/silences', 'Operator silences', {}, () => c.listSilences()),
    route('POST', '/silences', 'Silence a rule and/or scheme for a while', { body: SilenceInput }, (i) => c.createSilence(i.body, i.user ?? null), 201),
    route('DELETE', '/silences/:id', 'End a silence', { params: IdParams }, async (i) => void (await c.deleteSilence(id(i)))),
  ];
}
