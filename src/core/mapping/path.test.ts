import { describe, expect, it } from 'vitest';
import { CompileError } from './issues.ts';
import { parseSourcePath, parseTargetPath, readPath, writePath } from './path.ts';
import { MISSING } from './values.ts';

describe('source paths', () => {
  it('parses nested paths, indexes, quoted keys and scope roots', () => {
    expect(parseSourcePath('a.b[2].c').segments).toEqual(['a', 'b', 2, 'c']);
    expect(parseSourcePath(' lines[0].qty ').segments).toEqual(['lines', 0, 'qty']);
    expect(parseSourcePath('a["x.y"][1]').segments).toEqual(['a', 'x.y', 1]);
    expect(parseSourcePath('店铺.名称').segments).toEqual(['店铺', '名称']);
    expect(parseSourcePath('$header.trade_no')).toMatchObject({ root: 'header', segments: ['trade_no'] });
    expect(parseSourcePath('$parent[0]')).toMatchObject({ root: 'parent', segments: [0] });
    expect(parseSourcePath('$index')).toMatchObject({ root: 'index', segments: [] });
  });

  it.each(['', 'a..b', 'a.', '.a', 'a[x]', 'a[1', 'a.[0]', '$nope.x', '$header', '$index.x', 'a]b', 'a[0]b'])('rejects %j', (p) => {
    expect(() => parseSourcePath(p)).toThrow(CompileError);
  });

  it('reads own properties only and tells missing from null', () => {
    const rec = { a: { b: [{ c: 1 }, { c: null }] }, s: 'x' };
    expect(readPath(rec, ['a', 'b', 0, 'c'])).toBe(1);
    expect(readPath(rec, ['a', 'b', 1, 'c'])).toBeNull();
    expect(readPath(rec, ['a', 'b', 2, 'c'])).toBe(MISSING);
    expect(readPath(rec, ['constructor'])).toBe(MISSING);
    expect(readPath(rec, ['__proto__'])).toBe(MISSING);
    expect(readPath(rec, ['s', 'length'])).toBe(MISSING);
    expect(readPath(rec, ['a', 'b', 'length'])).toBe(MISSING);
  });
});

describe('target paths', () => {
  it('builds nested objects from dotted names', () => {
    const out: Record<string, unknown> = {};
    writePath(out, parseTargetPath('FSaleOrgId.FNumber'), '100');
    writePath(out, parseTargetPath('FSaleOrgId.FName'), '销售');
    expect(out).toEqual({ FSaleOrgId: { FNumber: '100', FName: '销售' } });
  });

  it.each(['a..b', '__proto__', 'a.constructor', 'a[0]'])('rejects %j', (p) => {
    expect(() => parseTargetPath(p)).toThrow(CompileError);
  });
});
