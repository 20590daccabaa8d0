import { z } from 'zod';

/**
 * Alert rules as data (zod, strict). A rule says WHAT condition to watch, for WHICH schemes, and WHERE
 * to send it. The service evaluates rules against run events (`onRunEvent` / `onRunFinished`) and a
 * periodic `tick(now)`; see docs/alerts.md for the exact semantics of each type.
 */

export const Severity = z.enum(['info', 'warning', 'critical']).describe('How loud the alert is; shown in the message.');
export type Severity = z.infer<typeof Severity>;

/** `'all'` or a non-empty list of scheme names. */
export const SchemeScope = z
  .union([z.literal('all'), z.array(z.string().min(1)).min(1)])
  .default('all')
  .describe('Which schemes the rule watches: "all" or a list of scheme names.');

const common = {
  name: z.string().min(1).max(120).describe('Shown in messages and the console.'),
  enabled: z.boolean().default(true),
  schemes: SchemeScope,
  channels: z.array(z.string().min(1)).min(1).describe('Channel ids the alert is delivered to.'),
  severity: Severity.default('warning'),
  silenceMinutes: z
    .number()
    .int()
    .min(0)
    .max(7 * 24 * 60)
    .default(60)
    .describe('After an alert was sent, the same condition (rule + scheme + key) is not sent again for this long unless it resolved first. 0 = every new occurrence is sent.'),
  notifyResolved: z.boolean().default(false).describe('Also send a short "resolved" message when the condition clears.'),
};

export const RunFailedRule = z
  .object({
    type: z.literal('run_failed'),
    ...common,
    statuses: z
      .array(z.enum(['failed', 'aborted', 'cancelled', 'interrupted', 'partial']))
      .min(1)
      .default(['failed', 'aborted', 'interrupted'])
      .describe('Run end states that count as a failure (partial: some records rejected or failed; interrupted: the process running it died).'),
  })
  .strict();

export const RejectionRateRule = z
  .object({
    type: z.literal('rejection_rate'),
    ...common,
    thresholdPercent: z.number().gt(0).max(100).describe('Fires when rejected / processed records is ABOVE this percentage.'),
    windowMinutes: z.number().int().min(1).max(7 * 24 * 60).default(60).describe('Finished runs of the scheme ending within this window are added up.'),
    minRecords: z.number().int().min(1).default(20).describe('No verdict below this many processed records in the window (avoids 1-of-2 = 50%).'),
  })
  .strict();

export const NoRecordsRule = z
  .object({
    type: z.literal('no_records'),
    ...common,
    hours: z.number().gt(0).max(24 * 90).describe('Fires when no successful run of the scheme read any record for this many hours.'),
  })
  .strict();

export const ApiErrorRateRule = z
  .object({
    type: z.literal('api_error_rate'),
    ...common,
    thresholdPercent: z.number().gt(0).max(100).describe('Fires when failed calls / calls is ABOVE this percentage.'),
    windowMinutes: z.number().int().min(1).max(24 * 60).default(15),
    minCalls: z.number().int().min(1).default(10).describe('No verdict below this many calls in the window.'),
    groupBy: z.enum(['api', 'connection']).default('api').describe('Count per connection + API, or per connection.'),
    connections: z.array(z.string().min(1)).min(1).optional().describe('Only these connections (default: every connection).'),
  })
  .strict();

export const LongRunRule = z
  .object({
    type: z.literal('long_run'),
    ...common,
    maxMinutes: z.number().gt(0).max(7 * 24 * 60).describe('Fires (on tick) for a run still running after this long.'),
  })
  .strict();

/** What a client sends to create or replace a rule (no id). */
export const AlertRuleInput = z.discriminatedUnion('type', [RunFailedRule, RejectionRateRule, NoRecordsRule, ApiErrorRateRule, LongRunRule]);
export type AlertRuleInput = z.input<typeof AlertRuleInput>;
export type AlertRuleBody = z.output<typeof AlertRuleInput>;
export type AlertRuleType = AlertRuleBody['type'];

/** A stored rule. */
export type AlertRule = AlertRuleBody & { id: string; createdAt: number; updatedAt: number };
export type RuleOf<T extends AlertRuleType> = Extract<AlertRule, { type: T }>;

export const RULE_TYPES: readonly AlertRuleType[] = ['run_failed', 'rejection_rate', 'no_records', 'api_error_rate', 'long_run'];

/** True when the rule watches this scheme. An unknown scheme (undefined) only matches `'all'`. */
export function ruleCoversScheme(rule: Pick<AlertRule, 'schemes'>, scheme: string | undefined): boolean {
  if (rule.schemes === 'all') return true;
  return scheme !== undefined && rule.schemes.includes(scheme);
}
