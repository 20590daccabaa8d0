import { describe, expect, it } from 'vitest';
import { Dataset, type DatasetDef } from './dataset.ts';
import { formatBeijing, parseBeijing } from './beijing-time.ts';

const T0 = parseBeijing('2025-01-01 00:00:00')!;

function def(count: number): DatasetDef {
  return {
    name: 'things',
    idKey: 'id',
    count,
    baseTime: { modified: (i) => T0 + i * 60_000 },
    generate: (i) => ({ id: i + 1, modified: formatBeijing(T0 + i * 60_000), colour: i % 2 ? 'red' : 'blue' }),
    matchRecord: (r, f) => f.colour === undefined || r.colour === f.colour,
  };
}

describe('emulator Dataset', () => {
  it('serves generated records in modified order and filters lazily', () => {
    const ds = new Dataset(def(10));
    expect([...ds.view({ filters: {} })]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect([...ds.view({ filters: { colour: 'red' } })]).toEqual([1, 3, 5, 7, 9]);
  });

  it('maps a closed time window to its index range', () => {
    const ds = new Dataset(def(10));
    const view = ds.view({ filters: {}, window: { key: 'modified', from: T0 + 2 * 60_000, to: T0 + 5 * 60_000 } });
    expect([...view]).toEqual([2, 3, 4, 5]);
  });

  it('a touched record moves to the end and out of earlier windows', () => {
    const ds = new Dataset(def(10));
    ds.touch(3);
    expect([...ds.view({ filters: {} })]).toEqual([0, 1, 3, 4, 5, 6, 7, 8, 9, 2]);
    expect([...ds.view({ filters: {}, window: { key: 'modified', from: T0, to: T0 + 5 * 60_000 } })]).toEqual([0, 1, 3, 4, 5]);
  });

  it('modified and added records are merged in time order', () => {
    const ds = new Dataset(def(5));
    ds.modify(5, { modified: formatBeijing(T0 + 90_000) }); // between 1 and 2 (0-based)
    const added = ds.add({ modified: formatBeijing(T0 + 30_000), colour: 'red' });
    expect(added.id).toBe(6);
    expect(ds.size).toBe(6);
    expect([...ds.view({ filters: {} })]).toEqual([0, 5, 1, 4, 2, 3]);
    expect(ds.get(4).modified).toBe(formatBeijing(T0 + 90_000));
    expect(ds.modify(99, {})).toBeUndefined();
  });

  it('keeps memory flat for a million records (only the view array is built)', () => {
    const ds = new Dataset(def(1_000_000));
    const view = ds.view({ filters: {} });
    expect(view.length).toBe(1_000_000);
    expect(view).toBeInstanceOf(Int32Array);
    expect(ds.get(999_999).id).toBe(1_000_000);
  });
});
