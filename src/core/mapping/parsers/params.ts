import type { z } from 'zod';
import { closest } from '../../suggest.ts';
import { CompileError } from '../issues.ts';
import type { ParserDef } from './types.ts';

/** Validates an object params form with zod; the first issue becomes a CompileError below `.params`. */
export function objectParams<T>(def: Pick<ParserDef, 'name' | 'usage'>, schema: z.ZodType<T>, params: unknown): T {
  const r = schema.safeParse(params);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const sub = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
  const what = issue.message.charAt(0).toLowerCase() + issue.message.slice(1);
  let suggestion: string | undefined;
  const shape = (schema as { shape?: Record<string, unknown> }).shape;
  if (issue.code === 'unrecognized_keys' && shape) {
    const near = closest(String(issue.keys[0]), Object.keys(shape));
    if (near) suggestion = `did you mean "${near}"?`;
  }
  throw new CompileError(`${def.name}: bad params${sub ? ` at ${sub.slice(sub[0] === '.' ? 1 : 0)}` : ''}: ${what}. Expected ${def.usage}`, sub, suggestion);
}

export function badParams(def: Pick<ParserDef, 'name' | 'usage'>, why: string, sub = ''): CompileError {
  return new CompileError(`${def.name}: ${why}. Expected ${def.usage}`, sub);
}

export function noParams(def: Pick<ParserDef, 'name' | 'usage'>, params: unknown): void {
  if (params !== undefined && params !== null && params !== '') throw badParams(def, 'takes no params');
}
