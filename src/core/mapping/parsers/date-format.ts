import { z } from 'zod';
import { formatOffset, instantOf, pad2, parseTime, parseZone, wallIn, type WallTime, type Zone } from '../datetime.ts';
import { CompileError, ValueError } from '../issues.ts';
import { MISSING, showValue } from '../values.ts';
import { badParams, objectParams } from './params.ts';
import type { ParserDef } from './types.ts';

/**
 * DateFormat: reads any date/time the mapping understands (datetime.ts) and writes it with a pattern.
 * Tokens (Java and dayjs spellings both work): yyyy/YYYY, yy/YY, MM, M, dd/DD, d/D, HH, H, mm, m, ss, s, SSS,
 * Z (+08:00), ZZ (+0800); text in '…' or […] is literal, other characters (including Chinese) are literal.
 * Whole-pattern names: `x` epoch milliseconds (a number), `X` epoch seconds (a number), `iso`
 * (`YYYY-MM-DDTHH:mm:ssZ`), `date`, `datetime`. `from` is the zone of text without an offset, `to` the zone
 * written; both default to the mapping's zone (+08:00).
 */

type Emit = (w: WallTime, offset: () => number) => string;

const TOKEN_RE = /'([^']*)'|\[([^\]]*)\]|yyyy|YYYY|yy|YY|MM|M|dd|DD|d|D|HH|H|mm|m|ss|s|SSS|ZZ|Z/g;

const TOKENS: Record<string, Emit> = {
  yyyy: (w) => String(w.y).padStart(4, '0'),
  yy: (w) => pad2(w.y % 100),
  MM: (w) => pad2(w.mo),
  M: (w) => String(w.mo),
  dd: (w) => pad2(w.d),
  d: (w) => String(w.d),
  HH: (w) => pad2(w.h),
  H: (w) => String(w.h),
  mm: (w) => pad2(w.mi),
  m: (w) => String(w.mi),
  ss: (w) => pad2(w.s),
  s: (w) => String(w.s),
  SSS: (w) => String(w.ms).padStart(3, '0'),
  Z: (_w, off) => formatOffset(off()),
  ZZ: (_w, off) => formatOffset(off(), false),
};
TOKENS.YYYY = TOKENS.yyyy!;
TOKENS.YY = TOKENS.yy!;
TOKENS.DD = TOKENS.dd!;
TOKENS.D = TOKENS.d!;

const NAMED: Record<string, string> = { iso: "YYYY-MM-DD'T'HH:mm:ssZ", date: 'YYYY-MM-DD', datetime: 'YYYY-MM-DD HH:mm:ss' };

/** Compiles a pattern into emitters (once). */
export function compileDatePattern(pattern: string): { emits: Emit[]; usesOffset: boolean } {
  const src = NAMED[pattern] ?? pattern;
  const emits: Emit[] = [];
  let last = 0;
  let usesOffset = false;
  let hasToken = false;
  for (const m of src.matchAll(TOKEN_RE)) {
    if (m.index > last) {
      const lit = src.slice(last, m.index);
      emits.push(() => lit);
    }
    const literal = m[1] ?? m[2];
    if (literal !== undefined) emits.push(() => literal);
    else {
      if (m[0].startsWith('Z')) usesOffset = true;
      hasToken = true;
      emits.push(TOKENS[m[0]]!);
    }
    last = m.index + m[0].length;
  }
  if (last < src.length) {
    const lit = src.slice(last);
    emits.push(() => lit);
  }
  if (!hasToken)
    throw new CompileError(`date pattern "${pattern}" has no date or time tokens (e.g. yyyy-MM-dd HH:mm:ss)`);
  return { emits, usesOffset };
}

function zoneParam(def: ParserDef, spec: string | undefined, fallback: Zone, key: string): Zone {
  if (spec === undefined) return fallback;
  try {
    return parseZone(spec);
  } catch (e) {
    if (e instanceof CompileError) throw badParams(def, e.message, `.${key}`);
    throw e;
  }
}

export const dateFormat: ParserDef = {
  name: 'DateFormat',
  aliases: ['DateFormatParser', 'FormatDate'],
  summary: 'Formats a date/time with a pattern such as "yyyy-MM-dd", with explicit from/to zones.',
  usage: 'a pattern like "yyyy-MM-dd HH:mm:ss", or {"format": "…", "from"?: "+08:00", "to"?: "+08:00"}',
  compile(params, env) {
    const o =
      typeof params === 'string' ? { format: params, from: undefined, to: undefined } : objectParams(this, z.strictObject({ format: z.string().min(1), from: z.string().optional(), to: z.string().optional() }), params);
    const from = zoneParam(this, o.from, env.zone, 'from');
    const to = zoneParam(this, o.to, env.zone, 'to');
    const epochUnit = o.format === 'x' ? 1 : o.format === 'X' ? 1000 : 0;
    let compiled: ReturnType<typeof compileDatePattern> | undefined;
    if (!epochUnit) {
      try {
        compiled = compileDatePattern(o.format);
      } catch (e) {
        if (e instanceof CompileError) throw badParams(this, e.message, typeof params === 'string' ? '' : '.format');
        throw e;
      }
    }
    return (v) => {
      if (v === null) return v;
      const p = parseTime(v);
      if (p === 'empty') return MISSING;
      if (p === undefined) throw new ValueError(`DateFormat: ${showValue(v)} is not a date or time`, v);
      if (epochUnit) return Math.floor(instantOf(p, from) / epochUnit);
      const w = wallIn(p, from, to);
      const offset = () => to.offsetAt(instantOf(p, from));
      let out = '';
      for (const e of compiled!.emits) out += e(w, offset);
      return out;
    };
  },
};
