import type { Scheme } from '../core/scheme/scheme.ts';
import type { SchemeProblem } from '../core/scheme/problems.ts';

/** Placeholder until the mapping compiler lands: compiles the scheme's field lists, returning problems. */
export function compileSchemeMappings(_scheme: Scheme): { ok: true } | { ok: false; problems: SchemeProblem[] } {
  return { ok: true };
}
