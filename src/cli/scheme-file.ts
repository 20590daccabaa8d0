import { readFileSync } from 'node:fs';
import { parseScheme } from '../core/scheme/load.ts';
import type { SchemeProblem } from '../core/scheme/problems.ts';
import type { Scheme } from '../core/scheme/scheme.ts';
import { compileSchemeMappings, fieldListProblems } from '../engine/compile-scheme.ts';
import { UserError } from './user-error.ts';

/** Reads and checks a scheme file: JSON, schema, semantics and mapping compilation. */
export function checkSchemeFile(file: string): { scheme?: Scheme; problems: SchemeProblem[] } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UserError(code === 'ENOENT' ? `scheme file not found: ${file}` : `cannot read scheme file ${file}: ${(err as Error).message}`);
  }
  const r = parseScheme(text);
  if (!r.ok) {
    // Also report the mapping problems of the field lists that are well-formed, so one pass shows everything.
    let extra: SchemeProblem[] = [];
    try {
      extra = fieldListProblems(JSON.parse(text));
    } catch {
      // not JSON: the syntax problem is already reported
    }
    const seen = new Set(r.problems.map((p) => p.path));
    return { problems: [...r.problems, ...extra.filter((p) => !seen.has(p.path))] };
  }
  const compiled = compileSchemeMappings(r.scheme);
  return compiled.ok ? { scheme: r.scheme, problems: [] } : { scheme: r.scheme, problems: compiled.problems };
}

/** Loads a scheme or throws a UserError listing every problem. */
export function loadSchemeFile(file: string): Scheme {
  const { scheme, problems } = checkSchemeFile(file);
  if (problems.length || !scheme)
    throw new UserError(`scheme ${file} is not valid; nothing was run:\n${problems.map((p) => `  ${formatProblem(p)}`).join('\n')}`);
  return scheme;
}

export function formatProblem(p: SchemeProblem): string {
  return `${p.path}: ${p.message}${p.suggestion ? ` — ${p.suggestion}` : ''}`;
}
