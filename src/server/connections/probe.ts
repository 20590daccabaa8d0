import type { ApiCallEvent, PlatformContext, ReadSpec, WriteSpec } from '../../core/contracts/platform.ts';
import { toFerryError } from '../../core/errors.ts';
import { makeRedactor } from '../../core/redact.ts';
import type { ResolvedConnection } from '../../cli/connections.ts';

export interface ProbeRequest {
  /** Which side to try; default: source when the platform can be read, else target. */
  side?: 'source' | 'target';
  /** API to call: a source API (`wdt.shop.query`, a path for http) or, for a target, the form (`BD_Customer`). */
  api?: string;
}

export interface ProbeResult {
  ok: boolean;
  side: 'source' | 'target';
  api: string;
  message: string;
  durationMs: number;
  /** The vendor's code and words when the call failed. */
  remote?: { status?: number; code?: string; detail?: string };
  calls: ApiCallEvent[];
}

/** The cheapest call per platform that proves the credentials work. */
const DEFAULTS: Record<string, { source?: string; target?: string }> = {
  wdt: { source: 'wdt.shop.query' },
  kingdee: { target: 'BD_Customer', source: 'BD_Customer' },
};

/**
 * "Test connection": open a session and do one cheap call — the first page of one record for a source, a
 * look-up of a number that does not exist for a target — and report the vendor's own message on failure.
 * Everything returned passes through the connection's redactor.
 */
export async function probeConnection(c: ResolvedConnection, req: ProbeRequest, o: { fetch?: typeof fetch; timeoutMs?: number } = {}): Promise<ProbeResult> {
  // Default: the target side when the platform is usually written to (Kingdee), else the source side.
  const side = req.side ?? (c.profile.openTarget && DEFAULTS[c.profile.name]?.target ? 'target' : c.profile.openSource ? 'source' : 'target');
  const api = req.api ?? DEFAULTS[c.profile.name]?.[side];
  const redact = makeRedactor(c.secrets);
  const calls: ApiCallEvent[] = [];
  const started = Date.now();
  const base = { side, api: api ?? '', calls };
  if (!api) return { ...base, ok: false, durationMs: 0, message: `give the ${side} API to try (platform ${c.profile.name} has no default)` };
  const ctx: PlatformContext = {
    connection: c.name,
    fetch: o.fetch ?? globalThis.fetch,
    now: Date.now,
    timeoutMs: o.timeoutMs ?? 15_000,
    onCall: (e) => calls.push({ ...e, ...(e.message ? { message: redact(e.message) } : {}) }),
  };
  const signal = AbortSignal.timeout((o.timeoutMs ?? 15_000) + 1000);
  try {
    let message: string;
    if (side === 'source') {
      if (!c.profile.openSource) return { ...base, ok: false, durationMs: 0, message: `platform ${c.profile.name} cannot be read from` };
      const session = c.profile.openSource(c.config, ctx);
      try {
        const spec: ReadSpec = { api, method: 'POST', params: {}, pageSize: 1, ...(c.profile.name === 'kingdee' ? { extra: { FieldKeys: 'FNumber' } } : {}) };
        const page = await session.fetchPage(spec, session.first(spec), signal);
        message = `read ${page.records.length} record(s)${page.totalCount !== undefined ? ` of ${page.totalCount}` : ''} from ${api}`;
      } finally {
        await session.close?.();
      }
    } else {
      if (!c.profile.openTarget) return { ...base, ok: false, durationMs: 0, message: `platform ${c.profile.name} cannot be written to` };
      const session = c.profile.openTarget(c.config, ctx);
      try {
        const spec: WriteSpec = { api: 'batchSave', method: 'POST', params: { FormId: api }, numberField: 'FNumber' };
        if (!session.lookup) message = `${c.profile.name} target opened (it has no look-up to try without writing)`;
        else {
          const found = await session.lookup(spec, ['__ferry_probe__'], signal);
          message = `looked up a test number in ${api}: ${found.size} found`;
        }
      } finally {
        await session.close?.();
      }
    }
    return { ...base, ok: true, durationMs: Date.now() - started, message: redact(message) };
  } catch (err) {
    const e = toFerryError(err);
    const remote = e.remote
      ? {
          ...(e.remote.status !== undefined ? { status: e.remote.status } : {}),
          ...(e.remote.code !== undefined ? { code: redact(e.remote.code) } : {}),
          ...(e.remote.detail !== undefined ? { detail: redact(e.remote.detail) } : {}),
        }
      : undefined;
    return { ...base, ok: false, durationMs: Date.now() - started, message: redact(e.message), ...(remote ? { remote } : {}) };
  }
}
