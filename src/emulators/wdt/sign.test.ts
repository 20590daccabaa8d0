import { describe, expect, it } from 'vitest';
import { expectedOpenApiSign, expectedQimenSign } from './sign.ts';

/** The emulator's own checks reproduce the reference vectors (wdt-api.md §1.3, §2.3). */
describe('emulator signature checks', () => {
  it('enterprise: published vector and the char/byte readings', () => {
    const p = { appkey: 'test2-xx', page_no: '0', end_time: '2016-08-01 13:00:00', start_time: '2016-08-01 12:00:00', page_size: '40', sid: 'test2', timestamp: '1470042310' };
    expect(expectedOpenApiSign(p, '12345', 'char')).toBe('ad4e6fe037ea6e3ba4768317be9d1309');
    const cn = { sid: 'apidevnew2', appkey: 'test-key', timestamp: '1700000000', shop_no: '店铺01', page_no: '0', page_size: '40' };
    expect(expectedOpenApiSign(cn, 'secret', 'char')).toBe('e57652bf1c74bf1bd4b706c0d4291e7d');
    expect(expectedOpenApiSign(cn, 'secret', 'byte')).toBe('e7efeecd66220e4ffb4b9515ab1d2017');
  });

  it('Qimen md5 and hmac', () => {
    const p = { method: 'wdt.shop.query', app_key: '12345678', target_app_key: '21363512', sid: 'apidevnew2', format: 'json', v: '2.0', sign_method: 'md5', timestamp: '2024-01-01 12:00:00', page_no: '0', page_size: '40' };
    expect(expectedQimenSign(p, 'test', 'md5', '')).toBe('526B18E946BB5001BF96BA85C9EF5681');
    expect(expectedQimenSign({ ...p, sign_method: 'hmac' }, 'test', 'hmac', '')).toBe('4DE33C331EF9218D855AE4CBBAE00111');
    expect(expectedQimenSign(p, 'test', 'sha1', '')).toBeUndefined();
  });
});
