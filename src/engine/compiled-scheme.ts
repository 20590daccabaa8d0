import type { ReadSpec, WriteSpec } from '../core/contracts/platform.ts';
import type { JsonObject } from '../core/records.ts';
import type { Scheme } from '../core/scheme/scheme.ts';
import type { QualityIssue } from '../core/quality/check.ts';

export type MapOutcome = { ok: true; value: JsonObject } | { ok: false; errors: { path: string; message: string; label?: string }[] };

/** A scheme made ready to run: specs for the platforms, the compiled mapping and quality rules. */
export interface CompiledScheme {
  scheme: Scheme;
  readSpec: ReadSpec;
  writeSpec: WriteSpec;
  /** Maps one source record to its target payload. Sync when the mapping has no expressions. */
  map(record: JsonObject): MapOutcome | Promise<MapOutcome>;
  checkQuality(payload: JsonObject): Promise<QualityIssue[]>;
  /** beatFlat: one source record → its line records (identity when the scheme has no beatFlat), or why not. */
  explode(record: JsonObject, sourceId: string): { id: string; data: JsonObject }[] | { error: string };
  /** Target field of the business number (FNumber), if any. */
  numberField?: string;
}
