import { z } from 'zod';
import { ValueError } from '../issues.ts';
import { MISSING, isPlainObject, showValue } from '../values.ts';
import { objectParams } from './params.ts';
import type { ParserDef } from './types.ts';

/**
 * Text ↔ list. StringToArray/Split cut text at `separator` (default ","), trim the items and drop empty
 * ones (both on by default); Split can also pick one item by `index` (missing when out of range).
 * ArrayToString/Join join scalar items (null as empty text); objects inside the list are an error.
 */

const splitShape = {
  separator: z.string().min(1).default(','),
  trim: z.boolean().default(true),
  dropEmpty: z.boolean().default(true),
};

function splitParser(name: string, aliases: string[], withIndex: boolean): ParserDef {
  return {
    name,
    aliases,
    summary: withIndex ? 'Splits text into a list, or picks one item with "index".' : 'Splits text into a list at a separator (default ",").',
    usage: withIndex
      ? 'a separator like ",", or {"separator": ",", "trim"?: true, "dropEmpty"?: true, "index"?: 0}'
      : 'a separator like ",", or {"separator": ",", "trim"?: true, "dropEmpty"?: true}',
    compile(params) {
      const schema = withIndex ? z.strictObject({ ...splitShape, index: z.number().int().optional() }) : z.strictObject(splitShape);
      const o: { separator: string; trim: boolean; dropEmpty: boolean; index?: number } =
        typeof params === 'string' && params !== ''
          ? { separator: params, trim: true, dropEmpty: true }
          : objectParams(this, schema, params ?? {});
      return (v) => {
        if (v === null) return v;
        let items: unknown[];
        if (Array.isArray(v)) items = v;
        else if (typeof v === 'string' || typeof v === 'number') {
          items = String(v).split(o.separator);
          if (o.trim) items = items.map((s) => (s as string).trim());
          if (o.dropEmpty) items = items.filter((s) => s !== '');
        } else throw new ValueError(`${name} expects text, got ${showValue(v)}`, v);
        if (o.index === undefined) return items;
        const at = o.index < 0 ? items.length + o.index : o.index;
        return at >= 0 && at < items.length ? items[at] : MISSING;
      };
    },
  };
}

function joinParser(name: string, aliases: string[]): ParserDef {
  return {
    name,
    aliases,
    summary: 'Joins a list into text with a separator (default ",").',
    usage: 'a separator like ",", or {"separator": ","}',
    compile(params) {
      const sep = typeof params === 'string' ? params : objectParams(this, z.strictObject({ separator: z.string().default(',') }), params ?? {}).separator;
      return (v) => {
        if (!Array.isArray(v)) {
          if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
          throw new ValueError(`${name} expects a list, got ${showValue(v)}`, v);
        }
        return v
          .map((item) => {
            if (item === null || item === undefined) return '';
            if (Array.isArray(item) || isPlainObject(item)) throw new ValueError(`${name} can only join text and numbers, found ${showValue(item)}`, v);
            return String(item);
          })
          .join(sep);
      };
    },
  };
}

export const stringToArray = splitParser('StringToArray', ['StringToArrayParser'], false);
export const split = splitParser('Split', [], true);
export const arrayToString = joinParser('ArrayToString', ['ArrayToStringParser']);
export const join = joinParser('Join', []);
