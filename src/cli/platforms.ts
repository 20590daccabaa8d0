import type { PlatformProfile } from '../core/contracts/platform.ts';
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
