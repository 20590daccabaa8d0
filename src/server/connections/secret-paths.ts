import type { PlatformProfile } from '../../core/contracts/platform.ts';

/**
 * Which fields of a connection config are secrets: the profile's `secretKeys` (dotted paths) plus, for any
 * `headers` object, the headers named like a credential (the http profile redacts those too).
 */
const SECRET_HEADER = /(auth|token|key|secret|password|signature|cookie|session)/i;

export const MASK = '***';

export function secretPaths(profile: PlatformProfile<unknown>, config: unknown): string[] {
  const out = new Set<string>();
  for (const k of profile.secretKeys) if (readDotted(config, k) !== undefined) out.add(k);
  const headers = readDotted(config, 'headers');
  if (headers && typeof headers === 'object') for (const h of Object.keys(headers)) if (SECRET_HEADER.test(h)) out.add(`headers.${h}`);
  return [...out];
}

/** Secret values (strings) of a config, for the redactor. */
export function secretValues(profile: PlatformProfile<unknown>, config: unknown): string[] {
  return secretPaths(profile, config)
    .map((p) => readDotted(config, p))
    .filter((v): v is string => typeof v === 'string' && v.length > 0);
}

/** A copy of the config with every secret replaced by `***`. */
export function maskConfig(profile: PlatformProfile<unknown>, config: unknown): unknown {
  const copy = structuredClone(config);
  for (const p of secretPaths(profile, config)) writeDotted(copy, p, MASK);
  return copy;
}

/**
 * An edited config keeps the stored secret wherever the client sent `***` (it only ever saw the mask) or
 * left a known secret field out entirely while keeping the rest of its block.
 */
export function keepSecrets(profile: PlatformProfile<unknown>, edited: unknown, stored: unknown): unknown {
  const out = structuredClone(edited);
  for (const p of secretPaths(profile, stored)) {
    const v = readDotted(out, p);
    if (v === MASK) writeDotted(out, p, readDotted(stored, p));
  }
  return out;
}

/** The stored secrets an edit keeps: the paths where the edited config sends the mask back. */
export function keptSecretPaths(profile: PlatformProfile<unknown>, edited: unknown, stored: unknown): string[] {
  return secretPaths(profile, stored).filter((p) => readDotted(edited, p) === MASK);
}

/** Whether any field of the edited config is still the mask (a secret the server does not have). */
export function maskedPaths(value: unknown, prefix = ''): string[] {
  if (value === MASK) return [prefix || '$'];
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => maskedPaths(v, prefix ? `${prefix}.${k}` : k));
}

export function readDotted(obj: unknown, path: string): unknown {
  let cur = obj;
  for (const part of path.split('.')) cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[part] : undefined;
  return cur;
}

function writeDotted(obj: unknown, path: string, value: unknown): void {
  const parts = path.split('.');
  let cur = obj as Record<string, unknown>;
  for (const part of parts.slice(0, -1)) {
    if (!cur[part] || typeof cur[part] !== 'object') return;
    cur = cur[part] as Record<string, unknown>;
  }
  cur[parts[parts.length - 1]!] = value;
}
