import { Scheme } from './scheme.ts';
import { keysAt } from './keys-at.ts';
import { problemsFromZod, type SchemeProblem } from './problems.ts';
import { checkSemantics } from './semantics.ts';
import { jsonErrorOffset } from './json-error-position.ts';

export type LoadResult = { ok: true; scheme: Scheme } | { ok: false; problems: SchemeProblem[] };

/** Parses a scheme document from text: JSON syntax, then the schema, then cross-field rules. Pure. */
export function parseScheme(text: string): LoadResult {
  let doc: unknown;
  try {
    doc = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (err) {
    return { ok: false, problems: [jsonSyntaxProblem(text, err)] };
  }
  return checkScheme(doc);
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
