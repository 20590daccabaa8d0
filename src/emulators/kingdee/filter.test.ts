import { describe, expect, it } from 'vitest';
import { evaluate, FilterError, indexHint, parseFilter } from './filter.ts';

const rec: Record<string, unknown> = { FNumber: 'C001', FName: "O'Brien 商贸", FQty: 5, FCreateDate: '2026-01-02T10:00:00', FUseOrgId: null };
const get = (k: string) => rec[Object.keys(rec).find((x) => x.toLowerCase() === k.toLowerCase()) ?? k];
const ok = (f: string) => evaluate(parseFilter(f) as NonNullable<ReturnType<typeof parseFilter>>, get);

describe('emulator FilterString', () => {
  it('evaluates the common subset', () => {
    expect(ok("FNumber='C001'")).toBe(true);
    expect(ok("fnumber = 'c001'")).toBe(true); // case-insensitive collation
    expect(ok("FNumber<>'C001'")).toBe(false);
    expect(ok("FName like '%Brien%'")).toBe(true);
    expect(ok("FName like 'O''B%'")).toBe(true);
    expect(ok("FNumber in ('A','C001') and FQty >= 5")).toBe(true);
    expect(ok("FNumber not in ('C001')")).toBe(false);
    expect(ok("(FQty > 10 or FNumber = 'C001') and not FQty < 1")).toBe(true);
    expect(ok("FCreateDate >= '2026-01-02' and FCreateDate < '2026-01-02 10:00:01'")).toBe(true);
    expect(ok('FUseOrgId is null')).toBe(true);
  });

  it('rejects malformed filters', () => {
    expect(() => parseFilter("FNumber = 'x")).toThrow(FilterError);
    expect(() => parseFilter('FNumber = = 1')).toThrow(FilterError);
    expect(() => parseFilter('(FNumber = 1')).toThrow(FilterError);
  });

  it('finds index hints in the top-level AND chain only', () => {
    expect(indexHint(parseFilter("FNumber in ('a','b') and FQty > 1"), 'FNumber')).toEqual(['a', 'b']);
    expect(indexHint(parseFilter("FNumber = 'a' or FQty > 1"), 'FNumber')).toBeUndefined();
  });
});
