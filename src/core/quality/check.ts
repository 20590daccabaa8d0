import type { z } from 'zod';
import type { QualityRule as QualityRuleSchema } from '../scheme/settings.ts';

export type QualityRule = z.infer<typeof QualityRuleSchema>;

/** One failed rule on one record: which rule, which field, what value, why. */
export interface QualityIssue {
  rule: string;
  field: string;
  message: string;
  value?: unknown;
}

/** Evaluates a rule's `expression` (sandboxed JSONata, supplied by the caller); true = passes. */
export type RuleExpression = (expression: string, value: unknown, record: Record<string, unknown>) => Promise<boolean> | boolean;

/** Values at a path: `FEntity[].FQty` fans out over array rows; `a.b` walks objects. */
export function valuesAt(record: unknown, path: string): { path: string; value: unknown }[] {
  let current: { path: string; value: unknown }[] = [{ path: '', value: record }];
  for (const part of path.split('.')) {
    const fan = part.endsWith('[]');
    const key = fan ? part.slice(0, -2) : part;
    const next: { path: string; value: unknown }[] = [];
    for (const c of current) {
      const v = c.value && typeof c.value === 'object' ? (c.value as Record<string, unknown>)[key] : undefined;
      const p = c.path ? `${c.path}.${key}` : key;
      if (fan) {
        if (Array.isArray(v)) v.forEach((item, i) => next.push({ path: `${p}[${i}]`, value: item }));
      } else next.push({ path: p, value: v });
    }
    current = next;
  }
  return current;
}

const isEmpty = (v: unknown) => v === undefined || v === null || v === '';

function typeOk(type: string, v: unknown): boolean {
  switch (type.toLowerCase()) {
    case 'string':
      return typeof v === 'string';
    case 'int':
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v);
    case 'number':
      return typeof v === 'number' && Number.isFinite(v);
    case 'bool':
    case 'boolean':
      return typeof v === 'boolean';
    case 'date':
      return typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v);
    case 'datetime':
      return typeof v === 'string' && /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?/.test(v);
    case 'object':
      return typeof v === 'object' && v !== null && !Array.isArray(v);
    case 'array':
      return Array.isArray(v);
    default:
      return true;
  }
}

/** Compiles rules once (regexes), then checks records. Issues are data; nothing throws for a bad record. */
export function compileQuality(rules: QualityRule[], evaluate?: RuleExpression) {
  const compiled = rules.map((r) => ({ r, re: r.pattern !== undefined ? new RegExp(r.pattern) : undefined }));
  return async function check(record: Record<string, unknown>): Promise<QualityIssue[]> {
    const issues: QualityIssue[] = [];
    for (const { r, re } of compiled) {
      const name = r.name ?? `${r.field} rule`;
      const fail = (path: string, why: string, value: unknown) =>
        issues.push({ rule: name, field: path, message: r.message ?? `${path} ${why}`, value });
      for (const { path, value } of valuesAt(record, r.field)) {
        if (isEmpty(value)) {
          if (r.required) fail(path, 'is required but empty', value);
          continue;
        }
        if (r.type !== undefined && !typeOk(r.type, value)) fail(path, `must be of type ${r.type}`, value);
        const len = typeof value === 'string' ? [...value].length : Array.isArray(value) ? value.length : undefined;
        if (r.minLength !== undefined && len !== undefined && len < r.minLength) fail(path, `is shorter than ${r.minLength} (${len})`, value);
        if (r.maxLength !== undefined && len !== undefined && len > r.maxLength) fail(path, `is longer than ${r.maxLength} (${len})`, value);
        const num = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
        if (r.min !== undefined && !(num >= r.min)) fail(path, `must be at least ${r.min}`, value);
        if (r.max !== undefined && !(num <= r.max)) fail(path, `must be at most ${r.max}`, value);
        if (re && !re.test(String(value))) fail(path, `does not match ${r.pattern}`, value);
        if (r.enum && !r.enum.some((e) => e === value || String(e) === String(value)))
          fail(path, `must be one of ${r.enum.map((e) => JSON.stringify(e)).join(', ')}`, value);
        if (r.expression && evaluate && !(await evaluate(r.expression, value, record)))
          fail(path, `fails the check ${r.expression}`, value);
      }
    }
    return issues;
  };
}
