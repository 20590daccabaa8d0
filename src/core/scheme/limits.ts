import type { SchemeProblem } from './problems.ts';

/**
 * What one scheme may hold. Well above any real mapping (a Kingdee bill has a few hundred fields), low enough
 * that validating or saving a scheme never blocks `ferry serve` for long.
 */
export const MAX_SCHEME_CHARS = 1_000_000;
export const MAX_SCHEME_FIELDS = 10_000;

const LISTS: [string, string][] = [
  ['source', 'request'],
  ['source', 'otherRequest'],
  ['target', 'request'],
  ['target', 'otherRequest'],
];

export function sizeProblem(chars: number): SchemeProblem | undefined {
  if (chars <= MAX_SCHEME_CHARS) return undefined;
  return {
    path: '$',
    message: `the scheme is ${chars.toLocaleString('en-US')} characters long; at most ${MAX_SCHEME_CHARS.toLocaleString('en-US')} are allowed`,
    suggestion: 'split it into several schemes',
  };
}

/** Counts the field entries of a parsed document (children included) and refuses more than the limit. */
export function fieldCountProblem(doc: unknown): SchemeProblem | undefined {
  let count = 0;
  let biggest = '';
  let biggestCount = -1;
  const walk = (list: unknown): number => {
    if (!Array.isArray(list)) return 0;
    let n = list.length;
    for (const f of list) if (f && typeof f === 'object' && 'children' in f) n += walk((f as { children: unknown }).children);
    return n;
  };
  for (const [block, key] of LISTS) {
    const list = (doc as Record<string, Record<string, unknown> | undefined> | null)?.[block]?.[key];
    const n = walk(list);
    count += n;
    if (n > biggestCount) [biggest, biggestCount] = [`$.${block}.${key}`, n];
  }
  if (count <= MAX_SCHEME_FIELDS) return undefined;
  return {
    path: biggest,
    message: `the scheme holds ${count.toLocaleString('en-US')} fields (${biggestCount.toLocaleString('en-US')} here); at most ${MAX_SCHEME_FIELDS.toLocaleString('en-US')} are allowed`,
    suggestion: 'split it into several schemes',
  };
}
