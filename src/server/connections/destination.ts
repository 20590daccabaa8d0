import type { PlatformProfile } from '../../core/contracts/platform.ts';
import { readDotted } from './secret-paths.ts';

/**
 * What decides where a connection's secrets are sent: the profile's `destinationKeys` (dotted paths) plus,
 * whatever the platform, every field named like an address (`…url`, `…host`, `…endpoint`, `…proxy`) and any
 * `tls` block (a new CA or `rejectUnauthorized: false` lets another server answer for the same host).
 */
const ADDRESS_KEY = /(url|uri|host|endpoint|proxy)$/i;

export function destinationPaths(profile: PlatformProfile<unknown>, config: unknown): string[] {
  const out = new Set<string>(profile.destinationKeys ?? []);
  const walk = (v: unknown, prefix: string, depth: number) => {
    if (!v || typeof v !== 'object' || Array.isArray(v) || depth > 4) return;
    for (const [k, x] of Object.entries(v)) {
      const path = prefix ? `${prefix}.${k}` : k;
      if (k === 'tls' || ADDRESS_KEY.test(k)) out.add(path);
      else if (k !== 'headers') walk(x, path, depth + 1);
    }
  };
  walk(config, '', 0);
  return [...out].sort();
}

/**
 * The destination fields that differ between two configs (both as the platform parsed them, defaults
 * applied): a secret kept from `before` must not travel to where `after` points.
 */
export function changedDestinations(profile: PlatformProfile<unknown>, before: unknown, after: unknown): string[] {
  const paths = new Set([...destinationPaths(profile, before), ...destinationPaths(profile, after)]);
  return [...paths].filter((p) => JSON.stringify(readDotted(before, p) ?? null) !== JSON.stringify(readDotted(after, p) ?? null)).sort();
}
