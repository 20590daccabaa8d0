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

/** What an anomaly rule compares: one number per finished run of the scheme. */
export const AnomalyMetric = z
  .enum(['records_read', 'rejection_rate', 'api_latency'])
  .describe('records_read: records the run read; rejection_rate: rejected / processed records (%); api_latency: mean vendor call time of the run (ms).');
export type AnomalyMetric = z.infer<typeof AnomalyMetric>;

/** Default `minDelta` per metric: smaller differences from the median never fire, whatever the ratio. */
export const ANOMALY_MIN_DELTA: Record<AnomalyMetric, number> = { records_read: 10, rejection_rate: 5, api_latency: 200 };
/** Default `minSample` per metric: a run with less than this (processed records / vendor calls) is neither judged nor history. */
export const ANOMALY_MIN_SAMPLE: Record<AnomalyMetric, number> = { records_read: 0, rejection_rate: 20, api_latency: 3 };

export const AnomalyRule = z
  .object({
    type: z.literal('anomaly'),
    ...common,
    metric: AnomalyMetric.default('records_read'),
    lookbackRuns: z.number().int().min(2).max(200).default(10).describe('N: the run is compared with the median of the scheme\'s last N finished runs (succeeded or partial).'),
    minHistory: z.number().int().min(1).max(200).default(5).describe('No verdict until the scheme has at least this many earlier runs to compare with (the first runs never fire).'),
    belowRatio: z
      .number()
      .gt(0)
      .lt(1)
      .nullable()
      .default(0.2)
      .describe('records_read only: fires when the run read less than median × belowRatio (a run that read 0 when the median is above 0 always fires). null = never below.'),
    aboveRatio: z.number().gt(1).max(10_000).nullable().default(5).describe('Fires when the run\'s value is more than median × aboveRatio. null = never above.'),
    minDelta: z
      .number()
      .min(0)
      .optional()
      .describe('Smallest difference from the median that may fire, in the metric\'s unit (records, percentage points, ms). Default 10 records, 5 points, 200 ms.'),
    minSample: z
      .number()
      .int()
      .min(0)
      .optional()
      .describe('rejection_rate: processed records, api_latency: vendor calls a run needs to count (default 20 and 3).'),
    triggers: z
      .array(z.string().min(1))
      .min(1)
      .optional()
      .describe('Only runs started this way are judged and form the history, e.g. ["schedule"] (default: every run).'),
  })
  .strict();

/** What a client sends to create or replace a rule (no id). */
export const AlertRuleInput = z.discriminatedUnion('type', [RunFailedRule, RejectionRateRule, NoRecordsRule, ApiErrorRateRule, LongRunRule, AnomalyRule]);
export type AlertRuleInput = z.input<typeof AlertRuleInput>;
export type AlertRuleBody = z.output<typeof AlertRuleInput>;
export type AlertRuleType = AlertRuleBody['type'];

/** A stored rule. */
export type AlertRule = AlertRuleBody & { id: string; createdAt: number; updatedAt: number };
export type RuleOf<T extends AlertRuleType> = Extract<AlertRule, { type: T }>;

export const RULE_TYPES: readonly AlertRuleType[] = ['run_failed', 'rejection_rate', 'no_records', 'api_error_rate', 'long_run', 'anomaly'];

/** True when the rule watches this scheme. An unknown scheme (undefined) only matches `'all'`. */
export function ruleCoversScheme(rule: Pick<AlertRule, 'schemes'>, scheme: string | undefined): boolean {
  if (rule.schemes === 'all') return true;
  return scheme !== undefined && rule.schemes.includes(scheme);
}
