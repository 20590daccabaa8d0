import { decodeSecretKey, seal, unseal } from '../core/seal.ts';
import type { ResolvedConnection } from '../cli/connections.ts';
import { findPlatform } from '../cli/platforms.ts';

/**
 * Connections carried by a run's jobs (`ferry serve --redis --postgres`): the server keeps its connections
 * sealed in its own database, which workers cannot read, so each job carries the connections its scheme uses,
 * every config SEALED with the server key (AES-256-GCM). Redis never holds a plain secret; a worker started
 * with the same FERRY_SECRET_KEY opens them. The associated data binds a sealed config to its connection name
 * and platform, so a blob moved to another entry does not open.
 */
export interface SealedJobConnection {
  name: string;
  platform: string;
  /** `v1.<iv>.<tag>.<ciphertext>` of the config JSON (see core/seal.ts). */
  sealed: string;
}

const aad = (name: string, platform: string) => `ferry-job-connection:${platform}:${name}`;

/** Seals the given connections for a job (only the ones the scheme uses should be passed). */
export function sealJobConnections(key: Buffer, connections: Iterable<ResolvedConnection>): SealedJobConnection[] {
  return [...connections].map((c) => ({ name: c.name, platform: c.profile.name, sealed: seal(key, JSON.stringify(c.config), aad(c.name, c.profile.name)) }));
}

/**
 * Opens a job's connections. The configs are parsed with their platform schemas but — like the server's own
 * connections — never expanded for `${ENV}` references: a console user must not reach a worker's environment.
 */
export function unsealJobConnections(key: Buffer, sealed: SealedJobConnection[]): Map<string, ResolvedConnection> {
  const out = new Map<string, ResolvedConnection>();
  for (const s of sealed) {
    const profile = findPlatform(s.platform);
    if (!profile) throw new Error(`connection "${s.name}" of this job uses platform "${s.platform}", which this worker does not know (update ferry on the worker)`);
    const raw: unknown = JSON.parse(unseal(key, s.sealed, aad(s.name, s.platform)));
    const parsed = profile.connectionSchema.safeParse(raw);
    if (!parsed.success) throw new Error(`connection "${s.name}" of this job is not valid for platform ${s.platform} on this worker (different ferry versions?)`);
    const secrets = profile.secretKeys.map((k) => readDotted(parsed.data, k)).filter((v): v is string => typeof v === 'string');
    out.set(s.name, { name: s.name, profile, config: parsed.data, secrets });
  }
  return out;
}

/** The job-opening key of a worker: FERRY_SECRET_KEY, the same key as the server's. */
export function jobKeyFromEnv(env: NodeJS.ProcessEnv = process.env): Buffer | undefined {
  const text = env.FERRY_SECRET_KEY;
  return text ? decodeSecretKey(text, 'FERRY_SECRET_KEY') : undefined;
}

/** Secret keys may be dotted paths into nested settings (`auth.token`). */
function readDotted(obj: unknown, path: string): unknown {
  let cur = obj;
  for (const part of path.split('.')) cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[part] : undefined;
  return cur;
}
