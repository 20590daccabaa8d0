import { closest } from '../../suggest.ts';
import { dateFormat } from './date-format.ts';
import { arrayToString, join, split, stringToArray } from './list.ts';
import { numberParser, round } from './number.ts';
import { convertJson, convertObjectParser } from './object.ts';
import { concat, lowerCase, replace, substring, toStringParser, trim, upperCase } from './text.ts';
import type { ParserDef } from './types.ts';
import { defaultParser, valueMap } from './value-map.ts';

/**
 * The parsers a mapping may name. Nothing registers itself on import: the composition root builds a
 * registry from DEFAULT_PARSERS (plus its own, if any) and hands it to compileMapping.
 */
export const DEFAULT_PARSERS: readonly ParserDef[] = [
  convertObjectParser,
  convertJson,
  stringToArray,
  arrayToString,
  split,
  join,
  dateFormat,
  valueMap,
  defaultParser,
  upperCase,
  lowerCase,
  trim,
  concat,
  substring,
  round,
  numberParser,
  toStringParser,
  replace,
];

export interface ParserRegistry {
  /** By exact name or alias, as written in `parser.name`. */
  get(name: string): ParserDef | undefined;
  /** By a loose word (any case, ignoring `-`, `_` and spaces): the seed's `transformationRule: "uppercase"`. */
  find(word: string): ParserDef | undefined;
  /** Canonical names, in registration order. */
  names(): string[];
  list(): readonly ParserDef[];
  /** The closest canonical name or alias to a misspelt one, for "did you mean …?". */
  suggest(name: string): string | undefined;
}

const loose = (s: string) => s.toLowerCase().replace(/[-_\s]/g, '');

/** Throws on a duplicate name or alias (a programming error in the composition root). */
export function createParserRegistry(defs: readonly ParserDef[] = DEFAULT_PARSERS): ParserRegistry {
  const exact = new Map<string, ParserDef>();
  const byLoose = new Map<string, ParserDef>();
  for (const d of defs) {
    for (const n of [d.name, ...(d.aliases ?? [])]) {
      if (exact.has(n)) throw new Error(`parser name "${n}" registered twice`);
      exact.set(n, d);
      if (!byLoose.has(loose(n))) byLoose.set(loose(n), d);
    }
  }
  const all = [...exact.keys()];
  return {
    get: (name) => exact.get(name),
    find: (word) => exact.get(word) ?? byLoose.get(loose(word)),
    names: () => defs.map((d) => d.name),
    list: () => defs,
    suggest: (name) => closest(name, all),
  };
}

/** `did you mean "ConvertObjectParser"?` for a misspelt parser name, or undefined. For `ferry validate`. */
export function suggestParserName(name: string, registry: ParserRegistry = createParserRegistry()): string | undefined {
  return registry.suggest(name);
}
