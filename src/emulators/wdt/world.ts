import { intBelow, pick } from './prng.ts';
import { GIVEN_NAMES, SURNAMES } from './china-data.ts';

/** What every generator shares: the seed, the sizes and the time axis of generated data. */
export interface World {
  seed: number;
  shops: number;
  trades: number;
  stockouts: number;
  dataStartMs: number;
  dataSpanMs: number;
  orgNumbers: string[];
}

/** Base time of record i of n, spread evenly over the span, whole seconds, non-decreasing in i. */
export function spreadTime(world: World, i: number, n: number): number {
  const step = world.dataSpanMs / Math.max(1, n);
  return world.dataStartMs + Math.floor((i * step) / 1000) * 1000;
}

export function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

export function personName(seed: number, i: number, salt: string): string {
  return pick(seed, i, `${salt}.sur`, SURNAMES) + pick(seed, i, `${salt}.given`, GIVEN_NAMES) + (intBelow(seed, i, `${salt}.two`, 2) ? pick(seed, i, `${salt}.given2`, GIVEN_NAMES) : '');
}

export function mobile(seed: number, i: number, salt: string): string {
  return `1${pick(seed, i, `${salt}.p`, ['3', '5', '7', '8'])}${pad(intBelow(seed, i, `${salt}.n`, 1e9), 9)}`;
}

/** Money with two decimals, as a number. */
export function money(n: number): number {
  return Math.round(n * 100) / 100;
}
