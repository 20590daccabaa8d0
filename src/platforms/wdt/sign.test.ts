import { describe, expect, it } from 'vitest';
import { packOpenApiParams, signOpenApi, signQimen } from './sign.ts';

describe('enterprise sign (wdt-api.md §1.3)', () => {
  it('reproduces the published test vector', () => {
    const params = {
      appkey: 'test2-xx',
      page_no: '0',
      end_time: '2016-08-01 13:00:00',
      start_time: '2016-08-01 12:00:00',
      page_size: '40',
      sid: 'test2',
      timestamp: '1470042310',
    };
    expect(packOpenApiParams(params).startsWith('06-appkey:0008-test2-xx;08-end_time:0019-2016-08-01 13:00:00;')).toBe(true);
    expect(packOpenApiParams(params).endsWith(';09-timestamp:0010-1470042310')).toBe(true);
    expect(signOpenApi(params, '12345')).toBe('ad4e6fe037ea6e3ba4768317be9d1309');
  });

  it('ignores an existing sign param', () => {
    const params = { sid: 'test2', appkey: 'test2-xx', timestamp: '1470042310' };
    expect(signOpenApi({ ...params, sign: 'whatever' }, 's')).toBe(signOpenApi(params, 's'));
  });

  const chinese = { sid: 'apidevnew2', appkey: 'test-key', timestamp: '1700000000', shop_no: '店铺01', page_no: '0', page_size: '40' };

  it('counts characters by default (Chinese value)', () => {
    expect(packOpenApiParams(chinese)).toContain('07-shop_no:0004-店铺01');
    expect(signOpenApi(chinese, 'secret')).toBe('e57652bf1c74bf1bd4b706c0d4291e7d');
  });

  it('counts bytes when asked, giving the other reading', () => {
    expect(packOpenApiParams(chinese, 'byte')).toContain('07-shop_no:0008-店铺01');
    expect(signOpenApi(chinese, 'secret', 'byte')).toBe('e7efeecd66220e4ffb4b9515ab1d2017');
  });

  it('pads lengths but never truncates them', () => {
    const long = 'x'.repeat(12_345);
    expect(packOpenApiParams({ trade_list: long })).toBe(`10-trade_list:12345-${long}`);
  });
});

describe('Qimen sign (wdt-api.md §2.3)', () => {
  const params = {
    method: 'wdt.shop.query',
    app_key: '12345678',
    target_app_key: '21363512',
    sid: 'apidevnew2',
    format: 'json',
    v: '2.0',
    sign_method: 'md5',
    timestamp: '2024-01-01 12:00:00',
    page_no: '0',
    page_size: '40',
  };

  it('md5 vector', () => {
    expect(signQimen(params, 'test', 'md5')).toBe('526B18E946BB5001BF96BA85C9EF5681');
  });

  it('hmac vector', () => {
    expect(signQimen({ ...params, sign_method: 'hmac' }, 'test', 'hmac')).toBe('4DE33C331EF9218D855AE4CBBAE00111');
  });

  it('signs Chinese values as UTF-8 and skips empty values', () => {
    const a = signQimen({ ...params, shop_no: '店铺01' }, 'test', 'md5');
    expect(a).toMatch(/^[0-9A-F]{32}$/);
    expect(a).not.toBe(signQimen(params, 'test', 'md5'));
    expect(signQimen({ ...params, platform: '' }, 'test', 'md5')).toBe('526B18E946BB5001BF96BA85C9EF5681');
  });
});
