import type { Transport } from './api-call.ts';
import type { EmulatorState } from './state.ts';
import type { Answer } from './http-util.ts';
import { apiByEndpoint } from './api-table.ts';
import { json } from './http-util.ts';
import { expectedOpenApiSign, sameSign } from './sign.ts';

/**
 * Enterprise open API transport: `/openapi2/<endpoint>.php`, flat params, `LL-key:VVVV-value` md5 sign,
 * 10-digit second timestamp within ±5 min, envelope `{code, message, total_count, <listKey>}` (wdt-api.md §1).
 * Codes for refused calls are the emulator's choice (the reference has none for enterprise, §5):
 * 1 = missing/unknown sid, appkey or bad sign; 7 = timestamp out of window; 100 = application error; 1012 = rate.
 */

export const CODE_AUTH = 1;
export const CODE_TIMESTAMP = 7;

export function openApiTransport(state: EmulatorState, endpoint: string, params: Record<string, string>): Transport {
  const api = apiByEndpoint(endpoint);
  const err = (code: number, message: string): Answer => json({ code, message }, String(code));
  return {
    name: 'openapi',
    apiName: api?.method ?? `${endpoint}.php`,
    api,
    sid: params.sid,
    params,
    unknownApi: () => ({ kind: 'raw', status: 404, body: '<html><body><h1>404 Not Found</h1></body></html>', contentType: 'text/html', code: '404' }),
    verify(): Answer | undefined {
      for (const key of ['sid', 'appkey', 'timestamp', 'sign'])
        if (!params[key]) return err(CODE_AUTH, `缺少必要参数: ${key}`);
      const account = state.opts.accounts.find((a) => a.sid === params.sid);
      if (!account) return err(CODE_AUTH, `sid不存在: ${params.sid}`);
      if (account.appkey !== params.appkey) return err(CODE_AUTH, 'appkey不存在或与卖家账号不匹配');
      const ts = params.timestamp!;
      if (!/^\d{10}$/.test(ts)) return err(CODE_TIMESTAMP, 'timestamp格式错误,应为10位秒级时间戳');
      if (Math.abs(Number(ts) * 1000 - state.opts.now()) > state.opts.timestampSkewMs)
        return err(CODE_TIMESTAMP, 'timestamp错误,与服务器时间相差超过5分钟,请检查本机时间');
      const given = params.sign!;
      const ok =
        sameSign(given, expectedOpenApiSign(params, account.appsecret, 'char'), false) ||
        (state.opts.acceptByteLengthSign && sameSign(given, expectedOpenApiSign(params, account.appsecret, 'byte'), false));
      if (!ok) return err(CODE_AUTH, '签名错误,验证失败,请检查appkey和appsecret');
      return undefined;
    },
    vendorError: err,
    success: (fields) => json({ code: 0, message: '', ...fields }),
  };
}
