import { Scheme } from './scheme.ts';
import { keysAt } from './keys-at.ts';
import { findDuplicateKeys } from './json-duplicates.ts';
import { fieldCountProblem, sizeProblem } from './limits.ts';
import { formatPath, problemsFromZod, type SchemeProblem } from './problems.ts';
import { decodeSchemeBytes } from './utf8.ts';
import { checkSemantics } from './semantics.ts';
import { jsonErrorOffset } from './json-error-position.ts';

export type LoadResult = { ok: true; scheme: Scheme } | { ok: false; problems: SchemeProblem[] };

/**
 * Parses a scheme document from text: size, JSON syntax, duplicate keys, field count, then the schema,
 * then cross-field rules. Pure.
 */
export function parseScheme(text: string): LoadResult {
  const tooBig = sizeProblem(text.length);
  if (tooBig) return { ok: false, problems: [tooBig] };
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch (err) {
    return { ok: false, problems: [jsonSyntaxProblem(body, err)] };
  }
  const tooMany = fieldCountProblem(doc);
  if (tooMany) return { ok: false, problems: [tooMany] };
  const duplicates = findDuplicateKeys(body).map(
    (d): SchemeProblem => ({
      path: formatPath([...d.path, d.key]),
      message: `duplicate key "${d.key}" at line ${d.first.line}, column ${d.first.column} and line ${d.second.line}, column ${d.second.column}`,
      suggestion: 'keep one of them (JSON would silently use the last)',
    }),
  );
  const r = checkScheme(doc);
  if (!duplicates.length) return r;
  return { ok: false, problems: [...duplicates, ...(r.ok ? [] : r.problems)] };
}

/** Parses a scheme file's bytes: UTF-8 (a BOM is accepted), anything else refused with the byte offset. */
export function parseSchemeBytes(bytes: Uint8Array): LoadResult {
  const d = decodeSchemeBytes(bytes);
  if (!d.ok) return { ok: false, problems: [{ path: '$', message: d.message }] };
  return parseScheme(d.text);
}

/** Validates an already-parsed document. */
export function checkScheme(doc: unknown): LoadResult {
  const parsed = Scheme.safeParse(doc, { reportInput: true });
  if (!parsed.success) return { ok: false, problems: problemsFromZod(parsed.error, (p) => keysAt(Scheme, p)) };
  const problems = checkSemantics(parsed.data);
  return problems.length ? { ok: false, problems } : { ok: true, scheme: parsed.data };
}

function jsonSyntaxProblem(text: string, err: unknown): SchemeProblem {
  const msg = err instanceof Error ? err.message : String(err);
  const pos = jsonErrorOffset(text);
  if (pos < 0) return { path: '$', message: `not valid JSON: ${msg}` };
  const before = text.slice(0, pos);
  const line = before.split('\n').length;
  const column = pos - before.lastIndexOf('\n');
  const near = text.slice(pos, pos + 20).split('\n')[0];
  const what = pos >= text.length ? 'the text ends too early' : `unexpected ${JSON.stringify(near)}`;
  return { path: '$', message: `not valid JSON at line ${line}, column ${column}: ${what}`, suggestion: 'check for a missing value, comma or closing bracket just before it' };
}
