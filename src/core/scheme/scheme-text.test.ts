import { describe, expect, it } from 'vitest';
import { findDuplicateKeys } from './json-duplicates.ts';
import { parseSchemeBytes } from './load.ts';
import { decodeSchemeBytes, firstInvalidUtf8, replacementCharProblem } from './utf8.ts';

describe('duplicate keys in a JSON text', () => {
  it('finds a key written twice in one object, escaped spellings included, with both positions', () => {
    const text = '{\n  "a": 1,\n  "b": {"x": [1, {"k": 1, "k": 2}], "x2": "}"},\n  "\\u0061": 3\n}';
    expect(findDuplicateKeys(text)).toEqual([
      { path: ['b', 'x', 1], key: 'k', first: { line: 3, column: 19 }, second: { line: 3, column: 27 } },
      { path: [], key: 'a', first: { line: 2, column: 3 }, second: { line: 4, column: 3 } },
    ]);
  });
  it('does not confuse the same key in sibling objects, or braces and quotes inside strings', () => {
    expect(findDuplicateKeys('[{"a": 1}, {"a": 2}, {"s": "\\"a\\": {"}, {"t": "a", "a": "t"}]')).toEqual([]);
  });
});

describe('scheme file encoding', () => {
  const utf8 = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));
  it('accepts UTF-8 of every length (Chinese, emoji) and a BOM', () => {
    expect(firstInvalidUtf8(utf8('店铺 😀 é a'))).toBe(-1);
    const withBom = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('{"x": 1}')]);
    expect(decodeSchemeBytes(withBom)).toEqual({ ok: true, text: '{"x": 1}' });
  });
  it('gives the offset of the first invalid byte (GBK, overlong, surrogate, truncated, out of range)', () => {
    const at = (prefix: string, bad: number[]) => firstInvalidUtf8(new Uint8Array([...utf8(prefix), ...bad]));
    expect(at('ab', [0xb5, 0xea])).toBe(2); // GBK 店
    expect(at('店', [0xc0, 0x80])).toBe(3);
    expect(at('', [0xed, 0xa0, 0x80])).toBe(0);
    expect(at('x', [0xe5, 0xba])).toBe(1);
    expect(at('', [0xf4, 0x90, 0x80, 0x80])).toBe(0);
    const r = parseSchemeBytes(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('{"name": "'), 0xb5, 0xea, ...utf8('"}')]));
    expect(r.ok ? [] : r.problems.map((p) => p.message)).toEqual([expect.stringMatching(/^not UTF-8: invalid byte at offset 13 \(bytes b5 ea 22 7d\)/)]);
  });
  it('refuses text already decoded with replacement characters, naming the line and column', () => {
    expect(replacementCharProblem('{\n "name": "\uFFFD"}')?.message).toMatch(/line 2, column 11/);
    expect(replacementCharProblem('{"name": "店铺"}')).toBeUndefined();
  });
});
