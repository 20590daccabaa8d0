import { z } from 'zod';
import { AccountRate } from '../../core/policy/account-rate.ts';

/**
 * Connection settings of a WDT connection (`platform: wdt`). Two transports (wdt-api.md §1, §2):
 * - `openapi`: the enterprise open API, `<baseUrl><endpoint>.php`, signed with the WDT appsecret;
 * - `qimen`: the Qimen router, signed with the caller's own Qimen app secret (not WDT's appsecret, §2.3).
 */

const common = {
  sid: z.string().min(1).describe('WDT seller account (卖家账号), e.g. `apidevnew2` in the sandbox.'),
  timeoutMs: z
    .number()
    .int()
    .positive()
    .optional()
    .describe('Per-call timeout in ms for this connection; defaults to the run\'s timeout.'),
  maxResponseBytes: z
    .number()
    .int()
    .positive()
    .optional()
    .describe('Cap of one answer in bytes (default 8 MiB = 8388608): a larger answer stops being read and fails the run with a message naming API and page.'),
  rateLimit: AccountRate.optional(),
  rateLimitRetryMs: z
    .number()
    .int()
    .positive()
    .default(31_000)
    .describe('How long to wait after the vendor\'s rate-limit answer (code 1012). Default 31 s, as production clients do (wdt-api.md §5).'),
};

export const WdtOpenApiConnection = z
  .object({
    transport: z.literal('openapi').describe('Enterprise open API (企业版 openapi2).'),
    baseUrl: z
      .url()
      .default('https://api.wangdian.cn/openapi2/')
      .describe('Base URL up to `/openapi2/`; the endpoint `shop.php` is appended. Sandbox: `https://sandbox.wangdian.cn/openapi2/`.'),
    appkey: z.string().min(1).describe('WDT interface account (接口账号).'),
    appsecret: z.string().min(1).describe('Secret of the interface account. Secret.'),
    ...common,
  })
  .strict();

export const WdtQimenConnection = z
  .object({
    transport: z.literal('qimen').describe('Qimen (奇门) custom API router.'),
    baseUrl: z
      .url()
      .default('https://hu3cgwt0tc.api.taobao.com/router/qm')
      .describe('Qimen router URL (enterprise prefix `hu3cgwt0tc`).'),
    appKey: z.string().min(1).describe('Your own Qimen/Taobao app key (sent as `app_key`).'),
    appSecret: z.string().min(1).describe('Secret of your Qimen app; signs the request. Secret.'),
    targetAppKey: z.string().min(1).describe('WDT\'s Qimen app key from the authorization e-mail (`target_app_key`).'),
    signMethod: z.enum(['md5', 'hmac']).default('md5').describe('Qimen sign method: `md5` (every enterprise sample) or `hmac` (HMAC-MD5).'),
    appkey: z.string().min(1).optional().describe('WDT interface appkey; optional on Qimen (sent as `appkey` when set).'),
    ...common,
  })
  .strict();

export const WdtConnection = z
  .discriminatedUnion('transport', [WdtOpenApiConnection, WdtQimenConnection])
  .describe('A WangDianTong (旺店通) enterprise connection over the open API or Qimen.');

export type WdtOpenApiConnection = z.infer<typeof WdtOpenApiConnection>;
export type WdtQimenConnection = z.infer<typeof WdtQimenConnection>;
export type WdtConnection = z.infer<typeof WdtConnection>;

/** Connection keys whose values are secrets (redacted everywhere, encrypted at rest). */
export const WDT_SECRET_KEYS = ['appsecret', 'appSecret'] as const;
