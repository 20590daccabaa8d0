import type { ReadSpec, WriteSpec } from '../core/contracts/platform.ts';
import type { JsonObject } from '../core/records.ts';
import type { Scheme } from '../core/scheme/scheme.ts';
import type { QualityIssue } from '../core/quality/check.ts';
import type { SchemeProblem } from '../core/scheme/problems.ts';

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
  /**
   * Template fields of the mapping missing from every one of `records` (`{shop_nme}`), as problems with the
   * template's JSON path; `from` says what the records are ("the sample (3 records)"), for the message.
   */
  templateGaps?(records: readonly JsonObject[], from: string): SchemeProblem[];
  /** Target field of the business number (FNumber), if any. */
  numberField?: string;
}
