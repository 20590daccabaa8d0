import type { z } from 'zod';
import type { Field } from './field.ts';
import { keysAt } from './keys-at.ts';
import { problemsFromZod, type SchemeProblem } from './problems.ts';
import type { Scheme } from './scheme.ts';

/**
 * Checks the read or write spec of a scheme against a platform's options schema (given by the composition
 * root: core knows no platform) and reports each problem at the scheme's own JSON path:
 * `pageSize` → `$.source.pagination.pageSize`, `params.FormId` → the `otherRequest` entry that sets it, …
 */
export function platformOptionProblems(
  scheme: Scheme,
  side: 'source' | 'target',
  spec: object,
  schema: z.ZodType,
  platform: string,
): SchemeProblem[] {
  const r = schema.safeParse(spec, { reportInput: true });
  if (r.success) return [];
  return problemsFromZod(r.error, (p) => keysAt(schema, p)).map((p) => ({
    ...p,
    path: schemePath(scheme, side, p.path),
    message: `${p.message} (${platform} ${side})`,
  }));
}

const SPEC_TO_SCHEME: Record<string, (side: string) => string> = {
  pageSize: () => '$.source.pagination.pageSize',
  operation: () => '$.target.operation',
  numberField: () => '$.target.number',
  extra: (side) => `$.${side}.extra`,
  api: (side) => `$.${side}.api`,
  method: (side) => `$.${side}.method`,
  listKey: (side) => `$.${side}.listKey`,
};

function schemePath(scheme: Scheme, side: 'source' | 'target', specPath: string): string {
  const m = /^\$\.(\w+)(.*)$/.exec(specPath);
  if (!m) return `$.${side}`;
  const [, head, rest] = m as unknown as [string, string, string];
  if (head === 'params') {
    const name = /^\.(\w+)|^\["(.*)"\]/.exec(rest);
    const key = name?.[1] ?? name?.[2];
    const after = rest.slice(name?.[0].length ?? 0);
    for (const list of ['request', 'otherRequest'] as const) {
      const i = scheme[side][list].findIndex((f: Field) => (f.field ?? f.targetField)?.toLowerCase() === key?.toLowerCase());
      if (i >= 0) return `$.${side}.${list}[${i}].value${after}`;
    }
    return `$.${side}.otherRequest`;
  }
  const to = SPEC_TO_SCHEME[head];
  return to ? `${to(side)}${rest}` : `$.${side}`;
}
