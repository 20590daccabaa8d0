import type { ServerStore, StoredScheme } from '../../core/contracts/server-store.ts';
import { parseScheme } from '../../core/scheme/load.ts';
import type { SchemeProblem } from '../../core/scheme/problems.ts';
import type { Scheme } from '../../core/scheme/scheme.ts';
import { replacementCharProblem } from '../../core/scheme/utf8.ts';
import { findPlatform, schemePlatforms } from '../../cli/platforms.ts';
import { compileScheme } from '../../engine/compile-scheme.ts';
import type { CompiledScheme } from '../../engine/compiled-scheme.ts';
import { badRequest, conflict, notFound } from '../http/errors.ts';

export interface CheckedScheme {
  ok: boolean;
  /** Errors that stop the scheme from running: JSON syntax, schema, semantics, mapping compilation. */
  problems: SchemeProblem[];
  /** Things to fix before a run that the document itself cannot know (e.g. a connection not defined yet). */
  warnings: SchemeProblem[];
  scheme?: Scheme;
  compiled?: CompiledScheme;
}

export interface SchemeSummary {
  name: string;
  description: string | null;
  enabled: boolean;
  version: number;
  updatedAt: number;
  valid: boolean;
  source: { connection: string; api: string } | null;
  target: { connection: string; api: string } | null;
  schedule: string | null;
}

/** Schemes of the server: stored as the text the user wrote, checked on every save, compiled to run. */
export class SchemeService {
  constructor(
    private readonly store: ServerStore,
    /** The stored connections' names and platforms (the scheme's platform options are checked against them). */
    private readonly connectionList: () => Promise<{ name: string; platform: string }[]>,
    private readonly now: () => number = Date.now,
  ) {}

  /** `checkScheme` + `compileScheme`, with JSON paths; never throws for a bad document. */
  async check(text: string): Promise<CheckedScheme> {
    const garbled = replacementCharProblem(text);
    if (garbled) return { ok: false, problems: [garbled], warnings: [] };
    const r = parseScheme(text);
    if (!r.ok) return { ok: false, problems: r.problems, warnings: [] };
    const stored = await this.connectionList();
    const byName = new Map(stored.flatMap((c) => {
      const profile = findPlatform(c.platform);
      return profile ? [[c.name, { profile }] as const] : [];
    }));
    const { platforms, warnings } = schemePlatforms(r.scheme, byName);
    for (const side of ['source', 'target'] as const) {
      const name = r.scheme[side].connection;
      if (!byName.has(name)) {
        const i = warnings.findIndex((w) => w.path === `$.${side}.connection`);
        if (i >= 0) warnings.splice(i, 1);
        warnings.push({ path: `$.${side}.connection`, message: `no connection named "${name}" yet`, suggestion: 'create it on the connections page before running' });
      }
    }
    const c = compileScheme(r.scheme, platforms);
    if (!c.ok) return { ok: false, problems: c.problems, warnings, scheme: r.scheme };
    return { ok: true, problems: [], warnings, scheme: r.scheme, compiled: c.compiled };
  }

  async list(): Promise<SchemeSummary[]> {
    return (await this.store.listSchemes()).map(summarise);
  }

  async get(name: string): Promise<StoredScheme> {
    const s = await this.store.getScheme(name);
    if (!s) throw notFound(`scheme "${name}"`);
    return s;
  }

  /** Creates (`name` undefined) or replaces a scheme. The document's `name` is the key and cannot change on edit. */
  async save(name: string | undefined, text: string, enabled?: boolean): Promise<{ stored: StoredScheme; checked: CheckedScheme }> {
    const checked = await this.check(text);
    if (!checked.ok || !checked.scheme) throw badRequest(`the scheme is not valid: ${checked.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`, checked.problems);
    const docName = checked.scheme.name;
    const old = await this.store.getScheme(docName);
    if (name === undefined && old) throw conflict(`a scheme named "${docName}" exists; edit it instead`);
    if (name !== undefined && name !== docName) throw badRequest(`the document is named "${docName}" but this is scheme "${name}"; the name cannot change (create a new scheme instead)`);
    if (name !== undefined && !old) throw notFound(`scheme "${name}"`);
    const at = this.now();
    const stored = await this.store.putScheme({ name: docName, text, enabled: enabled ?? old?.enabled ?? true, createdAt: old?.createdAt ?? at, updatedAt: at });
    return { stored, checked };
  }

  async setEnabled(name: string, enabled: boolean): Promise<void> {
    await this.get(name);
    await this.store.setSchemeEnabled(name, enabled, this.now());
  }

  async delete(name: string): Promise<void> {
    await this.get(name);
    await this.store.deleteScheme(name);
  }

  /** The stored scheme, parsed and compiled, ready to run; a 4xx when it cannot run. */
  async load(name: string): Promise<{ stored: StoredScheme; scheme: Scheme; compiled: CompiledScheme }> {
    const stored = await this.get(name);
    const c = await this.check(stored.text);
    if (!c.ok || !c.scheme || !c.compiled) throw badRequest(`scheme "${name}" is not valid; fix it first: ${c.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
    return { stored, scheme: c.scheme, compiled: c.compiled };
  }
}

function summarise(s: StoredScheme): SchemeSummary {
  const r = parseScheme(s.text);
  const doc = r.ok ? r.scheme : undefined;
  return {
    name: s.name,
    description: doc?.description ?? null,
    enabled: s.enabled,
    version: s.version,
    updatedAt: s.updatedAt,
    valid: r.ok,
    source: doc ? { connection: doc.source.connection, api: doc.source.api } : null,
    target: doc ? { connection: doc.target.connection, api: doc.target.api } : null,
    schedule: doc ? (doc.schedule?.cron ?? null) : rawCron(s.text),
  };
}

/** The cron of a stored document that does not validate (so its schedule is listed with its problem). */
function rawCron(text: string): string | null {
  try {
    const doc = JSON.parse(text.replace(/^\uFEFF/, '')) as { schedule?: { cron?: unknown; enabled?: unknown } };
    return typeof doc.schedule?.cron === 'string' && doc.schedule.enabled !== false ? doc.schedule.cron : null;
  } catch {
    return null;
  }
}
