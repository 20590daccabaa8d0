import { z } from 'zod';
import { ValueError } from '../issues.ts';
import { cloneJson } from '../template.ts';
import { isEmpty, isPlainObject, showValue } from '../values.ts';
import { badParams, objectParams } from './params.ts';
import type { ParserDef } from './types.ts';

/** A compiled value map: keys are text; numbers and booleans are looked up by their text (1 → "1"). */
export interface ValueMap {
  lookup(v: unknown): unknown;
}

/**
 * Builds a value map. Unmapped values take `fallback` when one is given, else they are an error listing the
 * known keys. `caseInsensitive` compares text keys ignoring case. Objects and arrays cannot be looked up.
 */
export function compileValueMap(
  map: Record<string, unknown>,
  opts: { fallback?: { value: unknown }; caseInsensitive?: boolean; who?: string } = {},
): ValueMap {
  const { fallback, caseInsensitive = false, who = 'value map' } = opts;
  const norm = (k: string) => (caseInsensitive ? k.toLowerCase() : k);
  const table = new Map<string, unknown>();
  for (const k of Object.keys(map)) table.set(norm(k), map[k]);
  const known = Object.keys(map).slice(0, 10).map((k) => JSON.stringify(k)).join(', ') + (Object.keys(map).length > 10 ? ', …' : '');
  return {
    lookup(v) {
      if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean')
        throw new ValueError(`${who}: ${showValue(v)} cannot be looked up (only text, numbers and booleans)`, v);
      const key = norm(String(v));
      if (table.has(key)) return cloneJson(table.get(key));
      if (fallback) return cloneJson(fallback.value);
      throw new ValueError(`${showValue(v)} is not in the ${who} (known: ${known}); add it or set a default`, v);
    },
  };
}

const STRUCTURED_KEYS = new Set(['map', 'default', 'caseInsensitive']);

/** ValueMap parser: `{"map": {"0": "启用", "1": "停用"}, "default"?: …, "caseInsensitive"?: false}` or the map itself. */
export const valueMap: ParserDef = {
  name: 'ValueMap',
  aliases: ['MapValue', 'Mapping'],
  summary: 'Maps values through a table, with an optional default for unmapped values.',
  usage: '{"map": {"0": "启用", "1": "停用"}, "default"?: "…", "caseInsensitive"?: false} or the map object itself',
  compile(params) {
    if (!isPlainObject(params)) throw badParams(this, 'params must be an object');
    const structured = isPlainObject(params.map) && Object.keys(params).every((k) => STRUCTURED_KEYS.has(k));
    if (!structured) return compileLookup(compileValueMap(params, { who: 'ValueMap' }));
    const o = objectParams(this, z.strictObject({ map: z.record(z.string(), z.unknown()), default: z.unknown().optional(), caseInsensitive: z.boolean().default(false) }), params);
    const fallback = Object.hasOwn(params, 'default') ? { value: o.default } : undefined;
    return compileLookup(compileValueMap(o.map, { fallback, caseInsensitive: o.caseInsensitive, who: 'ValueMap' }));
  },
};

function compileLookup(m: ValueMap): (v: unknown) => unknown {
  return (v) => (v === null ? v : m.lookup(v));
}

/**
 * Default: replaces an empty value (missing, null or "") with `params` — any JSON value, or a template
 * over the record such as "{shop_no}".
 */
export const defaultParser: ParserDef = {
  name: 'Default',
  aliases: ['DefaultValue'],
  summary: 'Replaces a missing, null or empty value with params (a literal or a template).',
  usage: 'the default value, e.g. "100" or "{shop_no}"',
  acceptsMissing: true,
  compile(params, env) {
    if (params === undefined) throw badParams(this, 'params (the default value) are required');
    const t = env.compileTemplate(params);
    return (v, scope) => (isEmpty(v) ? t.render(scope) : v);
  },
};
