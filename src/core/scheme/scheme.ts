import { z } from 'zod';
import { SourceBlock, TargetBlock } from './blocks.ts';
import { BatchSettings, DEFAULT_RUN_MS, QualitySettings, RateLimitSettings, RetrySettings, ScheduleSettings, TimeoutSettings } from './settings.ts';

export const CURRENT_SCHEME_VERSION = 1;

/**
 * An integration scheme (集成方案): a source block and a target block in the seed's vocabulary,
 * plus how the run behaves. Every block is strict: an unknown key is an error, never silently dropped.
 */
export const Scheme = z
  .object({
    $schema: z.string().optional().describe('Path or URL of the JSON Schema, for editors.'),
    name: z.string().min(1).describe('Scheme name, unique in a ferry instance, e.g. `店铺同步客户`.'),
    description: z.string().optional(),
    schemeVersion: z.number().int().min(1).max(CURRENT_SCHEME_VERSION).default(CURRENT_SCHEME_VERSION).describe('Version of this document format.'),
    source: SourceBlock,
    target: TargetBlock,
    batch: BatchSettings.default({ size: 100, maxInFlight: 4 }),
    retry: RetrySettings.default({ maxAttempts: 8, initialDelayMs: 500, maxDelayMs: 30_000, multiplier: 2, jitter: 0.2 }),
    rateLimit: RateLimitSettings.default({}),
    quality: QualitySettings.default({ rules: [], minRecordsForShare: 100, duplicateNumbers: 'report' }),
    timeouts: TimeoutSettings.default({ callMs: 30_000, runMs: DEFAULT_RUN_MS }),
    schedule: ScheduleSettings.optional(),
  })
  .strict()
  .describe('ferry integration scheme (集成方案)');

export type Scheme = z.infer<typeof Scheme>;
export type SchemeInput = z.input<typeof Scheme>;

/** JSON Schema of the scheme document (input form: defaults are optional), generated from the zod schema. */
export function schemeJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(Scheme, { io: 'input', unrepresentable: 'any'}) as Record<string, unknown>;
  return { ...schema, $id: 'https://ferry.local/schema/scheme.json', title: 'ferry integration scheme (集成方案)' };
}
