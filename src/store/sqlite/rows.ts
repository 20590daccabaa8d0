import type { LedgerRow, LedgerStatus, RunLock, RunRow, RunStatus } from '../../core/contracts/state-store.ts';
import { emptyCounts } from '../../core/contracts/state-store.ts';

export type Row = Record<string, unknown>;

const str = (v: unknown): string | null => (v == null ? null : String(v));

export function ledgerFromRow(r: Row): LedgerRow {
  return {
    scheme: String(r.scheme),
    sourceId: String(r.source_id),
    sourceNumber: str(r.source_number),
    payloadHash: str(r.payload_hash),
    targetId: str(r.target_id),
    targetNumber: str(r.target_number),
    status: String(r.status) as LedgerStatus,
    detail: str(r.detail),
    runId: String(r.run_id),
    updatedAt: Number(r.updated_at),
    message: str(r.message),
    errorCode: str(r.error_code),
    errorField: str(r.error_field),
    sourceData: str(r.source_data),
    payload: str(r.payload),
    response: str(r.response),
    sourceRef: str(r.source_ref),
  };
}

export function runFromRow(r: Row): RunRow {
  return {
    id: String(r.id),
    scheme: String(r.scheme),
    status: String(r.status) as RunStatus,
    trigger: String(r.trigger),
    startedAt: Number(r.started_at),
    endedAt: r.ended_at == null ? null : Number(r.ended_at),
    counts: { ...emptyCounts(), ...(JSON.parse(String(r.counts)) as object) },
    reason: str(r.reason),
    report: str(r.report),
    owner: str(r.owner),
  };
}

export function lockFromRow(r: Row): RunLock {
  return {
    scheme: String(r.scheme),
    runId: String(r.run_id),
    pid: Number(r.pid),
    host: String(r.host),
    processStart: str(r.process_start),
    acquiredAt: Number(r.acquired_at),
    heartbeatAt: Number(r.heartbeat_at),
  };
}
