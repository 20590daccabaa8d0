import { z } from 'zod';
import { ValueError } from '../issues.ts';
import { ROUND_MODES, roundDecimal, toNumber, type RoundMode } from '../numbers.ts';
import { showValue } from '../values.ts';
import { noParams, objectParams } from './params.ts';
import type { ParserDef } from './types.ts';

/** Round: decimal-exact (numbers.ts), numeric text accepted, result is a number. */
export const round: ParserDef = {
  name: 'Round',
  summary: 'Rounds to "digits" decimals (default 0) with a mode (default half-up, 四舍五入).',
  usage: `a digit count like 2, or {"digits": 2, "mode"?: ${ROUND_MODES.map((m) => `"${m}"`).join(' | ')}}`,
  compile(params) {
    const digitsSchema = z.number().int().min(0).max(15);
    let digits = 0;
    let mode: RoundMode = 'half-up';
    const shorthand = typeof params === 'number' || (typeof params === 'string' && /^\d+$/.test(params)) ? Number(params) : undefined;
    if (shorthand !== undefined) digits = objectParams(this, digitsSchema, shorthand);
    else if (params !== undefined && params !== null)
      ({ digits, mode } = objectParams(this, z.strictObject({ digits: digitsSchema.default(0), mode: z.enum(ROUND_MODES).default('half-up') }), params));
    return (v) => {
      if (v === null) return v;
      const n = toNumber(v);
      if (n === undefined) throw new ValueError(`Round: ${showValue(v)} is not a number`, v);
      return roundDecimal(n, digits, mode);
    };
  },
};

/** Number: numeric text → number (strict: `"12a"` is an error, no thousands separators). */
export const numberParser: ParserDef = {
  name: 'Number',
  aliases: ['ToNumber'],
  summary: 'Turns numeric text into a number.',
  usage: 'no params',
  compile(params) {
    noParams(this, params);
    return (v) => {
      if (v === null) return v;
      const n = toNumber(v);
      if (n === undefined) throw new ValueError(`Number: ${showValue(v)} is not a number`, v);
      return n;
    };
  },
};
