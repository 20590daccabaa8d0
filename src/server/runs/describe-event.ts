import type { RunEvent } from '../../engine/events.ts';

/** A one-line message and the details of a run event, for the event log. */
export function describeEvent(e: RunEvent): { message: string; data: Record<string, unknown> } {
  switch (e.type) {
    case 'run.started':
      return { message: `run started (${e.trigger}${e.resumed ? ', resuming from the last checkpoint' : ''})`, data: { trigger: e.trigger, resumed: e.resumed } };
    case 'run.resuming':
      return { message: `resuming run ${e.interruptedRunId} (interrupted: ${e.reason})`, data: { interruptedRunId: e.interruptedRunId, owner: e.owner, settled: e.settled } };
    case 'window.started':
      return { message: `reading window ${e.start} – ${e.end} (${e.stream})`, data: { stream: e.stream, start: e.start, end: e.end } };
    case 'page.read':
      return { message: `page ${e.page} read: ${e.records} records`, data: { stream: e.stream, page: e.page, records: e.records, totalCount: e.totalCount } };
    case 'page.committed':
      return { message: `page ${e.page} committed`, data: { stream: e.stream, page: e.page } };
    case 'batch.written':
      return { message: `batch of ${e.size} written: ${e.created} created, ${e.updated} updated, ${e.rejected} rejected`, data: { ...e } };
    case 'record.rejected': {
      const who = e.ref.sourceNumber ? `${e.ref.sourceNumber} (id ${e.ref.sourceId})` : `id ${e.ref.sourceId}`;
      return {
        message: `record ${who} rejected at ${e.stage}: ${e.error.message}`,
        data: { sourceId: e.ref.sourceId, sourceNumber: e.ref.sourceNumber, page: e.ref.page, stage: e.stage, kind: e.error.kind, code: e.error.remote?.code, field: e.error.remote?.field },
      };
    }
    case 'record.duplicate':
      return {
        message: `record ${e.ref.sourceNumber ? `${e.ref.sourceNumber} (id ${e.ref.sourceId})` : `id ${e.ref.sourceId}`} has the target number ${e.number} of another source record read earlier in this run${e.action === 'rejected' ? ': rejected' : ': both go to one target record'}`,
        data: { sourceId: e.ref.sourceId, sourceNumber: e.ref.sourceNumber, page: e.ref.page, number: e.number, action: e.action },
      };
    case 'read.warning':
      return { message: e.message, data: { stream: e.stream, api: e.api, code: e.code, reported: e.reported, read: e.read } };
    case 'retry':
      return { message: `retrying ${e.what} (attempt ${e.attempt}, in ${e.delayMs} ms): ${e.error.message}`, data: { what: e.what, attempt: e.attempt, delayMs: e.delayMs, kind: e.error.kind, code: e.error.remote?.code } };
    case 'api.call':
      return { message: `${e.call.platform} ${e.call.api} ${e.call.ok ? 'ok' : 'failed'} in ${e.call.durationMs} ms`, data: { ...e.call } };
    case 'progress':
      return { message: `progress: ${e.counts.read} read`, data: { counts: e.counts } };
    case 'run.finished': {
      const k = e.counts;
      return {
        message: `run ${e.status}${e.reason ? `: ${e.reason}` : ''} — read ${k.read}, created ${k.created}, updated ${k.updated}, skipped ${k.skipped}, rejected ${k.rejected}, failed ${k.failed} in ${(e.durationMs / 1000).toFixed(1)} s`,
        data: { status: e.status, counts: k, durationMs: e.durationMs, reason: e.reason },
      };
    }
  }
}
