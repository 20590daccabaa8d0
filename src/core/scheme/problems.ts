import type { z } from 'zod';
import { closest } from '../suggest.ts';

/** One thing wrong with a scheme document: where (JSON path), what, and a suggestion where one exists. */
export interface SchemeProblem {
  path: string;
  message: string;
  suggestion?: string;
}

/** `['target','request',3,'parser']` → `$.target.request[3].parser`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '$';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else if (typeof p === 'string' && /^[A-Za-z_$][\w$]*$/.test(p)) out += `.${p}`;
    else out += `[${JSON.stringify(String(p))}]`;
  }
  return out;
}

/** Turns zod issues into plain problems: unknown keys one by one with the closest known key as suggestion. */
export function problemsFromZod(error: z.ZodError, knownKeysAt: (path: readonly PropertyKey[]) => string[]): SchemeProblem[] {
  const out: SchemeProblem[] = [];
  for (const issue of error.issues) collect(issue as ZodIssueLike, [], out, knownKeysAt);
  return out;
}

interface ZodIssueLike {
  code: string;
  path: PropertyKey[];
  message: string;
  keys?: string[];
  expected?: string;
  input?: unknown;
  errors?: ZodIssueLike[][];
  values?: unknown[];
}

function collect(issue: ZodIssueLike, prefix: PropertyKey[], out: SchemeProblem[], knownKeysAt: (p: readonly PropertyKey[]) => string[]): void {
  const path = [...prefix, ...issue.path];
  switch (issue.code) {
    case 'unrecognized_keys':
      for (const key of issue.keys ?? []) {
        const near = closest(key, knownKeysAt(path));
        out.push({
          path: formatPath([...path, key]),
          message: `unknown key "${key}"`,
          ...(near ? { suggestion: `did you mean "${near}"?` } : { suggestion: `allowed here: ${knownKeysAt(path).join(', ')}` }),
        });
      }
      return;
    case 'invalid_union': {
      // Report the branch that got furthest (most specific path) instead of "invalid input".
      const branches = issue.errors ?? [];
      const best = branches
        .map((b) => ({ b, depth: Math.max(0, ...b.map((i) => i.path.length)) }))
        .sort((x, y) => y.depth - x.depth)[0];
      if (best && best.depth > 0) {
        for (const i of best.b) collect(i, path, out, knownKeysAt);
        return;
      }
      out.push({ path: formatPath(path), message: 'does not match any allowed form' });
      return;
    }
    case 'invalid_type':
      out.push({
        path: formatPath(path),
        message: issue.input === undefined ? `is required (${issue.expected})` : `must be ${article(issue.expected)}, got ${describe(issue.input)}`,
      });
      return;
    case 'invalid_value':
      out.push({
        path: formatPath(path),
        message: `must be one of ${(issue.values ?? []).map((v) => JSON.stringify(v)).join(', ')}`,
        ...nearValue(issue),
      });
      return;
    default:
      out.push({ path: formatPath(path), message: lowerFirst(issue.message) });
  }
}

function nearValue(issue: ZodIssueLike): { suggestion?: string } {
  if (typeof issue.input !== 'string') return {};
  const near = closest(issue.input, (issue.values ?? []).map(String));
  return near ? { suggestion: `did you mean "${near}"?` } : {};
}

function article(t: string | undefined): string {
  if (!t) return 'of another type';
  return /^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `the text ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)}`;
  return `${typeof v === 'object' ? 'an object' : typeof v} ${typeof v === 'object' ? '' : JSON.stringify(v)}`.trim();
}

function lowerFirst(s: string): string {
  if (/^[A-Z]{2}/.test(s)) return s; // an acronym (WDT, JSON) keeps its case
  return s.charAt(0).toLowerCase() + s.slice(1);
}
