import type { Logger } from 'pino';
import type { DestinationStream } from 'pino';
import type { ApiCallEvent, PlatformContext } from '../core/contracts/platform.ts';
import type { StateStore } from '../core/contracts/state-store.ts';
import { AccountLimiters } from '../core/policy/account-limiters.ts';
import { pausesOnly, type RateLimiter } from '../core/policy/rate-limiter.ts';
import { makeRedactor } from '../core/redact.ts';
import type { Scheme } from '../core/scheme/scheme.ts';
import type { CompiledScheme } from '../engine/compiled-scheme.ts';
import { compileScheme } from '../engine/compile-scheme.ts';
import type { EventSink, RunEvent } from '../engine/events.ts';
import type { EngineDeps } from '../engine/run-scheme.ts';
import { requireConnection, type ResolvedConnection } from './connections.ts';
import { createLogger, loggerOn } from './logger.ts';
import { schemePlatforms } from './platforms.ts';
import { formatProblem } from './scheme-file.ts';
import { UserError } from './user-error.ts';

export interface OpenedRun {
  cs: CompiledScheme;
  deps: EngineDeps;
  logger: Logger;
  close(): Promise<void>;
}

/**
 * The composition root of one run: compiles the scheme, opens the source and target sessions on their
 * connections, builds the rate limiters (one per vendor account, shared with the other runs of the process when
 * `limiters` is passed, plus the scheme's own; a permit per HTTP request), and logs every event and vendor call (secrets redacted).
 */
export function openRun(
  scheme: Scheme,
  connections: Map<string, ResolvedConnection>,
  store: StateStore,
  o: {
    logFile: string;
    logStream?: DestinationStream;
    logLevel?: string;
    onEvent?: EventSink;
    signal?: AbortSignal;
    fetch?: typeof fetch;
    /** The process's per-account limiters (`ferry serve` shares one across runs); default: a fresh set for this run. */
    limiters?: AccountLimiters;
    /** Builds a connection's limiter instead of `limiters` (the scaled-out worker shares them through Redis). */
    limiterFor?: (conn: ResolvedConnection, schemeRate: { perSecond: number; burst?: number | undefined } | undefined) => RateLimiter;
  },
): OpenedRun {
  const src = requireConnection(connections, scheme.source.connection, 'source', scheme.name);
  const tgt = requireConnection(connections, scheme.target.connection, 'target', scheme.name);
  const compiled = compileScheme(scheme, schemePlatforms(scheme, connections).platforms);
  if (!compiled.ok) throw new UserError(`scheme "${scheme.name}" is not valid; nothing was run:\n${compiled.problems.map((p) => `  ${formatProblem(p)}`).join('\n')}`);
  if (!src.profile.openSource) throw new UserError(`connection "${src.name}" (${src.profile.name}) cannot be read from`);
  if (!tgt.profile.openTarget) throw new UserError(`connection "${tgt.name}" (${tgt.profile.name}) cannot be written to`);

  const redact = makeRedactor([...src.secrets, ...tgt.secrets]);
  const logger = (o.logStream ? loggerOn(o.logStream, o.logLevel ?? 'info', redact) : createLogger(o.logFile, o.logLevel ?? 'info', redact)).child({ scheme: scheme.name });
  let runId = '';
  const onEvent: EventSink = (e: RunEvent) => {
    if ('runId' in e) runId = e.runId;
    logEvent(logger, e);
    o.onEvent?.(e);
  };
  const limiters = o.limiters ?? new AccountLimiters();
  const limiterFor = o.limiterFor ?? ((conn, rate) => limiters.forRun(conn.profile.name, conn.config, rate));
  const sourceLimiter = limiterFor(src, scheme.rateLimit.source);
  const targetLimiter = limiterFor(tgt, scheme.rateLimit.target);
  // The platform takes a permit before each HTTP request (one engine call may make several: a Kingdee log-in,
  // UnAudit, Submit, Audit, look-up chunks); the engine then takes none per call, only pauses on a vendor's wait.
  const ctx = (name: string, limiter: RateLimiter): PlatformContext => ({
    connection: name,
    fetch: o.fetch ?? globalThis.fetch,
    now: Date.now,
    timeoutMs: scheme.timeouts.callMs,
    onCall: (call: ApiCallEvent) => onEvent({ type: 'api.call', runId, call }),
    pace: (signal) => limiter.acquire(signal),
  });
  const source = src.profile.openSource(src.config, ctx(src.name, sourceLimiter));
  const target = tgt.profile.openTarget(tgt.config, ctx(tgt.name, targetLimiter));

  return {
    cs: compiled.compiled,
    logger,
    deps: {
      store,
      source,
      target,
      sourceLimiter: pausesOnly(sourceLimiter),
      targetLimiter: pausesOnly(targetLimiter),
      onEvent,
      ...(o.signal ? { signal: o.signal } : {}),
    },
    async close() {
      await source.close?.();
      await target.close?.();
      await new Promise<void>((r) => logger.flush(() => r()));
    },
  };
}

function logEvent(logger: Logger, e: RunEvent): void {
  switch (e.type) {
    case 'progress':
      return;
    case 'api.call':
      logger[e.call.ok ? 'info' : 'warn']({ event: 'api.call', runId: e.runId, ...e.call }, `${e.call.platform} ${e.call.api} ${e.call.ok ? 'ok' : 'failed'} in ${e.call.durationMs} ms`);
      return;
    case 'record.rejected':
      logger.warn({ event: e.type, runId: e.runId, ref: e.ref, stage: e.stage, error: e.error }, `record ${e.ref.sourceNumber ?? e.ref.sourceId} rejected: ${e.error.message}`);
      return;
    case 'retry':
      logger.warn({ event: e.type, runId: e.runId, what: e.what, attempt: e.attempt, delayMs: e.delayMs, error: e.error }, `retrying ${e.what}: ${e.error.message}`);
      return;
    case 'run.finished':
      logger[e.status === 'succeeded' ? 'info' : e.status === 'partial' ? 'warn' : 'error']({ event: e.type, ...e }, `run ${e.runId} ${e.status}${e.reason ? `: ${e.reason}` : ''}`);
      return;
    default:
      logger.info({ event: e.type, ...e }, e.type);
  }
}
