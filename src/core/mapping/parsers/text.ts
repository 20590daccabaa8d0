import { z } from 'zod';
import { ValueError } from '../issues.ts';
import { unsafeRegexReason } from '../regex-safety.ts';
import type { Template } from '../template.ts';
import { MISSING, isEmpty, showValue } from '../values.ts';
import { badParams, noParams, objectParams } from './params.ts';
import type { ParserDef, ParserFn } from './types.ts';

/**
 * Text parsers. Numbers and booleans count as text where a parser needs text (Replace, Substring, Concat);
 * UpperCase/LowerCase/Trim leave them unchanged. null passes through; objects and arrays are an error.
 */

function textOrFail(parser: string, v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw new ValueError(`${parser} expects text, got ${showValue(v)}`, v);
}

function caseParser(name: string, aliases: string[], summary: string, fn: (s: string) => string): ParserDef {
  return {
    name,
    aliases,
    summary,
    usage: 'no params',
    compile(params) {
      noParams(this, params);
      return (v) => {
        if (typeof v === 'string') return fn(v);
        if (v === null || typeof v === 'number' || typeof v === 'boolean') return v;
        throw new ValueError(`${name} expects text, got ${showValue(v)}`, v);
      };
    },
  };
}

export const upperCase = caseParser('UpperCase', ['Upper', 'ToUpperCase'], 'Upper-cases text.', (s) => s.toUpperCase());
export const lowerCase = caseParser('LowerCase', ['Lower', 'ToLowerCase'], 'Lower-cases text.', (s) => s.toLowerCase());
/** Trim removes Unicode white space at both ends, including the full-width space U+3000 common in Chinese data. */
export const trim = caseParser('Trim', ['Strip'], 'Removes white space (also full-width) at both ends.', (s) => s.trim());

export const toStringParser: ParserDef = {
  name: 'ToString',
  aliases: ['String'],
  summary: 'Turns numbers and booleans into text, objects and arrays into JSON text.',
  usage: 'no params',
  acceptsObjects: true,
  compile(params) {
    noParams(this, params);
    return (v) => (v === null || typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v));
  },
};

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Replace: literal by default (the pattern is escaped, `$` in the replacement is literal), every occurrence.
 * With `regex: true` the pattern is a regular expression (checked against catastrophic backtracking at
 * compile time), flags default `g`, `$1` refers to groups.
 */
export const replace: ParserDef = {
  name: 'Replace',
  summary: 'Replaces text: literal by default, or a checked regular expression with regex: true.',
  usage: '{"pattern": "-", "replacement": "", "regex"?: false, "flags"?: "g"} or ["pattern", "replacement"]',
  compile(params) {
    const p = Array.isArray(params)
      ? objectParams(this, z.tuple([z.string().min(1), z.string()]), params)
      : null;
    const o = p
      ? { pattern: p[0], replacement: p[1], regex: false, flags: undefined }
      : objectParams(
          this,
          z.strictObject({ pattern: z.string().min(1), replacement: z.string().default(''), regex: z.boolean().default(false), flags: z.string().optional() }),
          params,
        );
    let re: RegExp;
    if (o.regex) {
      const why = unsafeRegexReason(o.pattern);
      if (why) throw badParams(this, `unsafe pattern: ${why}`, '.pattern');
      try {
        re = new RegExp(o.pattern, o.flags ?? 'g');
      } catch (e) {
        throw badParams(this, `not a valid regular expression: ${(e as Error).message}`, o.flags ? '.flags' : '.pattern');
      }
    } else {
      if (o.flags !== undefined) throw badParams(this, '"flags" needs "regex": true', '.flags');
      re = new RegExp(escapeRegex(o.pattern), 'g');
    }
    const replacement = o.replacement;
    const literal = !o.regex;
    return (v) => {
      if (v === null) return v;
      const s = textOrFail('Replace', v);
      return literal ? s.replace(re, () => replacement) : s.replace(re, replacement);
    };
  },
};

/** Substring by characters (code points, so Chinese text and emoji are never split). A negative start counts from the end. */
export const substring: ParserDef = {
  name: 'Substring',
  aliases: ['SubString'],
  summary: 'Takes part of the text by characters: start (negative = from the end) and optional length.',
  usage: '{"start": 0, "length"?: 4}, [start, length] or a start number',
  compile(params) {
    const int = z.number().int();
    let start: number;
    let length: number | undefined;
    if (typeof params === 'number' && Number.isInteger(params)) start = params;
    else if (Array.isArray(params)) [start, length] = objectParams(this, z.tuple([int, int.min(0).optional()]), params);
    else ({ start, length } = objectParams(this, z.strictObject({ start: int.default(0), length: int.min(0).optional() }), params));
    return (v) => {
      if (v === null) return v;
      const chars = Array.from(textOrFail('Substring', v));
      const from = start < 0 ? Math.max(0, chars.length + start) : start;
      return chars.slice(from, length === undefined ? undefined : from + length).join('');
    };
  },
};

/**
 * Concat: the value followed by more parts (templates over the record), joined by `separator`, wrapped in
 * `prefix`/`suffix`. Empty parts (missing, null, "") are skipped, so "省市区" joins never show "undefined" or
 * doubled separators; when every part is empty the result is MISSING (and `default`/`required` apply).
 */
export const concat: ParserDef = {
  name: 'Concat',
  summary: 'Appends parts (templates) to the value, skipping empty ones: {"values": ["{city}"], "separator": "-"}.',
  usage: '{"values"?: ["{a}", "text"], "separator"?: "", "prefix"?: "", "suffix"?: ""}, a list of parts or one part',
  acceptsMissing: true,
  compile(params, env) {
    const o =
      typeof params === 'string'
        ? { values: [params], separator: '', prefix: '', suffix: '' }
        : Array.isArray(params)
          ? { values: objectParams(this, z.array(z.string()), params), separator: '', prefix: '', suffix: '' }
          : objectParams(
              this,
              z.strictObject({ values: z.array(z.string()).default([]), separator: z.string().default(''), prefix: z.string().default(''), suffix: z.string().default('') }),
              params,
            );
    const parts: Template[] = o.values.map((t) => env.compileTemplate(t));
    const fn: ParserFn = (v, scope) => {
      const pieces: string[] = [];
      if (!isEmpty(v)) pieces.push(textOrFail('Concat', v));
      for (const t of parts) {
        const p = t.render(scope);
        if (!isEmpty(p)) pieces.push(textOrFail('Concat', p));
      }
      return pieces.length === 0 ? MISSING : o.prefix + pieces.join(o.separator) + o.suffix;
    };
    return fn;
  },
};
