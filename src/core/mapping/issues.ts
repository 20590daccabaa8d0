/**
 * What can go wrong, as values.
 * - MappingIssue: one record could not be mapped; `path` is the TARGET path (`FEntity[3].FQty`).
 * - MappingCompileIssue: the mapping itself is wrong; `path` is a JSON path into the scheme
 *   (`$.target.request[3].parser.name`), the same shape as the scheme loader's SchemeProblem.
 */

export interface MappingIssue {
  /** Target field path: `FCreateOrgId`, `FSaleOrgId.FNumber`, `FEntity[3].FQty`. */
  path: string;
  /** The field's `label` (Chinese in the seed), when it has one. */
  label?: string;
  /** A full sentence: `FQty (数量): "12a" is not a number`. */
  message: string;
  /** The offending value, when there is one (absent for a missing value). */
  value?: unknown;
}

export interface MappingCompileIssue {
  /** JSON path into the scheme document, e.g. `$.target.request[3].parser.name`. */
  path: string;
  message: string;
  /** `did you mean "ConvertObjectParser"?` and similar. */
  suggestion?: string;
}

export type MappingResult = { ok: true; value: Record<string, unknown> } | { ok: false; errors: MappingIssue[] };

/**
 * Thrown inside the per-record pipeline (template → default → value map → type → parsers) and caught by
 * the field runner, which turns it into a MappingIssue with the field's path and label. Not an Error:
 * no stack trace is captured, so a rejected record costs little.
 */
export class ValueError {
  /** Parser that failed, filled in by the parser chain. */
  parser?: string;
  constructor(
    readonly reason: string,
    readonly value?: unknown,
  ) {}
}

/** Thrown while compiling (parser params, templates); caught by the compiler and turned into a MappingCompileIssue. */
export class CompileError {
  constructor(
    readonly message: string,
    /** Extra JSON path below the position being compiled, e.g. `.digits` under `.params`. */
    readonly subPath: string = '',
    readonly suggestion?: string,
  ) {}
}

/** `FQty (数量)` / `FEntity[3].FQty (数量)`. */
export function fieldTitle(path: string, label: string | undefined): string {
  return label ? `${path} (${label})` : path;
}
