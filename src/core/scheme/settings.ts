import { z } from 'zod';

export const BatchSettings = z
  .object({
    size: z.number().int().min(1).max(10_000).default(100).describe('Records per target call (capped by the platform\'s maximum).'),
    maxInFlight: z.number().int().min(1).max(64).default(4).describe('Target calls in flight at once (capped by the platform).'),
  })
  .strict();

export const RetrySettings = z
  .object({
    maxAttempts: z.number().int().min(1).max(100).default(8).describe('Attempts per call, first one included.'),
    initialDelayMs: z.number().int().min(0).default(500).describe('Delay before the first retry.'),
    maxDelayMs: z.number().int().min(0).default(30_000).describe('Upper bound of one delay.'),
    multiplier: z.number().min(1).default(2).describe('Exponential backoff factor.'),
    jitter: z.number().min(0).max(1).default(0.2).describe('Random share of each delay (spreads retries).'),
  })
  .strict();

const Rate = z
  .object({
    perSecond: z.number().positive().describe('Sustained calls per second.'),
    burst: z.number().int().min(1).optional().describe('Calls allowed at once before the rate applies (default: perSecond rounded up).'),
  })
  .strict();

export const RateLimitSettings = z
  .object({
    source: Rate.optional().describe('Calls to the source connection (per vendor account).'),
    target: Rate.optional().describe('Calls to the target connection (per vendor account).'),
  })
  .strict();

export const QualityRule = z
  .object({
    field: z.string().min(1).describe('Target field path, e.g. `FNumber` or `FEntity[].FQty`.'),
    required: z.boolean().optional(),
    type: z.string().optional().describe('string, int, number, bool, date, datetime, object, array'),
    minLength: z.number().int().min(0).optional(),
    maxLength: z.number().int().min(0).optional(),
    min: z.number().optional(),
    max: z.number().optional(),
    pattern: z.string().optional().describe('Regular expression the value must match.'),
    enum: z.array(z.unknown()).optional().describe('Allowed values.'),
    expression: z.string().optional().describe('JSONata expression over the mapped record that must be true (`$value` = the field).'),
    message: z.string().optional().describe('Message shown when the rule fails (default: a generated one).'),
    name: z.string().optional().describe('Rule name for the quality summary.'),
  })
  .strict();

export const QualitySettings = z
  .object({
    rules: z.array(QualityRule).default([]).describe('Checked on every mapped record before the target is called.'),
    maxConsecutiveRejections: z.number().int().min(1).optional().describe('Abort the run after this many rejected records in a row.'),
    maxRejectedShare: z.number().min(0).max(1).optional().describe('Abort when rejected/processed exceeds this share (after `minRecordsForShare`).'),
    minRecordsForShare: z.number().int().min(1).default(100),
    duplicateNumbers: z
      .enum(['report', 'reject'])
      .default('report')
      .describe('Two source records (different ids) mapped to the same target number would be one target record, the later overwriting the earlier. `report` (default): write them and list them in the run report and the quality summary; `reject`: reject the later ones (quality:duplicate_number).'),
  })
  .strict();

export const ScheduleSettings = z
  .object({
    cron: z.string().min(1).describe('Cron expression (5 or 6 fields), Beijing time unless `timezone` says otherwise.'),
    timezone: z.string().default('Asia/Shanghai'),
    overlap: z.enum(['skip', 'queue']).default('skip').describe('When a run of this scheme is still going: skip this tick or queue one run.'),
    enabled: z.boolean().default(true),
  })
  .strict();

/** Default run time limit: 6 hours. */
export const DEFAULT_RUN_MS = 6 * 3600_000;

export const TimeoutSettings = z
  .object({
    callMs: z.number().int().min(100).default(30_000).describe('Timeout of one vendor call.'),
    runMs: z
      .number()
      .int()
      .min(1000)
      .default(DEFAULT_RUN_MS)
      .describe('Stop the run after this long (default 6 hours), so a source that never ends cannot run forever; raise it for sources that take longer.'),
  })
  .strict();
