import type { PlatformProfile } from '../../core/contracts/platform.ts';
import type { ServerStore, StoredConnection } from '../../core/contracts/server-store.ts';
import { formatPath } from '../../core/scheme/problems.ts';
import type { ResolvedConnection } from '../../cli/connections.ts';
import { findPlatform, PLATFORMS } from '../../cli/platforms.ts';
import { badRequest, HttpError, notFound } from '../http/errors.ts';
import { changedDestinations } from './destination.ts';
import { seal, unseal } from '../../core/seal.ts';
import { keepSecrets, keptSecretPaths, maskConfig, maskedPaths, secretPaths, secretValues } from './secret-paths.ts';

/** A connection as the API shows it: secrets masked (`***`), and which secrets are set. */
export interface ConnectionView {
  name: string;
  platform: string;
  description: string | null;
  config: unknown;
  secrets: Record<string, 'set'>;
  /** Set when the stored credentials cannot be opened (the server key changed): enter them again. */
  problem?: string;
  createdAt: number;
  updatedAt: number;
}

export interface ConnectionInput {
  platform: string;
  config: Record<string, unknown>;
  description?: string | null;
}

/**
 * Connections of the server: validated with the platform's schema, sealed with the server key before they
 * reach the store, masked in every answer. Server connections never expand `${ENV}` references — a console
 * user must not be able to read the server's environment through a URL field.
 */
export class ConnectionService {
  private secretsCache: string[] | undefined;

  constructor(
    private readonly store: ServerStore,
    private readonly key: Buffer,
    private readonly now: () => number = Date.now,
    /** Told after every change (the server rebuilds its redactor). */
    private readonly onChange: () => void | Promise<void> = () => {},
  ) {}

  async list(): Promise<ConnectionView[]> {
    const rows = await this.store.listConnections();
    return rows.map((r) => this.view(r, this.tryOpen(r)));
  }

  async get(name: string): Promise<ConnectionView> {
    const row = await this.store.getConnection(name);
    if (!row) throw notFound(`connection "${name}"`);
    return this.view(row, this.tryOpen(row));
  }

  async put(name: string, input: ConnectionInput): Promise<ConnectionView> {
    const profile = platformOf(input.platform);
    const old = await this.store.getConnection(name);
    let config: unknown = input.config;
    const oldConfig = old ? this.tryOpen(old) : undefined;
    let kept: string[] = [];
    if (old && old.platform === profile.name && oldConfig !== undefined) {
      kept = keptSecretPaths(profile, config, oldConfig);
      config = keepSecrets(profile, config, oldConfig);
    }
    const stillMasked = maskedPaths(config);
    if (stillMasked.length) throw badRequest(`connection "${name}": ${stillMasked.join(', ')} must be given (the stored value cannot be kept: ${old ? 'the platform changed' : 'the connection is new'})`);
    const parsed = profile.connectionSchema.safeParse(config);
    if (!parsed.success)
      throw badRequest(`connection "${name}" is not valid for platform ${profile.name}`, parsed.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message })));
    if (kept.length) this.checkSameDestination(name, profile, oldConfig, parsed.data, kept);
    const at = this.now();
    const row: StoredConnection = {
      name,
      platform: profile.name,
      description: input.description ?? null,
      sealed: seal(this.key, JSON.stringify(config), name),
      createdAt: old?.createdAt ?? at,
      updatedAt: at,
    };
    await this.store.putConnection(row);
    this.secretsCache = undefined;
    await this.onChange();
    return this.view(row, config);
  }

  /**
   * A stored secret is bound to where it was entered for: an edit that keeps one (sends `***` back) while
   * changing where it would be sent (base URL, token URL, TLS settings, …) is refused — the secret must be
   * typed again, so nobody who can edit a connection can make the server send it to a host of their choosing.
   */
  private checkSameDestination(name: string, profile: PlatformProfile<unknown>, stored: unknown, next: unknown, kept: string[]): void {
    const before = profile.connectionSchema.safeParse(stored);
    const changed = changedDestinations(profile, before.success ? before.data : stored, next);
    if (!changed.length) return;
    throw new HttpError(
      400,
      `connection "${name}": ${changed.join(', ')} changed, so the stored secret${kept.length > 1 ? 's' : ''} ${kept.join(', ')} cannot be kept — enter ${kept.length > 1 ? 'them' : 'it'} again (a stored secret is only sent where it was entered for)`,
      { changed, secrets: kept },
      'secrets_must_be_reentered',
    );
  }

  async delete(name: string): Promise<void> {
    if (!(await this.store.getConnection(name))) throw notFound(`connection "${name}"`);
    await this.store.deleteConnection(name);
    this.secretsCache = undefined;
    await this.onChange();
  }

  /** The connections a run needs, parsed with their platform schemas (defaults applied). */
  async resolveAll(): Promise<Map<string, ResolvedConnection>> {
    const out = new Map<string, ResolvedConnection>();
    for (const row of await this.store.listConnections()) {
      const profile = findPlatform(row.platform);
      if (!profile) continue;
      const raw = this.tryOpen(row);
      if (raw === undefined) continue;
      const parsed = profile.connectionSchema.safeParse(raw);
      if (!parsed.success) continue;
      out.set(row.name, { name: row.name, profile, config: parsed.data, secrets: secretValues(profile, parsed.data) });
    }
    return out;
  }

  async resolve(name: string): Promise<ResolvedConnection> {
    const row = await this.store.getConnection(name);
    if (!row) throw notFound(`connection "${name}"`);
    const profile = platformOf(row.platform);
    const raw = this.tryOpen(row);
    if (raw === undefined) throw badRequest(`the credentials of connection "${name}" cannot be opened with this server's key (FERRY_SECRET_KEY or secret.key changed); enter them again`);
    const parsed = profile.connectionSchema.safeParse(raw);
    if (!parsed.success) throw badRequest(`connection "${name}" is no longer valid for platform ${profile.name}; edit it`);
    return { name, profile, config: parsed.data, secrets: secretValues(profile, parsed.data) };
  }

  /** Every secret value of every connection (for the server-wide redactor); cached until a change. */
  async allSecrets(): Promise<string[]> {
    if (!this.secretsCache) {
      const out: string[] = [];
      for (const row of await this.store.listConnections()) {
        const profile = findPlatform(row.platform);
        const raw = this.tryOpen(row);
        if (profile && raw !== undefined) out.push(...secretValues(profile, raw));
      }
      this.secretsCache = out;
    }
    return this.secretsCache;
  }

  /** The stored config, or undefined when it cannot be opened with this key. */
  private tryOpen(row: StoredConnection): unknown {
    try {
      return JSON.parse(unseal(this.key, row.sealed, row.name));
    } catch {
      return undefined;
    }
  }

  private view(row: StoredConnection, config: unknown): ConnectionView {
    const profile = findPlatform(row.platform);
    const paths = profile && config !== undefined ? secretPaths(profile, config) : [];
    return {
      name: row.name,
      platform: row.platform,
      description: row.description,
      config: profile && config !== undefined ? maskConfig(profile, config) : {},
      secrets: Object.fromEntries(paths.map((p) => [p, 'set' as const])),
      ...(config === undefined ? { problem: 'the stored credentials cannot be opened with this server\'s key (FERRY_SECRET_KEY or secret.key changed); enter them again' } : {}),
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
    };
  }
}

export function platformOf(name: string): PlatformProfile<unknown> {
  const p = findPlatform(name);
  if (!p) throw badRequest(`unknown platform "${name}" (known: ${PLATFORMS.map((x) => x.name).join(', ')})`);
  return p;
}
