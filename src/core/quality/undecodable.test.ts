import { describe, expect, it } from 'vitest';
import { undecodablePath } from './undecodable.ts';

describe('undecodablePath', () => {
  it('finds U+FFFD in values and keys, nested in objects and arrays, and says nothing of clean records', () => {
    expect(undecodablePath({ shop_no: 'HS1', shop_name: '\uFFFD\uFFFD店' })).toBe('shop_name');
    expect(undecodablePath({ goods_list: [{ name: 'ok' }, { name: 'x\uFFFD' }] })).toBe('goods_list[1].name');
    expect(undecodablePath({ a: { ['k\uFFFD']: 1 } })).toBe('a.k\uFFFD');
    expect(undecodablePath({ shop_name: '测试对象1', n: 1, b: true, z: null, list: ['a'] })).toBeUndefined();
  });
});
