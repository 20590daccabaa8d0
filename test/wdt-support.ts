import type { ApiCallEvent, PlatformContext, ReadSpec, SourcePage, SourceSession } from '../src/core/contracts/platform.ts';
import type { FerryError } from '../src/core/errors.ts';
import type { JsonObject } from '../src/core/records.ts';
import type { WdtEmulator } from '../src/emulators/wdt/index.ts';
import type { WdtConnection } from '../src/platforms/wdt/index.ts';
import { isFerryFailure } from '../src/core/errors.ts';
import { wdtProfile } from '../src/platforms/wdt/index.ts';

/** Shared helpers of the WDT integration tests (test/wdt-*.test.ts). */

export function testContext(connection = 'wdt', overrides: Partial<PlatformContext> = {}): PlatformContext & { calls: ApiCallEvent[] } {
  const calls: ApiCallEvent[] = [];
  return { connection, fetch: globalThis.fetch, now: Date.now, timeoutMs: 10_000, onCall: (e) => calls.push(e), calls, ...overrides };
}

export function openapiConnection(emu: WdtEmulator, overrides: Record<string, unknown> = {}): WdtConnection {
  const a = emu.accounts[0]!;
  return wdtProfile.connectionSchema.parse({
    transport: 'openapi', baseUrl: emu.openapiUrl, sid: a.sid, appkey: a.appkey, appsecret: a.appsecret, rateLimitRetryMs: 1000, ...overrides,
  });
}

export function qimenConnection(emu: WdtEmulator, overrides: Record<string, unknown> = {}): WdtConnection {
  const q = emu.qimenApps[0]!;
  return wdtProfile.connectionSchema.parse({
    transport: 'qimen', baseUrl: emu.qimenUrl, sid: emu.accounts[0]!.sid, appKey: q.appKey, appSecret: q.appSecret,
    targetAppKey: emu.targetAppKey, rateLimitRetryMs: 1000, ...overrides,
  });
}

export function openSession(conn: WdtConnection, ctx: PlatformContext): SourceSession {
  return wdtProfile.openSource!(conn, ctx);
}

export function spec(api: string, pageSize: number, extra: Partial<ReadSpec> = {}): ReadSpec {
  return { api, method: 'POST', params: {}, pageSize, ...extra };
}

/** Drives first/fetchPage in a plain loop, as the simplest possible engine would (no retries). */
export async function readAll(session: SourceSession, s: ReadSpec, maxPages = 100_000): Promise<{ records: JsonObject[]; pages: SourcePage[] }> {
  const records: JsonObject[] = [];
  const pages: SourcePage[] = [];
  let cursor = session.first(s);
  for (let n = 0; n < maxPages; n++) {
    const page = await session.fetchPage(s, cursor, AbortSignal.timeout(30_000));
    pages.push(page);
    records.push(...page.records);
    if (!page.next) return { records, pages };
    cursor = page.next;
  }
  throw new Error(`read did not end within ${maxPages} pages`);
}

/** The FerryError a promise rejects with; fails the test when it resolves or rejects with something else. */
export async function failureOf(p: Promise<unknown> | (() => unknown)): Promise<FerryError> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (err) {
    if (isFerryFailure(err)) return err.error;
    throw new Error(`expected a FerryFailure, got ${String(err)}`, { cause: err });
  }
  throw new Error('expected a FerryFailure, but the call succeeded');
}
