import { FerryFailure } from '../core/errors.ts';
import type { LedgerRow, RunCounts } from '../core/contracts/state-store.ts';
import type { Clock } from '../core/policy/rate-limiter.ts';
import type { JsonObject, RecordRef } from '../core/records.ts';
import { BatchWriter } from './batch-writer.ts';
import type { CompiledScheme } from './compiled-scheme.ts';
import type { EventSink } from './events.ts';
import { payloadHash } from './hash.ts';
import type { OpenPage } from './page-tracker.ts';
import type { EngineDeps } from './deps.ts';
import { pendingStepOf, type WorkItem } from './work-item.ts';
import { writeBatch } from './write-batch.ts';
import { readPath } from './read-path.ts';
import { undecodablePath, undecodableReason } from '../core/quality/undecodable.ts';
import { DuplicateNumbers } from './duplicate-numbers.ts';

/** Error code of a record whose target number another source record of the run already has. */
export const DUPLICATE_NUMBER_CODE = 'quality:duplicate_number';

export interface PipelineContext {
  runId: string;
  counts: RunCounts;
  signal: AbortSignal;
  clock: Clock;
  emit: EventSink;
  abort: AbortController;
}

/**
 * The per-record part of a run: explode → map → validate → idCheck → hand to the batch writer, and the
 * ledger row of every record back to its page. Also watches the rejection thresholds.
 */
export class RecordPipeline {
  private readonly writer: BatchWriter;
  private consecutiveRejected = 0;
  private gapsChecked = false;
  private seq = 0;
  /** Target numbers of this run, to report (or reject) two source records that would merge into one. */
  readonly duplicates = new DuplicateNumbers();
  abortReason: string | undefined;

  constructor(
    private readonly cs: CompiledScheme,
    private readonly deps: EngineDeps,
    private readonly c: PipelineContext,
  ) {
    const s = cs.scheme;
    const maxBatch = Math.max(1, Math.min(s.batch.size, deps.target.maxBatchSize(cs.writeSpec)));
    const inFlight = Math.max(1, Math.min(s.batch.maxInFlight, deps.target.maxInFlight));
    this.writer = new BatchWriter(maxBatch, inFlight, (batch) => this.write(batch));
  }

  async processPage(records: JsonObject[], label: string, page: OpenPage): Promise<void> {
    const s = this.cs.scheme;
    const lines: { ref: RecordRef; data: JsonObject; invalid?: string }[] = [];
    records.forEach((rec, index) => {
      const rawId = readPath(rec, s.source.id);
      const hasId = !(rawId === undefined || rawId === null || rawId === '');
      const id = hasId ? String(rawId) : `${label}#${index}`;
      const num = s.source.number ? readPath(rec, s.source.number) : undefined;
      const ref: RecordRef = { scheme: s.name, api: s.source.api, page: label, index, sourceId: id, ...(num != null && num !== '' ? { sourceNumber: String(num) } : {}) };
      if (!hasId) return void lines.push({ ref, data: rec, invalid: `has no id at "${s.source.id}"` });
      const exploded = this.cs.explode(rec, id);
      if ('error' in exploded) return void lines.push({ ref, data: rec, invalid: exploded.error });
      for (const line of exploded) lines.push({ ref: { ...ref, sourceId: line.id }, data: line.data });
    });
    if (!this.gapsChecked && lines.length) {
      this.gapsChecked = true;
      this.stopOnTemplateGaps(lines.filter((l) => !l.invalid).map((l) => l.data), label);
    }
    await this.processLines(lines, page);
  }

  /**
   * A template field missing from every record of the first page (`{shop_nme}`) stops the run before any
   * record is processed: the mapping names a field the source does not have. A field that may be absent
   * gets a `default` (then it is not checked).
   */
  private stopOnTemplateGaps(records: JsonObject[], label: string): void {
    const gaps = this.cs.templateGaps?.(records, `every record of the first page (page ${label}, ${records.length} record${records.length === 1 ? '' : 's'})`) ?? [];
    if (!gaps.length) return;
    const what = gaps.map((g) => `${g.path}: ${g.message}${g.suggestion ? ` — ${g.suggestion}` : ''}`).join('; ');
    throw new FerryFailure({ kind: 'config', action: 'fail_run', message: `stopped before writing: ${what}; fix the mapping (or give the field a "default" if it may be absent) and run again` });
  }

  /** Records already exploded, with their refs (also used by replay). */
  async processLines(lines: { ref: RecordRef; data: JsonObject; invalid?: string }[], page: OpenPage): Promise<void> {
    const s = this.cs.scheme;
    this.c.counts.read += lines.length;
    const ledger = s.source.idCheck || s.target.idCheck ? await this.deps.store.getLedger(s.name, lines.map((l) => l.ref.sourceId)) : new Map<string, LedgerRow>();

    for (const { ref, data, invalid } of lines) {
      page.expect();
      const settle = (row: LedgerRow) => {
        page.settle(row);
        this.count(row);
      };
      if (invalid) {
        settle(this.invalid(ref, data, undefined, invalid, 'source', s.source.beatFlat ?? s.source.id));
        continue;
      }
      // Text that did not decode in its answer's charset (also on replay, if an edit left it in).
      const garbled = undecodablePath(data);
      if (garbled !== undefined) {
        settle(this.invalid(ref, data, undefined, undecodableReason(garbled), 'source', garbled));
        continue;
      }
      const mapped = await this.cs.map(data);
      if (!mapped.ok) {
        const msg = mapped.errors.map((e) => e.message).join('; ');
        settle(this.invalid(ref, data, undefined, msg, 'mapping', mapped.errors[0]?.path));
        this.c.emit({ type: 'record.rejected', runId: this.c.runId, ref, stage: 'mapping', error: { kind: 'mapping', action: 'reject_record', message: msg, ref } });
        continue;
      }
      const payload = mapped.value;
      const issues = await this.cs.checkQuality(payload);
      if (issues.length) {
        const msg = issues.map((i) => i.message).join('; ');
        settle(this.invalid(ref, data, payload, msg, `quality:${issues[0]!.rule}`, issues[0]!.field));
        this.c.emit({ type: 'record.rejected', runId: this.c.runId, ref, stage: 'quality', error: { kind: 'quality', action: 'reject_record', message: msg, ref } });
        continue;
      }
      const numRaw = this.cs.numberField ? payload[this.cs.numberField] : undefined;
      const number = numRaw !== undefined && numRaw !== null && numRaw !== '' ? String(numRaw) : undefined;
      let settleAs = settle;
      if (number !== undefined && this.duplicates.check(number, ref.sourceId)) {
        const reject = s.quality.duplicateNumbers === 'reject';
        this.c.counts.duplicates = (this.c.counts.duplicates ?? 0) + 1;
        this.c.emit({ type: 'record.duplicate', runId: this.c.runId, ref, number, action: reject ? 'rejected' : 'reported' });
        const msg = `target ${this.cs.numberField} ${number} is also the number of another source record read earlier in this run, so both would be one target record`;
        if (reject) {
          const why = `${msg}; rejected (quality.duplicateNumbers is "reject") — give the source records distinct numbers, then replay`;
          settle(this.invalid(ref, data, payload, why, DUPLICATE_NUMBER_CODE, this.cs.numberField));
          this.c.emit({ type: 'record.rejected', runId: this.c.runId, ref, stage: 'quality', error: { kind: 'quality', action: 'reject_record', message: why, ref } });
          continue;
        }
        const note = `${msg}; this record updated it (set quality.duplicateNumbers to "reject" to keep such records out)`;
        settleAs = (row) => settle(row.status === 'written' || row.status === 'skipped' ? { ...row, errorCode: row.errorCode ?? DUPLICATE_NUMBER_CODE, errorField: row.errorField ?? this.cs.numberField ?? null, message: row.message ?? note } : row);
      }
      const hash = payloadHash(payload);
      const prev = ledger.get(ref.sourceId);
      const delivered = prev && (prev.status === 'written' || prev.status === 'skipped') && prev.targetId;
      // A record saved but left unaudited last time is not "unchanged": its missing step is tried again.
      const pendingStep = delivered ? pendingStepOf(prev.detail) : undefined;
      if (s.source.idCheck && delivered && prev.payloadHash === hash && !pendingStep) {
        settleAs({ ...this.base(ref, hash), status: 'skipped', detail: 'unchanged', targetId: prev.targetId ?? null, targetNumber: prev.targetNumber ?? null });
        continue;
      }
      const item: WorkItem = {
        key: String(this.seq++),
        ref,
        source: data,
        payload,
        hash,
        ...(number !== undefined ? { number } : {}),
        ...(delivered ? { existingId: prev.targetId! } : {}),
        ...(pendingStep && prev?.payloadHash === hash ? { resume: pendingStep } : {}),
        settle: settleAs,
      };
      await this.writer.add(item);
    }
  }

  async flush(): Promise<void> {
    await this.writer.flush();
  }

  /** After a failure: let batches in flight end (they fail fast on the aborted signal). */
  async settleQuietly(): Promise<void> {
    await this.writer.flush().catch(() => undefined);
  }

  checkThresholds(): void {
    const q = this.cs.scheme.quality;
    const k = this.c.counts;
    const processed = k.created + k.updated + k.skipped + k.rejected + k.failed;
    let reason: string | undefined;
    if (q.maxConsecutiveRejections && this.consecutiveRejected >= q.maxConsecutiveRejections)
      reason = `aborted: ${this.consecutiveRejected} records in a row were rejected (limit ${q.maxConsecutiveRejections}); fix the mapping or the data, then run again`;
    else if (q.maxRejectedShare !== undefined && processed >= q.minRecordsForShare && k.rejected / processed > q.maxRejectedShare)
      reason = `aborted: ${k.rejected} of ${processed} records rejected (${((100 * k.rejected) / processed).toFixed(1)}% > ${(100 * q.maxRejectedShare).toFixed(1)}%)`;
    if (reason && !this.abortReason) {
      this.abortReason = reason;
      throw new Error(reason);
    }
  }

  private async write(batch: WorkItem[]): Promise<void> {
    const s = this.cs.scheme;
    const t0 = this.c.clock.now();
    const r = await writeBatch(batch, {
      scheme: s.name,
      runId: this.c.runId,
      target: this.deps.target,
      spec: this.cs.writeSpec,
      lookupFirst: s.target.idCheck,
      onExisting: s.target.onExisting,
      ...(s.target.updateFields ? { updateFields: s.target.updateFields } : {}),
      retry: s.retry,
      limiter: this.deps.targetLimiter,
      clock: this.c.clock,
      ...(this.deps.random ? { random: this.deps.random } : {}),
      signal: this.c.signal,
      onRetry: (what, error, attempt, delayMs) => {
        this.c.counts.retries++;
        this.c.emit({ type: 'retry', runId: this.c.runId, what, attempt, delayMs, error });
      },
    });
    this.c.counts.apiCalls += r.calls;
    this.c.emit({ type: 'batch.written', runId: this.c.runId, size: batch.length, created: r.created, updated: r.updated, rejected: r.rejected, retryable: r.failed, durationMs: this.c.clock.now() - t0 });
    try {
      this.checkThresholds();
    } catch {
      this.c.abort.abort(new Error(this.abortReason));
    }
  }

  private count(row: LedgerRow): void {
    const k = this.c.counts;
    if (row.status === 'written') {
      if (row.detail?.startsWith('created')) k.created++;
      else k.updated++;
      if (pendingStepOf(row.detail)) k.incomplete = (k.incomplete ?? 0) + 1;
      this.consecutiveRejected = 0;
    } else if (row.status === 'skipped') {
      k.skipped++;
      this.consecutiveRejected = 0;
    } else if (row.status === 'rejected') {
      k.rejected++;
      this.consecutiveRejected++;
      if (row.detail !== 'target') k.invalid++;
      else
        this.c.emit({
          type: 'record.rejected',
          runId: this.c.runId,
          ref: { scheme: row.scheme, api: this.cs.scheme.source.api, page: row.sourceRef ?? '', index: 0, sourceId: row.sourceId, ...(row.sourceNumber ? { sourceNumber: row.sourceNumber } : {}) },
          stage: 'target',
          error: { kind: 'vendor', action: 'reject_record', message: row.message ?? 'rejected', remote: { ...(row.errorCode ? { code: row.errorCode } : {}), ...(row.message ? { detail: row.message } : {}) } },
        });
    } else k.failed++;
  }

  private base(ref: RecordRef, hash: string | null): LedgerRow {
    return { scheme: ref.scheme, sourceId: ref.sourceId, sourceNumber: ref.sourceNumber ?? null, payloadHash: hash, runId: this.c.runId, updatedAt: this.c.clock.now(), sourceRef: `${ref.page}#${ref.index}`, status: 'skipped' };
  }

  private invalid(ref: RecordRef, data: JsonObject, payload: JsonObject | undefined, message: string, code: string, field?: string): LedgerRow {
    return {
      ...this.base(ref, null),
      status: 'rejected',
      detail: code.startsWith('quality') ? 'quality' : 'mapping',
      message,
      errorCode: code,
      errorField: field ?? null,
      sourceData: JSON.stringify(data),
      payload: payload ? JSON.stringify(payload) : null,
    };
  }
}
