import type { Scheme } from './scheme.ts';
import type { Field } from './field.ts';
import { FIELD_TYPES, FIELD_TYPE_ALIASES, resolveFieldType } from './field.ts';
import { formatPath, type SchemeProblem } from './problems.ts';
import { closest } from '../suggest.ts';
import { scheduleProblems } from './schedule-check.ts';

/** Rules the schema alone cannot say. Mapping compile errors (parsers, templates, expressions) are added by the caller. */
export function checkSemantics(s: Scheme): SchemeProblem[] {
  const out: SchemeProblem[] = [];
  checkFields(s.source.request, ['source', 'request'], out);
  checkFields(s.source.otherRequest, ['source', 'otherRequest'], out);
  checkFields(s.target.request, ['target', 'request'], out);
  checkFields(s.target.otherRequest, ['target', 'otherRequest'], out);
  const names = new Map<string, number>();
  s.target.request.forEach((f, i) => {
    const name = f.field ?? f.targetField ?? '';
    const first = names.get(name);
    if (first !== undefined)
      out.push({ path: formatPath(['target', 'request', i, 'field']), message: `field "${name}" is mapped twice (first at request[${first}])` });
    else names.set(name, i);
  });
  if (s.target.number && !names.has(s.target.number))
    out.push({ path: '$.target.number', message: `"${s.target.number}" is not a mapped target field`, ...suggest(s.target.number, [...names.keys()]) });
  for (const [i, f] of (s.target.updateFields ?? []).entries())
    if (!names.has(f)) out.push({ path: formatPath(['target', 'updateFields', i]), message: `"${f}" is not a mapped target field`, ...suggest(f, [...names.keys()]) });
  if (s.source.incremental) {
    for (const key of ['since', 'until'] as const) {
      const v = s.source.incremental[key];
      if (v !== undefined && Number.isNaN(Date.parse(v)))
        out.push({ path: `$.source.incremental.${key}`, message: `"${v}" is not an ISO 8601 date-time (e.g. 2026-11-01T00:00:00+08:00)` });
    }
  }
  if (s.schedule) out.push(...scheduleProblems(s.schedule));
  for (const [i, r] of s.quality.rules.entries()) {
    if (r.pattern !== undefined) {
      try {
        new RegExp(r.pattern);
      } catch (e) {
        out.push({ path: formatPath(['quality', 'rules', i, 'pattern']), message: `not a valid regular expression: ${(e as Error).message}` });
      }
    }
    if (r.type !== undefined) checkType(r.type, ['quality', 'rules', i, 'type'], out);
  }
  return out;
}

function checkFields(fields: Field[], path: (string | number)[], out: SchemeProblem[]): void {
  fields.forEach((f, i) => {
    if (f.type !== undefined) checkType(f.type, [...path, i, 'type'], out);
    if (f.children) {
      checkFields(f.children, [...path, i, 'children'], out);
      if (f.type !== undefined && resolveFieldType(f.type) !== 'array')
        out.push({ path: formatPath([...path, i, 'type']), message: 'a field with `children` must have type "array"' });
    }
  });
}


function checkType(t: string, path: (string | number)[], out: SchemeProblem[]): void {
  if (resolveFieldType(t) === undefined)
    out.push({
      path: formatPath(path),
      message: `unknown type "${t}" (allowed: ${FIELD_TYPES.join(', ')})`,
      ...suggest(t, [...FIELD_TYPES, ...Object.keys(FIELD_TYPE_ALIASES)]),
    });
}

function suggest(word: string, candidates: string[]): { suggestion?: string } {
  const near = closest(word, candidates);
  return near ? { suggestion: `did you mean "${near}"?` } : {};
}
