import type { Field } from '../scheme/field.ts';
import type { MappingResult } from './issues.ts';
import { compileMapping, type CompileMappingOptions } from './mapping.ts';
import type { MapContext } from './scope.ts';

/**
 * Renders a parameter list (`otherRequest[]`, a source `request[]`) against a context: the same compiler as
 * the record mapping, so `{"field":"IsAutoSubmitAndAudit","type":"bool","value":"true"}` gives `true`,
 * entries without `value` are not sent, and templates read `context` (default: empty, for static params).
 * Compile problems come back as `{ ok: false, errors }` with the scheme path of each problem as `path`.
 * Returns a Promise only when a parameter uses an expression.
 */
export function renderRequest(
  fields: readonly Field[],
  context: Record<string, unknown> = {},
  opts: CompileMappingOptions & { ctx?: MapContext } = {},
): MappingResult | Promise<MappingResult> {
  const compiled = compileMapping(fields, opts);
  if (!compiled.ok)
    return {
      ok: false,
      errors: compiled.errors.map((e) => ({ path: e.path, message: `${e.path}: ${e.message}${e.suggestion ? ` (${e.suggestion})` : ''}` })),
    };
  return compiled.mapping.map(context, opts.ctx);
}
