import { z } from 'zod';
import { AccountRate } from '../../core/policy/account-rate.ts';

/**
 * Connection settings of a Kingdee K3Cloud data centre. One strict schema per auth mode, so a connection
 * file names exactly the keys its mode needs (reference §3).
 */

const base = {
  baseUrl: z
    .string()
    .url()
    .transform((u) => (u.endsWith('/') ? u : `${u}/`))
    .describe('Server base URL ending in `/k3cloud/`, e.g. `https://erp.example.com/k3cloud/` (a missing trailing `/` is added).'),
  acctId: z.string().min(1).describe('Data-centre id (账套 id), e.g. `5f0000000000aa`.'),
  username: z.string().min(1).describe('Integration user name. Several users spread the server queue (reference §6).'),
  lcid: z.coerce.number().int().default(2052).describe('Locale id: 2052 zh-CN, 3076 zh-TW, 1033 en.'),
  encoding: z
    .enum(['named', 'positional'])
    .default('named')
    .describe('Request body form: `named` ({formid, data}, Python SDK 8.x) or `positional` ({parameters:[…]}, Java/PHP SDK).'),
  maxBatchSize: z.coerce.number().int().min(1).max(10000).default(100).describe('Largest Model array sent in one BatchSave.'),
  maxResponseBytes: z.coerce
    .number()
    .int()
    .positive()
    .optional()
    .describe('Cap of one answer in bytes (default 8 MiB = 8388608): a larger answer stops being read and fails the run with a message naming the operation and the rows.'),
  rateLimit: AccountRate.optional(),
  maxInFlight: z.coerce.number().int().min(1).max(32).default(2).describe('Parallel calls against this connection (the server queues per user).'),
};

export const SignedConnection = z
  .object({
    ...base,
    mode: z.literal('signed').describe('Signed headers on every call (official SDK 7.3+/8.x, no login call).'),
    appId: z.string().min(1).describe('Third-party app id `<clientId>_<32-char blob>`.'),
    appSecret: z.string().min(1).describe('App secret (secret).'),
    orgNum: z.coerce.string().default('0').describe('Organisation number carried in X-Kd-Appdata; `0` for none.'),
    timestampUnit: z.enum(['s', 'ms']).default('s').describe('x-api-timestamp unit: seconds (Python SDK) or ms (Java SDK).'),
  })
  .strict();

export const AppSecretConnection = z
  .object({
    ...base,
    mode: z.literal('appSecret').describe('Session login with LoginByAppSecret.'),
    appId: z.string().min(1),
    appSecret: z.string().min(1).describe('App secret (secret).'),
  })
  .strict();

export const PasswordConnection = z
  .object({
    ...base,
    mode: z.literal('password').describe('Session login with ValidateUser (user name and password).'),
    password: z.string().min(1).describe('User password (secret).'),
  })
  .strict();

export const SignConnection = z
  .object({
    ...base,
    mode: z.literal('sign').describe('Session login with LoginBySign (SHA-256 signature of the credentials).'),
    appId: z.string().min(1),
    appSecret: z.string().min(1).describe('App secret (secret).'),
  })
  .strict();

export const KingdeeConnectionSchema = z
  .discriminatedUnion('mode', [SignedConnection, AppSecretConnection, PasswordConnection, SignConnection])
  .describe('Kingdee K3Cloud WebAPI connection.');

export type KingdeeConnection = z.infer<typeof KingdeeConnectionSchema>;

/** Connection keys holding secrets: redacted everywhere, encrypted at rest. */
export const KINGDEE_SECRET_KEYS = ['appSecret', 'password'] as const;

/** The secret values of one connection, for the redactor. */
export function secretValues(c: KingdeeConnection): string[] {
  const out: string[] = [];
  if ('appSecret' in c) out.push(c.appSecret);
  if ('password' in c) out.push(c.password);
  return out;
}
