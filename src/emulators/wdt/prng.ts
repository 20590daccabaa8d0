/**
 * Deterministic, stateless randomness: every generated attribute is a pure function of
 * (seed, record index, attribute salt). That lets the emulator compute any record — or any single
 * attribute used by a filter — on demand, without holding the data set in memory.
 */

/** 32-bit string hash (FNV-1a), used to turn seeds and salts into numbers. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Avalanche mix of three 32-bit integers (murmur3 finaliser applied twice). */
function mix(a: number, b: number, c: number): number {
  let h = (a ^ Math.imul(b, 0x9e3779b1) ^ Math.imul(c, 0x85ebca77)) >>> 0;
  for (let k = 0; k < 2; k++) {
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}

/** A uniform number in [0, 1) for (seed, index, salt). */
export function unit(seed: number, index: number, salt: string): number {
  return mix(seed, index, hashString(salt)) / 0x100000000;
}

/** A uniform integer in [0, n). */
export function intBelow(seed: number, index: number, salt: string, n: number): number {
  return Math.floor(unit(seed, index, salt) * n);
}

export function pick<T>(seed: number, index: number, salt: string, items: readonly T[]): T {
  return items[intBelow(seed, index, salt, items.length)] as T;
}

/** A sequential generator for things that are drawn in order (fault injection), reproducible from a seed. */
export function sequence(seed: number, salt: string): () => number {
  let i = 0;
  return () => unit(seed, i++, salt);
}
