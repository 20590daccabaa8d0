import type { ErrorAction, FerryError } from '../../core/errors.ts';
import type { VendorFailure } from './envelope.ts';

/**
 * The one table mapping WDT answers to what the engine does (wdt-api.md §5, §2.4).
 *
 * The reference has no official enterprise codes except 1012 (rate limit), so the table matches codes
 * where they are known and the vendor's words where they are not (qjb-style messages: 签名, 时间过宽, …).
 * Unknown codes fail the run: retrying an error nobody understands only repeats it.
 *
 * Every message starts with where it happened — "WDT connection 'wdt' wdt.shop.query page 3: " — and ends
 * with the next step for the person reading it. Messages are built from redacted text only.
 */

export interface Where {
  /** `WDT connection 'wdt' wdt.shop.query page 3` */
  prefix: string;
  rateLimitRetryMs: number;
}

interface Rule {
  name: string;
  matches(f: VendorFailure): boolean;
  kind: string;
  action: ErrorAction;
  hint: string;
}

const codeIs = (f: VendorFailure, ...codes: string[]) => codes.includes(f.code.trim());
const says = (f: VendorFailure, re: RegExp) => re.test(`${f.code} ${f.subCode ?? ''} ${f.message} ${f.subMessage ?? ''}`);

export const VENDOR_RULES: readonly Rule[] = [
  {
    name: 'rate limit',
    // 1012 = call rate exceeded (§5); TOP 7 = App Call Limited; qjb sends status 100 with "超过…频率".
    matches: (f) =>
      (f.origin === 'wdt' && codeIs(f, '1012')) ||
      (f.origin === 'gateway' && codeIs(f, '7')) ||
      says(f, /频率|频繁|限流|call.?limit|accesscontrol\.limited|too many/i),
    kind: 'rate_limit',
    action: 'retry_after',
    hint: 'the call rate of this seller account is exceeded; waiting before the next call',
  },
  {
    name: 'clock',
    // Enterprise ±5 min window (§1.2); qjb 7 = timestamp error; TOP 31/32 = missing/invalid timestamp.
    matches: (f) =>
      (f.origin === 'wdt' && codeIs(f, '7')) || (f.origin === 'gateway' && codeIs(f, '31', '32')) || says(f, /timestamp|时间戳/i),
    kind: 'auth',
    action: 'fail_run',
    hint: 'the request timestamp was refused; check that this machine\'s clock is correct (the vendor allows ±5 minutes)',
  },
  {
    name: 'signature',
    // TOP 25 / sign-check-failure "Illegal request" (§2.4); qjb 验证失败.
    matches: (f) => (f.origin === 'gateway' && codeIs(f, '25')) || says(f, /\bsign\b|signature|sign-check|签名|验证失败|illegal request/i),
    kind: 'auth',
    action: 'fail_run',
    hint: 'the signature was refused; check the secret of this connection (appsecret for the open API, the Qimen app secret for Qimen)',
  },
  {
    name: 'credentials',
    matches: (f) =>
      (f.origin === 'gateway' && codeIs(f, '26', '27', '28', '29', '11', '12')) ||
      says(f, /app[-_]?key|target.?app|\bsid\b|卖家账号|\bauth|认证|授权|权限|白名单|whitelist|\bIP\b/i),
    kind: 'auth',
    action: 'fail_run',
    hint: 'the credentials or permissions were refused; check sid, appkey (and for Qimen app_key and target_app_key) of this connection',
  },
  {
    name: 'vendor busy',
    // qjb 4/5 = database error; TOP 10 = service unavailable, isp.* = the provider's side.
    matches: (f) =>
      (f.origin === 'wdt' && codeIs(f, '4', '5')) ||
      (f.origin === 'gateway' && (codeIs(f, '10', '15') || /^isp\./.test(f.subCode ?? ''))) ||
      says(f, /数据库|系统繁忙|服务繁忙|busy|service.?unavailable|超时|稍后再试/i),
    kind: 'vendor_unavailable',
    action: 'retry',
    hint: 'the vendor reported a temporary problem; retrying',
  },
  {
    name: 'bad parameters',
    // qjb 1/2/100 = parameter/application errors; TOP 40/41 = missing/invalid arguments, 21/22 = method.
    matches: (f) =>
      (f.origin === 'wdt' && codeIs(f, '1', '2', '100')) ||
      (f.origin === 'gateway' && codeIs(f, '21', '22', '40', '41')) ||
      says(f, /参数|时间过宽|不能大于|page_size|page_no|分页|格式|invalid.?(argument|method)|missing/i),
    kind: 'bad_request',
    action: 'fail_run',
    hint: 'the request was refused; check the API name and the request parameters of the scheme',
  },
];

const DEFAULT_RULE: Rule = {
  name: 'unknown vendor error',
  matches: () => true,
  kind: 'vendor',
  action: 'fail_run',
  hint: 'the vendor refused the call with an error this connector does not know; look up the code with WDT support',
};

function vendorWords(f: VendorFailure): string {
  const sub = f.subCode || f.subMessage ? ` [${[f.subCode, f.subMessage].filter(Boolean).join(': ')}]` : '';
  return `code ${f.code || '(none)'}: ${f.message || '(no message)'}${sub}`;
}

/** A vendor failure answer (a well-formed envelope with a non-zero code) → FerryError. */
export function errorForVendor(f: VendorFailure, where: Where, status?: number): FerryError {
  const rule = VENDOR_RULES.find((r) => r.matches(f)) ?? DEFAULT_RULE;
  return {
    kind: rule.kind,
    action: rule.action,
    message: `${where.prefix}: WDT answered ${vendorWords(f)} — ${rule.hint}.`,
    remote: {
      ...(status !== undefined ? { status } : {}),
      code: f.subCode && f.subCode !== f.code && f.origin === 'gateway' ? `${f.code}/${f.subCode}` : f.code,
      detail: [f.message, f.subMessage].filter(Boolean).join(' / '),
    },
    ...(rule.action === 'retry_after' ? { retryAfterMs: where.rateLimitRetryMs } : {}),
  };
}

/** An HTTP status other than 2xx whose body is not a vendor envelope. */
export function errorForHttpStatus(status: number, bodySnippet: string, where: Where, retryAfterMs?: number): FerryError {
  const remote = { status, detail: bodySnippet };
  if (status === 429)
    return {
      kind: 'rate_limit',
      action: 'retry_after',
      message: `${where.prefix}: HTTP 429 Too Many Requests — waiting before the next call.`,
      remote,
      retryAfterMs: retryAfterMs ?? where.rateLimitRetryMs,
    };
  if (status >= 500 || status === 408)
    return { kind: 'http', action: 'retry', message: `${where.prefix}: HTTP ${status} from WDT — a temporary server problem; retrying.`, remote };
  if (status === 401 || status === 403)
    return { kind: 'auth', action: 'fail_run', message: `${where.prefix}: HTTP ${status} — access refused; check the credentials and IP whitelist of this connection.`, remote };
  if (status === 404)
    return { kind: 'config', action: 'fail_run', message: `${where.prefix}: HTTP 404 — no such endpoint; check baseUrl of the connection and the API name of the scheme.`, remote };
  return { kind: 'http', action: 'fail_run', message: `${where.prefix}: HTTP ${status} from WDT — the request was refused; check the connection and the scheme.`, remote };
}

/** No answer: a timeout or a network failure (refused, reset, DNS). Both are worth another try. */
export function errorForNoAnswer(timedOut: boolean, cause: string, where: Where, timeoutMs: number): FerryError {
  return timedOut
    ? { kind: 'timeout', action: 'retry', message: `${where.prefix}: no answer within ${timeoutMs} ms; retrying.` }
    : { kind: 'network', action: 'retry', message: `${where.prefix}: network error (${cause}); retrying.` };
}

/**
 * A 2xx body that is not JSON at all: a body cut short or a proxy's HTML page. Retried (the engine bounds the
 * attempts): a truncated answer is transient, and a permanent one fails the run once the attempts run out.
 */
export function errorForMalformedJson(problem: string, where: Where, status: number, bodySnippet: string): FerryError {
  return {
    kind: 'bad_response',
    action: 'retry',
    message: `${where.prefix}: unexpected response — ${problem}; retrying.`,
    remote: { status, detail: bodySnippet },
  };
}

/** A 2xx JSON answer that is not what the API promises (missing list, wrong types, repeated page): retrying will not help. */
export function errorForBadResponse(problem: string, where: Where, status?: number): FerryError {
  return {
    kind: 'bad_response',
    action: 'fail_run',
    message: `${where.prefix}: unexpected response — ${problem}. Check the API name and listKey of the scheme, or report it if WDT changed its format.`,
    ...(status !== undefined ? { remote: { status } } : {}),
  };
}
