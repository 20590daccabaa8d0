import type { Transport } from './api-call.ts';
import type { EmulatorState } from './state.ts';
import type { Answer } from './http-util.ts';
import { apiByMethod } from './api-table.ts';
import { json } from './http-util.ts';
import { parseBeijing } from './beijing-time.ts';
import { expectedQimenSign, sameSign } from './sign.ts';

/**
 * Qimen (奇门) transport for the enterprise custom APIs (wdt-api.md §2): router `/router/qm` (and the TOP
 * `/router/rest` spelling), method `wdt.shop.query` or `hu3cgwt0tc.wdt.shop.query`, md5/hmac signs with the
 * caller's app secret, success `{response:{errorcode:0, message, total_count, <listKey>}}`.
 * Gateway refusals: at /router/qm `{response:{flag:'failure', code:'sign-check-failure', message:'Illegal request'}}`,
 * at /router/rest `{error_response:{code:25, msg, sub_code:'isv.sign-check-failure', sub_msg}}` (§2.4).
 * WDT-side errors: `{response:{errorcode:N, code:'N', message}}` with the enterprise codes.
 */

interface GatewayError {
  top: number;
  topMsg: string;
  sub: string;
  message: string;
}

const GATEWAY = {
  missingMethod: { top: 21, topMsg: 'Missing Method', sub: 'missing-method', message: 'method参数缺失' },
  invalidMethod: { top: 22, topMsg: 'Invalid Method', sub: 'invalid-method', message: '不存在的方法名' },
  missingAppKey: { top: 28, topMsg: 'Missing App Key', sub: 'missing-app-key', message: 'app_key参数缺失' },
  invalidAppKey: { top: 29, topMsg: 'Invalid App Key', sub: 'invalid-app-key', message: 'app_key不存在' },
  invalidTarget: { top: 29, topMsg: 'Invalid App Key', sub: 'invalid-target-app-key', message: 'target_app_key错误' },
  missingSign: { top: 30, topMsg: 'Missing Signature', sub: 'missing-signature', message: 'sign参数缺失' },
  missingTimestamp: { top: 31, topMsg: 'Missing Timestamp', sub: 'missing-timestamp', message: 'timestamp参数缺失' },
  invalidTimestamp: { top: 32, topMsg: 'Invalid Timestamp', sub: 'invalid-timestamp', message: 'timestamp错误或已过期' },
  invalidSignMethod: { top: 41, topMsg: 'Invalid Arguments', sub: 'invalid-sign-method', message: '不支持的sign_method' },
  badSign: { top: 25, topMsg: 'Invalid Signature', sub: 'sign-check-failure', message: 'Illegal request' },
} satisfies Record<string, GatewayError>;

/** Qimen timestamps: `yyyy-MM-dd HH:mm:ss` Beijing time, or epoch milliseconds as the TOP Python SDK sends (§2.2). */
function qimenTime(ts: string): number | undefined {
  return /^\d{13}$/.test(ts) ? Number(ts) : parseBeijing(ts);
}

export function qimenTransport(
  state: EmulatorState,
  path: string,
  params: Record<string, string>,
  nonFormBody: string,
): Transport {
  const method = params.method ?? '';
  const api = apiByMethod(method);
  const rest = path === '/router/rest';
  const gateway = (g: GatewayError): Answer =>
    rest
      ? json({ error_response: { code: g.top, msg: g.topMsg, sub_code: `isv.${g.sub}`, sub_msg: g.message } }, g.sub)
      : json({ response: { flag: 'failure', code: g.sub, message: g.message, sub_code: g.sub, sub_message: g.message } }, g.sub);
  const vendorError = (code: number, message: string): Answer =>
    json({ response: { errorcode: code, code: String(code), message } }, String(code));
  return {
    name: 'qimen',
    apiName: api?.method ?? (method || '(no method)'),
    api,
    sid: params.sid,
    params,
    unknownApi: () => gateway(method ? GATEWAY.invalidMethod : GATEWAY.missingMethod),
    verify(): Answer | undefined {
      if (!params.app_key) return gateway(GATEWAY.missingAppKey);
      const app = state.opts.qimenApps.find((a) => a.appKey === params.app_key);
      if (!app) return gateway(GATEWAY.invalidAppKey);
      if (params.target_app_key !== state.opts.targetAppKey) return gateway(GATEWAY.invalidTarget);
      if (!params.sign) return gateway(GATEWAY.missingSign);
      if (!params.timestamp) return gateway(GATEWAY.missingTimestamp);
      const t = qimenTime(params.timestamp);
      if (t === undefined || Math.abs(t - state.opts.now()) > state.opts.timestampSkewMs) return gateway(GATEWAY.invalidTimestamp);
      const signMethod = params.sign_method ?? 'md5';
      const expected = expectedQimenSign(params, app.appSecret, signMethod, nonFormBody);
      if (expected === undefined) return gateway(GATEWAY.invalidSignMethod);
      if (!sameSign(params.sign, expected, true)) return gateway(GATEWAY.badSign);
      if (!params.sid) return vendorError(1, '缺少必要参数: sid');
      if (!state.opts.accounts.some((a) => a.sid === params.sid)) return vendorError(1, `sid不存在: ${params.sid}`);
      return undefined;
    },
    vendorError,
    success: (fields) => json({ response: { errorcode: 0, message: '', ...fields } }),
  };
}
