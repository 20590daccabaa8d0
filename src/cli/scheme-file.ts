import { readFileSync, statSync } from 'node:fs';
import { parseSchemeBytes } from '../core/scheme/load.ts';
import { MAX_SCHEME_CHARS, sizeProblem } from '../core/scheme/limits.ts';
import type { SchemeProblem } from '../core/scheme/problems.ts';
import type { Scheme } from '../core/scheme/scheme.ts';
import { decodeSchemeBytes } from '../core/scheme/utf8.ts';
import type { JsonObject } from '../core/records.ts';
import { compileScheme, fieldListProblems } from '../engine/compile-scheme.ts';
import type { ResolvedConnection } from './connections.ts';
import { platformOf, schemePlatforms } from './platforms.ts';
import { UserError } from './user-error.ts';

export interface CheckedSchemeFile {
  scheme?: Scheme;
  /** What stops the scheme from running (validate exits 1, run refuses). */
  problems: SchemeProblem[];
  /** What validate cannot check or suspects (printed, exit 0). */
  warnings: SchemeProblem[];
}

/**
 * Reads and checks a scheme file: encoding, JSON (duplicate keys included), schema, semantics, mapping
 * compilation, and the options of the source's and target's platforms. The platforms come from the
 * connections when given (as `ferry run` has them), else from the connection or API names.
 */
export function checkSchemeFile(file: string, connections?: Map<string, ResolvedConnection>, o: { sample?: JsonObject[] } = {}): CheckedSchemeFile {
  let bytes: Buffer;
  try {
    // A file far over the limit is refused without reading it (UTF-8 takes up to 4 bytes a character).
    const size = statSync(file).size;
    if (size > MAX_SCHEME_CHARS * 4) return { problems: [sizeProblem(size)!], warnings: [] };
    bytes = readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UserError(code === 'ENOENT' ? `scheme file not found: ${file}` : `cannot read scheme file ${file}: ${(err as Error).message}`);
  }
  const r = parseSchemeBytes(bytes);
  if (!r.ok) {
    // Also report the mapping problems of the field lists that are well-formed, so one pass shows everything.
    let extra: SchemeProblem[] = [];
    const d = decodeSchemeBytes(bytes);
    if (d.ok && d.text.length <= MAX_SCHEME_CHARS && !r.problems.some((p) => p.path === '$' || /fields .*at most/.test(p.message)))
      try {
        extra = fieldListProblems(JSON.parse(d.text));
      } catch {
        // not JSON: the syntax problem is already reported
      }
    const seen = new Set(r.problems.map((p) => p.path));
    return { problems: [...r.problems, ...extra.filter((p) => !seen.has(p.path))], warnings: [] };
  }
  const { platforms, warnings } = schemePlatforms(r.scheme, connections);
  const compiled = compileScheme(r.scheme, platforms);
  if (!compiled.ok) return { scheme: r.scheme, problems: compiled.problems, warnings };
  // Template fields the source will not have: not among its declared fields, or in no record of the sample.
  const cs = compiled.compiled;
  const known = connections ? (name: string) => connections.get(name)?.profile.name : undefined;
  const declared = platformOf('source', r.scheme.source.connection, r.scheme.source.api, known)?.declaredFields?.(cs.readSpec);
  if (declared) {
    const record = Object.fromEntries(declared.fields.map((f) => [f, 'declared']));
    warnings.push(...(cs.templateGaps?.([record], `the source's declared fields (${declared.where})`) ?? []));
  }
  if (o.sample) warnings.push(...(cs.templateGaps?.(o.sample, `every record of the sample (${o.sample.length} records)`) ?? []));
  return { scheme: r.scheme, problems: [], warnings };
}

/** Loads a scheme or throws a UserError listing every problem (the lines `ferry validate` prints). */
export function loadSchemeFile(file: string, connections?: Map<string, ResolvedConnection>): Scheme {
  const { scheme, problems } = checkSchemeFile(file, connections);
  if (problems.length || !scheme)
    throw new UserError(`scheme ${file} is not valid; nothing was run:\n${problems.map((p) => `  ${formatProblem(p)}`).join('\n')}`);
  return scheme;
}

export function formatProblem(p: SchemeProblem): string {
  return `${p.path}: ${p.message}${p.suggestion ? ` — ${p.suggestion}` : ''}`;
}
