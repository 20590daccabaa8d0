import { MISSING } from './values.ts';
import { CompileError } from './issues.ts';

/**
 * Source paths, as written inside a template placeholder: `shop_name`, `a.b`, `lines[0].qty`,
 * `a.b[2].c`, `a["key.with.dots"]`, and the scope roots `$header.x` (the top-level record, from inside an
 * entry row), `$parent.x` (the enclosing record or row) and `$index` (the row's index in its source array).
 *
 * A path never maps over arrays (`lines.qty` on an array is missing): that is what expressions are for.
 * Only own properties are read, so `constructor` or `__proto__` are simply missing.
 */

export type PathRoot = 'row' | 'header' | 'parent' | 'index';
export type Segment = string | number;

export interface SourcePath {
  root: PathRoot;
  segments: Segment[];
  /** The path as written, for messages. */
  text: string;
}

const ROOTS: Record<string, PathRoot> = { $header: 'header', $parent: 'parent', $index: 'index' };

export function parseSourcePath(raw: string): SourcePath {
  const text = raw.trim();
  if (text === '') throw new CompileError('empty placeholder "{}" (write "{{" and "}}" for literal braces)');
  let rest = text;
  let root: PathRoot = 'row';
  if (text.startsWith('$')) {
    const name = /^\$[A-Za-z_]\w*/.exec(text)?.[0] ?? '$';
    const r = ROOTS[name];
    if (!r) throw new CompileError(`unknown scope "${name}" in "{${text}}" (use $header, $parent or $index)`);
    root = r;
    rest = text.slice(name.length);
    if (root === 'index') {
      if (rest !== '') throw new CompileError(`"$index" takes no path in "{${text}}"`);
      return { root, segments: [], text };
    }
    if (rest === '') throw new CompileError(`"${text}" needs a field, e.g. {${name}.shop_no}`);
    if (rest[0] === '.') rest = rest.slice(1);
    else if (rest[0] !== '[') throw new CompileError(`bad path "${text}"`);
  }
  const segments: Segment[] = [];
  let i = 0;
  let afterDot = false;
  while (i < rest.length) {
    if (rest[i] === '[' && !afterDot) {
      const close = rest.indexOf(']', i);
      if (close < 0) throw new CompileError(`missing "]" in path "${text}"`);
      const inner = rest.slice(i + 1, close).trim();
      if (/^\d+$/.test(inner)) segments.push(Number(inner));
      else if (/^"(?:[^"\\]|\\.)*"$/.test(inner)) segments.push(JSON.parse(inner) as string);
      else throw new CompileError(`bad index [${inner}] in path "${text}" (use [0] or ["key"])`);
      i = close + 1;
    } else {
      let j = i;
      while (j < rest.length && rest[j] !== '.' && rest[j] !== '[') j++;
      const name = rest.slice(i, j);
      if (name === '') throw new CompileError(`bad path "${text}" (empty segment)`);
      if (/[\]{}"]/.test(name) || name.trim() !== name) throw new CompileError(`bad path "${text}" (segment "${name}")`);
      segments.push(name);
      i = j;
    }
    afterDot = false;
    if (rest[i] === '.') {
      i++;
      afterDot = true;
      if (i >= rest.length) throw new CompileError(`path "${text}" ends with "."`);
    } else if (i < rest.length && rest[i] !== '[') throw new CompileError(`bad path "${text}"`);
  }
  return { root, segments, text };
}

/** Reads `segments` below `root`; MISSING when any step does not exist. Hot path: no allocation. */
export function readPath(root: unknown, segments: readonly Segment[]): unknown {
  let cur = root;
  for (let k = 0; k < segments.length; k++) {
    const s = segments[k]!;
    if (typeof s === 'number') {
      if (!Array.isArray(cur) || s >= cur.length) return MISSING;
      cur = cur[s];
    } else {
      if (typeof cur !== 'object' || cur === null || Array.isArray(cur) || !Object.hasOwn(cur, s)) return MISSING;
      cur = (cur as Record<string, unknown>)[s];
    }
    if (cur === undefined) return MISSING;
  }
  return cur;
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'prototype', 'constructor']);

/** A target field name: `FName` or `FSaleOrgId.FNumber` (dots build nested objects). */
export function parseTargetPath(name: string): string[] {
  const parts = name.split('.');
  for (const p of parts) {
    if (p === '') throw new CompileError(`bad target field "${name}" (empty segment)`);
    if (FORBIDDEN_KEYS.has(p)) throw new CompileError(`"${p}" cannot be used as a target field name`);
    if (/[[\]]/.test(p)) throw new CompileError(`target field "${name}" cannot index arrays; use type "array" with children for entries`);
  }
  return parts;
}

/** Sets `value` at `segments` in `out`, creating plain objects on the way (prefix conflicts are rejected at compile time). */
export function writePath(out: Record<string, unknown>, segments: readonly string[], value: unknown): void {
  let cur = out;
  const last = segments.length - 1;
  for (let k = 0; k < last; k++) {
    const s = segments[k]!;
    let next = cur[s];
    if (typeof next !== 'object' || next === null) {
      next = {};
      cur[s] = next;
    }
    cur = next as Record<string, unknown>;
  }
  cur[segments[last]!] = value;
}
