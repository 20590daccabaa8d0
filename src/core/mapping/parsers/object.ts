import { z } from 'zod';
import { ValueError } from '../issues.ts';
import { MISSING, isEmpty, isPlainObject, showValue } from '../values.ts';
import { badParams, objectParams } from './params.ts';
import type { ParserDef } from './types.ts';

/**
 * ConvertObjectParser: the seed's parser for Kingdee reference fields. Kingdee writes a base-data, org or
 * assistant-data field as an object keyed by the referenced record's number, usually `{"FNumber": "100"}`
 * (kingdee-webapi.md "Reference fields"). An empty or missing value is an error: there is no number to refer to.
 * A list becomes a list of objects (multi-select base data); an object that already has the key passes through.
 */
export const convertObjectParser: ParserDef = {
  name: 'ConvertObjectParser',
  aliases: ['ConvertObject'],
  summary: 'Wraps the value as {"<params>": value} for a Kingdee reference field (default key FNumber).',
  usage: 'the key as text (default "FNumber"), e.g. "FNumber" or {"key": "FNUMBER"}',
  acceptsMissing: true,
  acceptsObjects: true,
  compile(params) {
    let key = 'FNumber';
    if (typeof params === 'string') {
      if (params.trim() === '') throw badParams(this, 'the key must not be empty');
      key = params.trim();
    } else if (params !== undefined && params !== null) {
      key = objectParams(this, z.strictObject({ key: z.string().min(1) }), params).key;
    }
    const wrap = (v: unknown): unknown => {
      if (isEmpty(v))
        throw new ValueError(`ConvertObjectParser needs a value: a Kingdee reference is written as {"${key}": "<number>"}, got ${v === MISSING ? 'no value' : showValue(v)}`, v);
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return { [key]: v };
      if (isPlainObject(v) && Object.hasOwn(v, key)) return v;
      throw new ValueError(`ConvertObjectParser expects a number or code, got ${showValue(v)}`, v);
    };
    return (v) => (Array.isArray(v) ? v.map(wrap) : wrap(v));
  },
};

const MODES = ['auto', 'parse', 'multiLanguage'] as const;
type JsonMode = (typeof MODES)[number];

function isLocaleMap(v: unknown): v is Record<string, unknown> {
  if (!isPlainObject(v)) return false;
  const keys = Object.keys(v);
  return keys.length > 0 && keys.every((k) => /^\d+$/.test(k));
}

/**
 * ConvertJson: JSON text → value, and Kingdee multi-language text. `{"2052": "客户", "1033": "Customer"}` becomes
 * `[{"Key": 2052, "Value": "客户"}, {"Key": 1033, "Value": "Customer"}]` (the `[{Key, Value}]` shape of Kingdee
 * multi-language fields, lcid 2052 = zh-CN, 1033 = en; kingdee-webapi.md). Modes: `auto` (default: parse text,
 * then convert an object whose keys are all locale ids), `parse` (only parse), `multiLanguage` (must be a locale map).
 */
export const convertJson: ParserDef = {
  name: 'ConvertJson',
  aliases: ['ConvertJsonParser', 'ParseJson'],
  summary: 'Parses JSON text; turns {"2052": "…"} into Kingdee multi-language [{"Key": 2052, "Value": "…"}].',
  usage: 'nothing, or a mode "auto" | "parse" | "multiLanguage" (or {"mode": …})',
  acceptsObjects: true,
  compile(params) {
    let mode: JsonMode = 'auto';
    if (typeof params === 'string') {
      if (!(MODES as readonly string[]).includes(params)) throw badParams(this, `unknown mode "${params}"`);
      mode = params as JsonMode;
    } else if (params !== undefined && params !== null) mode = objectParams(this, z.strictObject({ mode: z.enum(MODES) }), params).mode;
    return (v) => {
      if (v === null) return v;
      let parsed: unknown = v;
      if (typeof v === 'string') {
        try {
          parsed = JSON.parse(v) as unknown;
        } catch {
          throw new ValueError(`ConvertJson: ${showValue(v)} is not valid JSON`, v);
        }
      }
      if (mode === 'parse') return parsed;
      if (isLocaleMap(parsed)) {
        const locales = parsed;
        return Object.keys(locales).map((k) => ({ Key: Number(k), Value: locales[k] }));
      }
      if (mode === 'multiLanguage') throw new ValueError(`ConvertJson: ${showValue(v)} is not a multi-language object like {"2052": "…"}`, v);
      return parsed;
    };
  },
};
