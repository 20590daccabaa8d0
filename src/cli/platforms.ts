import type { PlatformProfile } from '../core/contracts/platform.ts';
import type { SchemeProblem } from '../core/scheme/problems.ts';
import type { Scheme } from '../core/scheme/scheme.ts';
import type { SchemePlatforms } from '../engine/compile-scheme.ts';
import { wdtProfile } from '../platforms/wdt/index.ts';
import { kingdeeProfile } from '../platforms/kingdee/index.ts';
import { httpProfile } from '../platforms/http/index.ts';

/** The platform profiles this ferry knows, listed explicitly (nothing registers itself on import). */
export const PLATFORMS: readonly PlatformProfile<unknown>[] = [
  wdtProfile as PlatformProfile<unknown>,
  kingdeeProfile as PlatformProfile<unknown>,
  httpProfile as PlatformProfile<unknown>,
];

export function findPlatform(name: string): PlatformProfile<unknown> | undefined {
  return PLATFORMS.find((p) => p.name === name.toLowerCase());
}

/**
 * The platform a scheme's side uses: the connection's, when the connections are known (`ferry run`, the
 * server); else one the names make plain — a connection named after a platform (`wdt`, `kingdee`, `http`),
 * or a WDT API name (`wdt.shop.query`) on the source.
 */
export function platformOf(
  side: 'source' | 'target',
  connection: string,
  api: string,
  known?: (connection: string) => string | undefined,
): PlatformProfile<unknown> | undefined {
  const named = known?.(connection);
  if (named !== undefined) return findPlatform(named);
  const byName = findPlatform(connection);
  if (byName) return byName;
  if (side === 'source' && /^(hu3cgwt0tc\.)?wdt\.[a-z0-9_.]+$/.test(api.trim())) return wdtProfile as PlatformProfile<unknown>;
  return undefined;
}

/** The option schemas to check a scheme with, and a warning for each side whose platform is not known. */
export function schemePlatforms(
  scheme: Scheme,
  connections?: ReadonlyMap<string, { profile: PlatformProfile<unknown> }>,
): { platforms: SchemePlatforms; warnings: SchemeProblem[] } {
  const known = connections ? (name: string) => connections.get(name)?.profile.name : undefined;
  const platforms: SchemePlatforms = {};
  const warnings: SchemeProblem[] = [];
  for (const side of ['source', 'target'] as const) {
    const p = platformOf(side, scheme[side].connection, scheme[side].api, known);
    if (!p) {
      warnings.push({
        path: `$.${side}.connection`,
        message: `the platform of connection "${scheme[side].connection}" is not known here, so its ${side} options were not checked`,
        suggestion: 'give the connections file (--connections) to check them',
      });
      continue;
    }
    if (side === 'source') platforms.source = { name: p.name, ...(p.readOptions ? { readOptions: p.readOptions } : {}) };
    else platforms.target = { name: p.name, ...(p.writeOptions ? { writeOptions: p.writeOptions } : {}) };
  }
  return { platforms, warnings };
}
