import { resolveFieldType, type FieldType } from '../scheme/field.ts';
import { formatDate, formatDateTime, parseTime, wallIn, type Zone } from './datetime.ts';
import { ValueError } from './issues.ts';
import { toNumber } from './numbers.ts';
import { MISSING, isPlainObject, showValue } from './values.ts';

/**
 * Coercion of a rendered value to the field's `type` (before its parsers run: in the seed,
 * FCreateOrgId is `type: string` and its ConvertObjectParser then wraps the text).
 *
 * - MISSING and null pass through unchanged for every type.
 * - Empty text is "no value" (MISSING) for every type but string: WDT sends "" for absent numbers/dates.
 * - string: text, and numbers and booleans as written. An object or an array is refused (the record is rejected with
 *   the field's path and the value's kind) — unless the field's first parser takes objects (ToString, ConvertJson,
 *   ConvertObjectParser), which then decides; or convert it explicitly in an expression (`$string(x)`).
 * - int / number: numbers or numeric text (`"12"`, `" 3.5 "`, `"1e3"`); int refuses fractions and unsafe integers.
 * - bool: true/false, "true"/"false" (any case), 1/0, "1"/"0", "是"/"否".
 * - date → `YYYY-MM-DD`, datetime → `YYYY-MM-DD HH:mm:ss`, in the mapping's zone (datetime.ts explains inputs).
 * - object / array: the value itself, or JSON text of that kind.
 */
export type Coercer = (v: unknown) => unknown;

/** Canonical type for a user's spelling (case-insensitive, aliases from field.ts), or undefined. */
export const resolveType = resolveFieldType;

const TRUE_TEXT = new Set(['true', '1', '是']);
const FALSE_TEXT = new Set(['false', '0', '否']);

function toBool(v: unknown): unknown {
  if (typeof v === 'boolean') return v;
  if (v === 1 || v === 0) return v === 1;
  if (typeof v === 'string') {
    const s = v.trim().toLowerCase();
    if (TRUE_TEXT.has(s)) return true;
    if (FALSE_TEXT.has(s)) return false;
  }
  throw new ValueError(`${showValue(v)} is not a boolean (use true/false, 1/0 or 是/否)`, v);
}

function toInt(v: unknown): unknown {
  const n = toNumber(v);
  if (n === undefined) throw new ValueError(`${showValue(v)} is not a number`, v);
  if (!Number.isInteger(n)) throw new ValueError(`${showValue(v)} is not a whole number`, v);
  if (!Number.isSafeInteger(n)) throw new ValueError(`${showValue(v)} is too large for an exact integer (keep it as type string)`, v);
  return n;
}

function toNum(v: unknown): unknown {
  const n = toNumber(v);
  if (n === undefined) throw new ValueError(`${showValue(v)} is not a number`, v);
  return n;
}

/** `an object ({"no":"HS00005"})`, `an array (2 items)`: the value's kind first, for type errors. */
export function kindAndValue(v: unknown): string {
  if (Array.isArray(v)) return showValue(v);
  const shown = showValue(v);
  return shown === 'an object' ? shown : `an object (${shown})`;
}

export interface StringCoercion {
  /** The field's first parser takes objects and arrays: pass them to it unchanged. */
  objectsPass?: boolean;
  /** Where the value comes from (`{shop_no}`), for messages. */
  from?: string;
}

function textCoercer(o: StringCoercion): Coercer {
  return (v) => {
    if (v === MISSING || v === null || typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    if (o.objectsPass && typeof v === 'object') return v;
    throw new ValueError(
      `a string field takes text, a number or a boolean, got ${kindAndValue(v)}${o.from !== undefined ? ` from ${o.from}` : ''}; ` +
        'convert it explicitly (an expression, or a parser that takes objects: ToString, ConvertJson, ConvertObjectParser)',
      v,
    );
  };
}

function parseJsonText(v: string): unknown {
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return undefined;
  }
}

function toObject(v: unknown): unknown {
  if (isPlainObject(v)) return v;
  if (typeof v === 'string') {
    const parsed = parseJsonText(v);
    if (isPlainObject(parsed)) return parsed;
  }
  throw new ValueError(`${showValue(v)} is not an object`, v);
}

function toArray(v: unknown): unknown {
  if (Array.isArray(v)) return v;
  if (typeof v === 'string') {
    const parsed = parseJsonText(v);
    if (Array.isArray(parsed)) return parsed;
  }
  throw new ValueError(`${showValue(v)} is not an array (to split text use the StringToArray parser)`, v);
}

function timeCoercer(zone: Zone, withTime: boolean): Coercer {
  return (v) => {
    const p = parseTime(v);
    if (p === 'empty') return MISSING;
    if (p === undefined)
      throw new ValueError(
        `${showValue(v)} is not a ${withTime ? 'date-time' : 'date'} (expected yyyy-MM-dd${withTime ? ' HH:mm:ss' : ''}, ISO 8601 or epoch seconds/milliseconds)`,
        v,
      );
    const w = wallIn(p, zone, zone);
    return withTime ? formatDateTime(w) : formatDate(w);
  };
}

/** The coercer for a canonical type. Empty text becomes MISSING except for strings. */
export function coercerFor(type: FieldType, zone: Zone, text: StringCoercion = {}): Coercer {
  if (type === 'string') return textCoercer(text);
  const inner: Coercer =
    type === 'int'
      ? toInt
      : type === 'number'
        ? toNum
        : type === 'bool'
          ? toBool
          : type === 'object'
            ? toObject
            : type === 'array'
              ? toArray
              : timeCoercer(zone, type === 'datetime');
  return (v) => {
    if (v === MISSING || v === null) return v;
    if (typeof v === 'string' && v.trim() === '') return MISSING;
    return inner(v);
  };
}
