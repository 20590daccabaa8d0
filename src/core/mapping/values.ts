/**
 * The three "no value" states a mapping keeps apart:
 * - MISSING: the path does not exist in the record (or a template placeholder did not resolve);
 * - null: the record holds an explicit JSON null;
 * - "": the record holds empty text.
 * Templates and parsers see the difference (a `Default` parser can tell them apart in messages), while
 * `default`, `required` and the typed coercions treat all three as "empty" (see field-pipeline.ts).
 */
export const MISSING: unique symbol = Symbol.for('ferry.mapping.missing');
export type Missing = typeof MISSING;

/** Missing, null or empty text. */
export function isEmpty(v: unknown): boolean {
  return v === MISSING || v === null || v === undefined || v === '';
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A short, safe rendering of a value for messages: `"12a"`, `12`, `null`, `an object`, `missing`. */
export function showValue(v: unknown): string {
  if (v === MISSING || v === undefined) return 'missing';
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? v.slice(0, 60) + '…' : v);
  if (v === null || typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `an array (${v.length} item${v.length === 1 ? '' : 's'})`;
  if (typeof v === 'object') {
    let text: string;
    try {
      text = JSON.stringify(v);
    } catch {
      return 'an object';
    }
    return text.length > 60 ? 'an object' : text;
  }
  return typeof v;
}

/** Name of a value's JSON kind, for messages: text, number, boolean, null, array, object. */
export function kindOf(v: unknown): string {
  if (v === MISSING || v === undefined) return 'missing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'string') return 'text';
  return typeof v;
}

/** A value suitable for the record's `value` in an issue (MISSING becomes undefined, so JSON drops it). */
export function issueValue(v: unknown): unknown {
  return v === MISSING ? undefined : v;
}
