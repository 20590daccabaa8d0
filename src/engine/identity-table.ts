/**
 * A compact hash map from 53-bit keys to 32-bit values, for remembering record identities over a whole read
 * without holding the identities themselves: 13 bytes a slot (a Float64Array of keys, a Uint32Array of
 * values, 1 of flags), open addressing with linear probing at a load of at most 0.7, grown by doubling up to `maxSlots`. When full it says so (`add` returns
 * 'full') instead of growing further, so memory stays bounded whatever the source's size.
 *
 * Keys are hashes (see `hash53`): two different identities share a key with a probability of about
 * n / 2^53 — 1e-10 for a million records — which is what a caller accepts in exchange for the memory.
 */
export class IdentityTable {
  private keys: Float64Array;
  private values: Uint32Array;
  private used: Uint8Array;
  private count = 0;

  constructor(
    initialSlots = 1024,
    private readonly maxSlots = 1 << 22,
  ) {
    const n = pow2(Math.min(initialSlots, maxSlots));
    this.keys = new Float64Array(n);
    this.values = new Uint32Array(n);
    this.used = new Uint8Array(n);
  }

  get size(): number {
    return this.count;
  }

  /** The value stored for `key`, or undefined. */
  get(key: number): number | undefined {
    const mask = this.keys.length - 1;
    for (let i = slot(key, mask); this.used[i]; i = (i + 1) & mask) if (this.keys[i] === key) return this.values[i];
    return undefined;
  }

  has(key: number): boolean {
    return this.get(key) !== undefined;
  }

  /** Stores `value` under `key` unless the key is there already. 'full' when the table reached its bound. */
  add(key: number, value = 0): 'added' | 'present' | 'full' {
    if (this.has(key)) return 'present';
    if ((this.count + 1) * 10 > this.keys.length * 7) {
      if (this.keys.length >= this.maxSlots) return 'full';
      this.grow();
    }
    this.put(key, value >>> 0);
    this.count++;
    return 'added';
  }

  clear(): void {
    this.used.fill(0);
    this.count = 0;
  }

  private put(key: number, value: number): void {
    const mask = this.keys.length - 1;
    let i = slot(key, mask);
    while (this.used[i]) i = (i + 1) & mask;
    this.used[i] = 1;
    this.keys[i] = key;
    this.values[i] = value;
  }

  private grow(): void {
    const { keys, values, used } = this;
    const n = keys.length * 2;
    this.keys = new Float64Array(n);
    this.values = new Uint32Array(n);
    this.used = new Uint8Array(n);
    for (let i = 0; i < keys.length; i++) if (used[i]) this.put(keys[i]!, values[i]!);
  }
}

function pow2(n: number): number {
  let p = 16;
  while (p < n) p *= 2;
  return p;
}

function slot(key: number, mask: number): number {
  // The low 32 bits of a 53-bit hash are as well mixed as the rest.
  return (key >>> 0) & mask;
}

/** cyrb53: a fast, well-mixed 53-bit string hash (not cryptographic). */
export function hash53(s: string, seed = 0): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}
