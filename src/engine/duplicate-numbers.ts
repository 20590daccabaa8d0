import { hash53, IdentityTable } from './identity-table.ts';

/** Numbers remembered per run: 2^22 slots (55 MB at most, grown as needed), i.e. the first ~2.9M records of a run. */
const MAX_SLOTS = 1 << 22;
const EXAMPLES = 20;

/**
 * Finds source records of one run that map to a target number another source record (another source id)
 * already has: they would end in one target record, the later overwriting the earlier. Remembers each number
 * as a 53-bit hash with a 32-bit hash of its first source id, in a bounded table; past its bound the check
 * stops (and says so in `coveredAll`) rather than grow without end.
 */
export class DuplicateNumbers {
  private readonly table = new IdentityTable(1024, MAX_SLOTS);
  count = 0;
  coveredAll = true;
  /** The first duplicate numbers, with the source ids seen carrying them (the report completes the list). */
  readonly examples = new Map<string, Set<string>>();

  /** True when `number` was already used in this run by a record with another source id. */
  check(number: string, sourceId: string): boolean {
    const key = hash53(number);
    const owner = hash53(sourceId) % 4294967296;
    const was = this.table.get(key);
    if (was === undefined) {
      if (this.table.add(key, owner) === 'full') this.coveredAll = false;
      return false;
    }
    if (was === owner) return false; // the same record read again (an overlap window, a remedy re-read)
    this.count++;
    const ex = this.examples.get(number);
    if (ex) ex.add(sourceId);
    else if (this.examples.size < EXAMPLES) this.examples.set(number, new Set([sourceId]));
    return true;
  }
}
