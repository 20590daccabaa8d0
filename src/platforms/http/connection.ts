import { z } from 'zod';
import { AccountRate } from '../../core/policy/account-rate.ts';
import { ErrorFields, ErrorTable } from './error-table.ts';

/** Connection settings of the generic HTTP/JSON profile. Secrets: see HTTP_SECRET_KEYS. */

const NoAuth = z.object({ type: z.literal('none').describe('No authentication.') }).strict();

const BearerAuth = z
  .object({
    type: z.literal('bearer').describe('A fixed token sent as `Authorization: Bearer <token>`.'),
    token: z.string().min(1).describe('The token (secret).'),
  })
  .strict();

const BasicAuth = z
  .object({
    type: z.literal('basic').describe('HTTP Basic authentication.'),
    username: z.string().describe('User name.'),
    password: z.string().describe('Password (secret).'),
  })
  .strict();

const ApiKeyAuth = z
  .object({
    type: z.literal('api_key').describe('An API key in a header or in the query string.'),
    in: z.enum(['header', 'query']).default('header').describe('Where the key travels.'),
    name: z.string().min(1).default('X-API-Key').describe('Header or query parameter name, e.g. `X-API-Key`, `access_token`.'),
    value: z.string().min(1).describe('The key (secret).'),
    prefix: z.string().optional().describe('Text put before the key, e.g. `Token ` (header only).'),
  })
  .strict();

const OAuth2ClientCredentials = z
  .object({
    type: z.literal('oauth2_client_credentials').describe('OAuth 2.0 client-credentials grant (RFC 6749 §4.4); the token is cached and refreshed.'),
    tokenUrl: z.string().min(1).describe('Token endpoint: absolute URL, or a path relative to baseUrl.'),
    clientId: z.string().min(1).describe('Client id.'),
    clientSecret: z.string().min(1).describe('Client secret (secret).'),
    scope: z.string().optional().describe('Requested scope(s), space separated.'),
    audience: z.string().optional().describe('`audience` parameter some providers require.'),
    clientAuth: z.enum(['body', 'basic']).default('body').describe('Send client id/secret in the form body (default) or as HTTP Basic.'),
    extraParams: z.record(z.string(), z.string()).default({}).describe('Further form parameters of the token request.'),
    tokenPath: z.string().default('access_token').describe('Path of the token in the token response.'),
    expiresInPath: z.string().default('expires_in').describe('Path of the lifetime in seconds in the token response.'),
    defaultExpiresInSeconds: z.number().int().min(1).default(3600).describe('Lifetime assumed when the response states none.'),
    refreshSkewSeconds: z.number().int().min(0).default(30).describe('Refresh this long before the token expires.'),
  })
  .strict();

export const HttpAuth = z
  .discriminatedUnion('type', [NoAuth, BearerAuth, BasicAuth, ApiKeyAuth, OAuth2ClientCredentials])
  .describe('How requests are authenticated.');
export type HttpAuth = z.infer<typeof HttpAuth>;
export type OAuth2Settings = z.infer<typeof OAuth2ClientCredentials>;

export const HttpTls = z
  .object({
    rejectUnauthorized: z.boolean().default(true).describe('Verify the server certificate. Set false only for a test system with a self-signed certificate.'),
    ca: z.string().optional().describe('Extra trusted CA certificate(s), PEM text (a private CA of the vendor or the company).'),
  })
  .strict()
  .describe('TLS options for https. When set (ca, or rejectUnauthorized false), requests go through node:https instead of fetch.');
export type HttpTls = z.infer<typeof HttpTls>;

export const HttpConnection = z
  .object({
    baseUrl: z
      .string()
      .url()
      .describe('Base address every API path is appended to, e.g. `https://api.example.com/v2`. Requests never leave its origin.'),
    headers: z.record(z.string(), z.string()).default({}).describe('Headers sent with every request, e.g. {"X-Tenant": "acme"}. Values of headers named like a secret are redacted.'),
    auth: HttpAuth.default({ type: 'none' }),
    timeoutMs: z.number().int().min(100).optional().describe('Timeout of one request; default: the scheme\'s `timeouts.callMs`.'),
    maxResponseBytes: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('Cap of one answer in bytes (default 8 MiB = 8388608): a larger answer stops being read and fails the run with a message naming API and page.'),
    tokenTimeoutMs: z.number().int().min(100).optional().describe('Timeout of an OAuth2 token request; default: the request timeout.'),
    tls: HttpTls.optional(),
    errors: ErrorTable.default([]).describe('Error rules for this API, before the built-in defaults.'),
    errorFields: ErrorFields.default({}).describe('Where the vendor code and message are in an error body.'),
    rateLimitHeaders: z.array(z.string()).default([]).describe('Extra response headers that say when to retry (seconds or epoch), before Retry-After and X-RateLimit-Reset.'),
    rateLimit: AccountRate.optional(),
    maxInFlight: z.number().int().min(1).max(64).default(4).describe('Writes in flight at once against this connection.'),
    maxBatchSize: z.number().int().min(1).default(500).describe('Largest number of rows the target accepts in one batch call.'),
  })
  .strict()
  .describe('A generic HTTP/JSON API.');

export type HttpConnection = z.infer<typeof HttpConnection>;
export type HttpConnectionInput = z.input<typeof HttpConnection>;

/** Connection keys holding secrets, as dotted paths (`auth.token`); header values are judged by name. */
export const HTTP_SECRET_KEYS = ['auth.token', 'auth.password', 'auth.value', 'auth.clientSecret'] as const;

const SECRET_HEADER = /(auth|token|key|secret|password|signature|cookie|session)/i;

/** Every secret value of a connection, for the redactor. */
export function connectionSecrets(c: HttpConnection): string[] {
  const out: string[] = [];
  const a = c.auth;
  if (a.type === 'bearer') out.push(a.token);
  if (a.type === 'basic') out.push(a.password, Buffer.from(`${a.username}:${a.password}`).toString('base64'));
  if (a.type === 'api_key') out.push(a.value, encodeURIComponent(a.value));
  if (a.type === 'oauth2_client_credentials')
    out.push(a.clientSecret, encodeURIComponent(a.clientSecret), Buffer.from(`${encodeURIComponent(a.clientId)}:${encodeURIComponent(a.clientSecret)}`).toString('base64'));
  for (const [k, v] of Object.entries(c.headers)) if (SECRET_HEADER.test(k)) out.push(v);
  return out;
}
