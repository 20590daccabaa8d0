import { readFileSync } from 'node:fs';
import type { PlatformProfile } from '../core/contracts/platform.ts';
import { closest } from '../core/suggest.ts';
import { formatPath } from '../core/scheme/problems.ts';
import { findPlatform, PLATFORMS } from './platforms.ts';
import { UserError } from './user-error.ts';

/**
 * A connections file names each connection a scheme refers to:
 *   { "wdt": { "platform": "wdt", "transport": "qimen", "sid": "…", "appSecret": "${WDT_SECRET}" }, … }
 * `${NAME}` is replaced by the environment variable NAME, so secrets need not sit in the file.
 */
export interface ResolvedConnection {
  name: string;
  profile: PlatformProfile<unknown>;
  config: unknown;
  /** Secret values of this connection, for redaction. */
  secrets: string[];
}

export function parseConnections(doc: unknown, origin: string, env: NodeJS.ProcessEnv = process.env): Map<string, ResolvedConnection> {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new UserError(`${origin}: must be a JSON object of named connections`);
  const out = new Map<string, ResolvedConnection>();
  const problems: string[] = [];
  for (const [name, raw] of Object.entries(doc as Record<string, unknown>)) {
    if (name === '$schema') continue;
    if (!raw || typeof raw !== 'object') {
      problems.push(`$.${name}: must be an object with a "platform" key`);
      continue;
    }
    const { platform, ...rest } = raw as Record<string, unknown>;
    const profile = typeof platform === 'string' ? findPlatform(platform) : undefined;
    if (!profile) {
      const names = PLATFORMS.map((p) => p.name);
      const near = typeof platform === 'string' ? closest(platform, names) : undefined;
      problems.push(`$.${name}.platform: ${platform === undefined ? 'is required' : `unknown platform "${String(platform)}"`} (known: ${names.join(', ')})${near ? ` — did you mean "${near}"?` : ''}`);
      continue;
    }
    const expanded = expandEnv(rest, env, `$.${name}`, problems);
    const parsed = profile.connectionSchema.safeParse(expanded);
    if (!parsed.success) {
      for (const i of parsed.error.issues) problems.push(`${formatPath([name, ...i.path])}: ${i.message}`);
      continue;
    }
    const secrets = profile.secretKeys.map((k) => readDotted(parsed.data, k)).filter((v): v is string => typeof v === 'string');
    out.set(name, { name, profile, config: parsed.data, secrets });
  }
  if (problems.length) throw new UserError(`connections in ${origin} are not valid:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  return out;
}

export function loadConnectionsFile(file: string): Map<string, ResolvedConnection> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new UserError(`connections file not found: ${file} (pass --connections <file>; the README's "Using it on your own systems" shows one; docs/connectors/ lists every key per platform)`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new UserError(`connections file ${file} is not valid JSON: ${(e as Error).message}`);
  }
  return parseConnections(doc, file);
}

function expandEnv(v: unknown, env: NodeJS.ProcessEnv, path: string, problems: string[]): unknown {
  if (typeof v === 'string')
    return v.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => {
      const val = env[name];
      if (val === undefined) problems.push(`${path}: environment variable ${name} is not set`);
      return val ?? '';
    });
  if (Array.isArray(v)) return v.map((x, i) => expandEnv(x, env, `${path}[${i}]`, problems));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, expandEnv(x, env, `${path}.${k}`, problems)]));
  return v;
}

export function requireConnection(all: Map<string, ResolvedConnection>, name: string, side: 'source' | 'target', scheme: string): ResolvedConnection {
  const c = all.get(name);
  if (c) return c;
  const near = closest(name, [...all.keys()]);
  throw new UserError(
    `scheme "${scheme}" reads its ${side} through connection "${name}", which the connections file does not define` +
      (all.size ? ` (defined: ${[...all.keys()].join(', ')})${near ? ` — did you mean "${near}"?` : ''}` : ''),
  );
}

/** Secret keys may be dotted paths into nested settings (`auth.token`). */
function readDotted(obj: unknown, path: string): unknown {
  let cur = obj;
  for (const part of path.split('.')) cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[part] : undefined;
  return cur;
}
