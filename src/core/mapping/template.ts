import { CompileError, ValueError } from './issues.ts';
import { parseSourcePath, readPath, type SourcePath } from './path.ts';
import type { Scope } from './scope.ts';
import { MISSING, isPlainObject, showValue } from './values.ts';

/**
 * Templates, compiled once into parts so the hot path never re-parses.
 *
 * - A string that is exactly one placeholder (`"{qty}"`) yields the source value with its own type
 *   (number stays number, object stays object; the value is not copied).
 * - Mixed text (`"{shop_no}-{platform_id}"`) yields a string: numbers and booleans as written, null as
 *   empty text; an object or an array there is an error (ValueError naming the placeholder), not JSON text. If any placeholder is missing, the whole result is MISSING
 *   (so `"S001-"` is never sent by accident); `default`/`required` then apply.
 * - `{{` and `}}` are literal braces: `"{{x}}"` is the text `{x}`. A lone `}` is a compile error.
 * - Objects and arrays (`{"FNumber": "{remark}"}`) are templates too: their string leaves are rendered,
 *   a missing leaf makes the whole value MISSING. Literal objects are copied per record.
 * - Other JSON values (numbers, booleans, null) are literals.
 */
export interface Template {
  render(scope: Scope): unknown;
  /** Placeholders that do not resolve in `scope`, as written (`{remark}`): for error messages only. */
  missingIn(scope: Scope): string[];
  /** True when the template reads the record. */
  readonly dynamic: boolean;
}

type Getter = (scope: Scope) => unknown;

function getterFor(p: SourcePath): Getter {
  const segs = p.segments;
  switch (p.root) {
    case 'index':
      return (s) => (s.index === undefined ? MISSING : s.index);
    case 'header':
      return (s) => readPath(s.header, segs);
    case 'parent':
      return (s) => readPath(s.parent, segs);
    default:
      break;
  }
  const [first] = segs;
  if (segs.length === 1 && typeof first === 'string') {
    // The common case (`{shop_name}`), inlined.
    return (s) => {
      const r = s.row;
      if (typeof r !== 'object' || r === null || Array.isArray(r) || !Object.hasOwn(r, first)) return MISSING;
      const v = (r as Record<string, unknown>)[first];
      return v === undefined ? MISSING : v;
    };
  }
  return (s) => readPath(s.row, segs);
}

interface Ref {
  get: Getter;
  text: string;
}

/** Splits a template string into literal text and placeholders. */
export function parseTemplateString(src: string): (string | SourcePath)[] {
  const parts: (string | SourcePath)[] = [];
  let buf = '';
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === '{') {
      if (src[i + 1] === '{') {
        buf += '{';
        i += 2;
        continue;
      }
      const close = src.indexOf('}', i + 1);
      const nextOpen = src.indexOf('{', i + 1);
      if (close < 0) throw new CompileError(`unclosed "{" at position ${i} in "${src}" (write "{{" for a literal brace)`);
      if (nextOpen >= 0 && nextOpen < close) throw new CompileError(`"{" inside a placeholder at position ${nextOpen} in "${src}"`);
      if (buf) parts.push(buf);
      buf = '';
      parts.push(parseSourcePath(src.slice(i + 1, close)));
      i = close + 1;
    } else if (c === '}') {
      if (src[i + 1] !== '}') throw new CompileError(`lone "}" at position ${i} in "${src}" (write "}}" for a literal brace)`);
      buf += '}';
      i += 2;
    } else {
      buf += c;
      i++;
    }
  }
  if (buf) parts.push(buf);
  return parts;
}

function textOf(v: unknown, placeholder: string): string {
  if (typeof v === 'string') return v;
  if (v === null) return '';
  if (typeof v === 'object')
    throw new ValueError(
      `${placeholder} is ${Array.isArray(v) ? showValue(v) : 'an object'}, which text cannot hold; text templates take text, numbers and booleans — use an expression to format it`,
      v,
    );
  return String(v);
}

function stringTemplate(src: string): Template {
  const parts = parseTemplateString(src);
  const refs: Ref[] = [];
  for (const p of parts) if (typeof p !== 'string') refs.push({ get: getterFor(p), text: `{${p.text}}` });
  const missingIn = (s: Scope) => refs.filter((r) => r.get(s) === MISSING).map((r) => r.text);
  if (refs.length === 0) {
    const text = parts.join('');
    return { render: () => text, missingIn: () => [], dynamic: false };
  }
  const only = parts[0];
  if (parts.length === 1 && typeof only !== 'string') return { render: refs[0]!.get, missingIn, dynamic: true };
  const pieces: (string | Ref)[] = [];
  let k = 0;
  for (const p of parts) pieces.push(typeof p === 'string' ? p : refs[k++]!);
  return {
    render(s) {
      let out = '';
      for (let j = 0; j < pieces.length; j++) {
        const piece = pieces[j]!;
        if (typeof piece === 'string') out += piece;
        else {
          const v = piece.get(s);
          if (v === MISSING) return MISSING;
          out += textOf(v, piece.text);
        }
      }
      return out;
    },
    missingIn,
    dynamic: true,
  };
}

/** Deep copy of a JSON literal (scheme literals must not be shared between records). */
export function cloneJson<T>(v: T): T {
  if (Array.isArray(v)) return v.map(cloneJson) as T;
  if (isPlainObject(v)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) out[k] = cloneJson(v[k]);
    return out as T;
  }
  return v;
}

function structureTemplate(value: Record<string, unknown> | unknown[]): Template {
  const entries: [string | number, Template][] = [];
  const keys = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
  for (const k of keys) {
    if (k === '__proto__') throw new CompileError('"__proto__" cannot be used as a key');
    const child = (value as Record<string | number, unknown>)[k];
    try {
      entries.push([k, compileTemplate(child)]);
    } catch (e) {
      if (e instanceof CompileError) throw new CompileError(e.message, (typeof k === 'number' ? `[${k}]` : `.${k}`) + e.subPath);
      throw e;
    }
  }
  if (!entries.some(([, t]) => t.dynamic)) return { render: () => cloneJson(value), missingIn: () => [], dynamic: false };
  const isArray = Array.isArray(value);
  return {
    render(s) {
      const out: Record<string | number, unknown> | unknown[] = isArray ? [] : {};
      for (const [k, t] of entries) {
        const v = t.render(s);
        if (v === MISSING) return MISSING;
        (out as Record<string | number, unknown>)[k] = v;
      }
      return out;
    },
    missingIn: (s) => entries.flatMap(([, t]) => t.missingIn(s)),
    dynamic: true,
  };
}

/** Compiles a field `value` (any JSON). Throws CompileError for bad template syntax. */
export function compileTemplate(value: unknown): Template {
  if (typeof value === 'string') return stringTemplate(value);
  if (Array.isArray(value) || isPlainObject(value)) return structureTemplate(value);
  return { render: () => value, missingIn: () => [], dynamic: false };
}

/** A template that reads one path (the seed's `sourceField`, an array field's `source`). Accepts `a.b` or `{a.b}`. */
export function compilePathTemplate(path: string): Template {
  const trimmed = path.trim();
  const inner = /^\{[^{}]*\}$/.test(trimmed) ? trimmed.slice(1, -1) : trimmed;
  return stringTemplate(`{${inner}}`);
}
