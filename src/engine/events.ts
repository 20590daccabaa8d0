import type { RunCounts, RunStatus } from '../core/contracts/state-store.ts';
import type { ApiCallEvent } from '../core/contracts/platform.ts';
import type { FerryError } from '../core/errors.ts';
import type { RecordRef } from '../core/records.ts';

/** Everything a run reports, as typed events (for logs, progress, the console and metrics). */
export type RunEvent =
  | { type: 'run.started'; runId: string; scheme: string; trigger: string; at: number; resumed: boolean }
  /** This run found an earlier run of the scheme left `running` by a dead process, marked it interrupted and resumes it. */
  | { type: 'run.resuming'; runId: string; interruptedRunId: string; owner: string; startedAt: number; settled: number; reason: string }
  | { type: 'window.started'; runId: string; stream: string; start: string; end: string }
  | { type: 'page.read'; runId: string; stream: string; page: string; records: number; totalCount?: number }
  | { type: 'page.committed'; runId: string; stream: string; page: string }
  | { type: 'batch.written'; runId: string; size: number; created: number; updated: number; rejected: number; retryable: number; durationMs: number }
  | { type: 'record.rejected'; runId: string; ref: RecordRef; error: FerryError; stage: 'mapping' | 'quality' | 'target' }
  /** Two source records (different ids) map to one target number: the later one is reported, or rejected (`quality.duplicateNumbers`). */
  | { type: 'record.duplicate'; runId: string; ref: RecordRef; number: string; action: 'reported' | 'rejected' }
  /** Something about the read a person should know, e.g. the vendor's total disagrees with the records read. */
  | { type: 'read.warning'; runId: string; stream: string; api: string; code: 'total_mismatch'; message: string; reported: number; read: number }
  | { type: 'retry'; runId: string; what: string; attempt: number; delayMs: number; error: FerryError }
  | { type: 'api.call'; runId: string; call: ApiCallEvent }
  | { type: 'progress'; runId: string; counts: RunCounts; elapsedMs: number; totalEstimate?: number }
  | { type: 'run.finished'; runId: string; status: RunStatus; counts: RunCounts; reason?: string; durationMs: number };

export type EventSink = (e: RunEvent) => void;
