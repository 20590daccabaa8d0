import { readFileSync, statSync } from 'node:fs';
import { parseSchemeBytes } from '../core/scheme/load.ts';
import { MAX_SCHEME_CHARS, sizeProblem } from '../core/scheme/limits.ts';
import type { SchemeProblem } from '../core/scheme/problems.ts';
import type { Scheme } from '../core/scheme/scheme.ts';
import { decodeSchemeBytes } from '../core/scheme/utf8.ts';
import { compileSchemeMappings, fieldListProblems } from '../engine/compile-scheme.ts';
import type { ResolvedConnection } from './connections.ts';
import { schemePlatforms } from './platforms.ts';
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
export function checkSchemeFile(file: string, connections?: Map<string, ResolvedConnection>): CheckedSchemeFile {
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
  const compiled = compileSchemeMappings(r.scheme, platforms);
  return { scheme: r.scheme, problems: compiled.ok ? [] : compiled.problems, warnings };
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
