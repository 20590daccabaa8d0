import { describe, expect, it } from 'vitest';
import { coerceInt, readOpenApiEnvelope, readQimenEnvelope } from './envelope.ts';

describe('envelopes (wdt-api.md §1.4, §2.4)', () => {
  it('coerces numbers written as strings', () => {
    expect(coerceInt('0')).toBe(0);
    expect(coerceInt(' 12 ')).toBe(12);
    expect(coerceInt(3)).toBe(3);
    expect(coerceInt('1.5')).toBeUndefined();
    expect(coerceInt('abc')).toBeUndefined();
    expect(coerceInt(null)).toBeUndefined();
  });

  it('enterprise: code 0 (number or text) is success, anything else a failure', () => {
    expect(readOpenApiEnvelope({ code: '0', total_count: '1', shoplist: [] })).toMatchObject({ kind: 'ok' });
    expect(readOpenApiEnvelope({ code: 0 })).toMatchObject({ kind: 'ok' });
    expect(readOpenApiEnvelope({ code: 1012, message: '超过频率' })).toEqual({
      kind: 'failure',
      failure: { origin: 'wdt', code: '1012', message: '超过频率' },
    });
    expect(readOpenApiEnvelope({ message: 'x' })).toMatchObject({ kind: 'bad' });
    expect(readOpenApiEnvelope([1, 2])).toMatchObject({ kind: 'bad' });
  });

  it('Qimen: errorcode decides; gateway flag and TOP error_response are failures', () => {
    expect(readQimenEnvelope({ response: { errorcode: 0, total_count: 2, shoplist: [] } })).toMatchObject({ kind: 'ok' });
    expect(readQimenEnvelope({ response: { errorcode: '0' } })).toMatchObject({ kind: 'ok' });
    expect(readQimenEnvelope({ response: { errorcode: 100, message: '参数错误' } })).toMatchObject({
      kind: 'failure',
      failure: { origin: 'wdt', code: '100', message: '参数错误' },
    });
    expect(readQimenEnvelope({ response: { flag: 'failure', code: 'sign-check-failure', message: 'Illegal request' } })).toMatchObject({
      kind: 'failure',
      failure: { origin: 'gateway', code: 'sign-check-failure' },
    });
    expect(
      readQimenEnvelope({ error_response: { code: 25, msg: 'Invalid signature', sub_code: 'isv.sign-check-failure', sub_msg: 'Illegal request' } }),
    ).toEqual({
      kind: 'failure',
      failure: { origin: 'gateway', code: '25', message: 'Invalid signature', subCode: 'isv.sign-check-failure', subMessage: 'Illegal request' },
    });
    expect(readQimenEnvelope({ wdt_shop_query_response: { errorcode: 0, shoplist: [] } })).toMatchObject({ kind: 'ok' });
    expect(readQimenEnvelope({ response: { total_count: 1 } })).toMatchObject({ kind: 'bad' });
    expect(readQimenEnvelope({ shoplist: [] })).toMatchObject({ kind: 'bad' });
  });
});
