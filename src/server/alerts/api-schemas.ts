import { z } from 'zod';
import { AlertLanguageSchema } from './channel-schema.ts';

/**
 * zod schemas of the alert endpoints' bodies and queries (rules and channels use AlertRuleInput and
 * AlertChannelInput). Queries arrive as strings, hence the coercions.
 */

export const IdParams = z.object({ id: z.string().min(1).max(200) }).strict();

export const HistoryQuerySchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    offset: z.coerce.number().int().min(0).default(0),
    status: z.enum(['sent', 'failed', 'suppressed']).optional(),
    ruleId: z.string().min(1).optional(),
    scheme: z.string().min(1).optional(),
    channelId: z.string().min(1).optional(),
    since: z.coerce.number().int().min(0).optional().describe('ms since epoch'),
  })
  .strict();
export type HistoryQueryInput = z.input<typeof HistoryQuerySchema>;

export const IncidentQuerySchema = z
  .object({
    open: z.enum(['true', 'false']).optional().transform((v) => (v === undefined ? undefined : v === 'true')),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
  })
  .strict();

export const TestSendBody = z
  .object({
    language: AlertLanguageSchema.optional().describe('Override the channel language for this test.'),
  })
  .strict();
export type TestSendBody = z.infer<typeof TestSendBody>;

export const SilenceInput = z
  .object({
    ruleId: z.string().min(1).nullable().default(null).describe('Only this rule (null = every rule).'),
    scheme: z.string().min(1).nullable().default(null).describe('Only this scheme (null = every scheme).'),
    minutes: z.number().int().min(1).max(30 * 24 * 60).optional().describe('Silence for this long from now…'),
    until: z.number().int().min(0).optional().describe('…or until this time (ms since epoch).'),
    reason: z.string().max(500).nullable().default(null),
  })
  .strict()
  .refine((s) => (s.minutes === undefined) !== (s.until === undefined), { message: 'give exactly one of "minutes" or "until"' });
export type SilenceInput = z.input<typeof SilenceInput>;

/** Turns zod issues into one readable sentence for a 400 answer. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .slice(0, 10)
    .map((i) => `${i.path.length ? i.path.join('.') : '(body)'}: ${i.message}`)
    .join('; ');
}

/** A refused request: the route answers `status` with `{error, issues?}`; never a 500 for bad input. */
export class AlertInputError extends Error {
  constructor(
    readonly status: 400 | 404 | 409,
    message: string,
    readonly issues?: { path: string; message: string }[],
    /** A stable machine-readable reason (`secrets_must_be_reentered`). */
    readonly code?: string,
  ) {
    super(message);
    this.name = 'AlertInputError';
  }

  static fromZod(what: string, error: z.ZodError): AlertInputError {
    return new AlertInputError(
      400,
      `invalid ${what}: ${describeIssues(error.issues)}`,
      error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    );
  }
}

/** Parses or throws AlertInputError(400). */
export function parseInput<T extends z.ZodType>(schema: T, what: string, raw: unknown): z.output<T> {
  const r = schema.safeParse(raw);
  if (!r.success) throw AlertInputError.fromZod(what, r.error);
  return r.data;
}
