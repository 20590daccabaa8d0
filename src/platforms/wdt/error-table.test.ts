import { describe, expect, it } from 'vitest';
import type { VendorFailure } from './envelope.ts';
import { errorForBadResponse, errorForHttpStatus, errorForMalformedJson, errorForNoAnswer, errorForVendor } from './error-table.ts';

const where = { prefix: "WDT connection 'wdt' wdt.shop.query page 3", rateLimitRetryMs: 31_000 };
const wdt = (code: string, message: string): VendorFailure => ({ origin: 'wdt', code, message });
const gw = (code: string, message: string, subCode?: string): VendorFailure => ({ origin: 'gateway', code, message, ...(subCode ? { subCode } : {}) });

describe('WDT error table', () => {
  it.each([
    [wdt('1012', '调用太频繁'), 'retry_after', 'rate_limit'],
    [wdt('100', '超过每分钟最大调用频率限制,请稍后重试'), 'retry_after', 'rate_limit'],
    [gw('7', 'App Call Limited'), 'retry_after', 'rate_limit'],
    [wdt('1', '签名错误,验证失败,请检查appkey和appsecret'), 'fail_run', 'auth'],
    [gw('sign-check-failure', 'Illegal request'), 'fail_run', 'auth'],
    [gw('25', 'Invalid signature', 'isv.sign-check-failure'), 'fail_run', 'auth'],
    [wdt('1', 'sid不存在: x'), 'fail_run', 'auth'],
    [gw('invalid-app-key', 'app_key不存在'), 'fail_run', 'auth'],
    [wdt('7', 'timestamp错误'), 'fail_run', 'auth'],
    [wdt('100', '您的查询时间过宽,查询时间不能大于60分钟'), 'fail_run', 'bad_request'],
    [wdt('100', 'page_size超出范围,取值范围1-100: 500'), 'fail_run', 'bad_request'],
    [gw('invalid-method', '不存在的方法名'), 'fail_run', 'bad_request'],
    [wdt('5', '数据库错误'), 'retry', 'vendor_unavailable'],
    [gw('15', 'Remote service error', 'isp.remote-service-error'), 'retry', 'vendor_unavailable'],
    [wdt('4242', '未知'), 'fail_run', 'vendor'],
  ] as const)('%o → %s/%s', (failure, action, kind) => {
    const e = errorForVendor(failure, where);
    expect(e.action).toBe(action);
    expect(e.kind).toBe(kind);
    expect(e.message.startsWith(`${where.prefix}: `)).toBe(true);
    expect(e.message).toContain(failure.message);
    expect(e.remote?.code).toContain(failure.code);
    expect(e.remote?.detail).toContain(failure.message);
  });

  it('rate limit carries the wait', () => {
    expect(errorForVendor(wdt('1012', 'x'), where).retryAfterMs).toBe(31_000);
    expect(errorForVendor(wdt('1', '签名错误'), where).retryAfterMs).toBeUndefined();
  });

  it('maps HTTP failures', () => {
    expect(errorForHttpStatus(502, '<html>', where)).toMatchObject({ action: 'retry', kind: 'http', remote: { status: 502 } });
    expect(errorForHttpStatus(500, '', where).action).toBe('retry');
    expect(errorForHttpStatus(429, '', where, 2000)).toMatchObject({ action: 'retry_after', retryAfterMs: 2000 });
    expect(errorForHttpStatus(429, '', where).retryAfterMs).toBe(31_000);
    expect(errorForHttpStatus(403, '', where)).toMatchObject({ action: 'fail_run', kind: 'auth' });
    expect(errorForHttpStatus(404, '', where)).toMatchObject({ action: 'fail_run', kind: 'config' });
    expect(errorForHttpStatus(400, '', where).action).toBe('fail_run');
  });

  it('no answer and a body that is not JSON retry; a JSON answer of the wrong shape fails the run', () => {
    expect(errorForNoAnswer(true, 'aborted', where, 5000)).toMatchObject({ kind: 'timeout', action: 'retry' });
    expect(errorForNoAnswer(false, 'ECONNRESET', where, 5000)).toMatchObject({ kind: 'network', action: 'retry' });
    expect(errorForNoAnswer(false, 'ECONNRESET', where, 5000).message).toContain('ECONNRESET');
    expect(errorForMalformedJson('not JSON', where, 200, '{"code":0,')).toMatchObject({ kind: 'bad_response', action: 'retry', remote: { status: 200 } });
    const bad = errorForBadResponse('`shoplist` is string, not a list', where, 200);
    expect(bad).toMatchObject({ kind: 'bad_response', action: 'fail_run' });
    expect(bad.message).toContain("WDT connection 'wdt' wdt.shop.query page 3");
  });
});
