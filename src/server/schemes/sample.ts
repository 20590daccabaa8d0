import type { JsonObject } from '../../core/records.ts';
import { toFerryError } from '../../core/errors.ts';
import { makeRedactor } from '../../core/redact.ts';
import type { ResolvedConnection } from '../../cli/connections.ts';
import type { CompiledScheme } from '../../engine/compiled-scheme.ts';
import { badRequest } from '../http/errors.ts';

/**
 * A few live records from the scheme's source (the first page, `count` records) for the mapping preview.
 * Nothing is written and no checkpoint moves.
 */
export async function fetchSample(cs: CompiledScheme, conn: ResolvedConnection, count: number, fetchImpl?: typeof fetch): Promise<JsonObject[]> {
  if (!conn.profile.openSource) throw badRequest(`connection "${conn.name}" cannot be read from`);
  const session = conn.profile.openSource(conn.config, { connection: conn.name, fetch: fetchImpl ?? globalThis.fetch, now: Date.now, timeoutMs: cs.scheme.timeouts.callMs });
  const spec = { ...cs.readSpec, pageSize: Math.min(count, cs.readSpec.pageSize) };
  try {
    const page = await session.fetchPage(spec, session.first(spec), AbortSignal.timeout(cs.scheme.timeouts.callMs + 1000));
    return page.records.slice(0, count);
  } catch (err) {
    throw badRequest(`could not read sample records from ${cs.scheme.source.api}: ${makeRedactor(conn.secrets)(toFerryError(err).message)}`);
  } finally {
    await session.close?.();
  }
}
