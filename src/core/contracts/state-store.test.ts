import { describe, expect, it } from 'vitest';
import { emptyCounts, sumCounts } from './state-store.ts';

describe('sumCounts (a scaled-out run rolls up its partitions)', () => {
  it('adds every count, the optional ones too: duplicates found in two partitions are not dropped', () => {
    const a = { ...emptyCounts(), read: 10, created: 8, rejected: 2, duplicates: 1 };
    const b = { ...emptyCounts(), read: 5, created: 5, incomplete: 1 };
    expect(sumCounts([a, b])).toEqual({ ...emptyCounts(), read: 15, created: 13, rejected: 2, incomplete: 1, duplicates: 1 });
    expect(sumCounts([])).toEqual(emptyCounts());
  });
});
