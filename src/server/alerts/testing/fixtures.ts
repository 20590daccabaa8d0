import type { Clock } from '../../../core/policy/rate-limiter.ts';
import type { RunCounts, RunStatus } from '../../../core/contracts/state-store.ts';
import type { ApiCallEvent } from '../../../core/contracts/platform.ts';
import type { RunEvent } from '../../../engine/events.ts';
import type { SecretCipher } from '../alert-store.ts';
import type { AlertLogger } from '../dispatcher.ts';

/** Test helpers: a fake clock whose sleep advances time, a reversible cipher, run-event builders. */
export interface FakeClock extends Clock {
  advance(ms: number): void;
  /** Every sleep requested (delivery backoff), in order. */
  sleeps: number[];
}

export function fakeClock(start = Date.UTC(2025, 0, 6, 1, 0, 0)): FakeClock {
  let t = start;
  const sleeps: number[] = [];
  return {
    now: () => t,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      t += ms;
    },
    advance: (ms: number) => {
      t += ms;
    },
    sleeps,
  };
}

/** Reversible and visibly not plaintext (base64 of the reversed string). Not encryption — tests only. */
export const testCipher: SecretCipher = {
  encrypt: (p) => `enc:${Buffer.from([...p].reverse().join(''), 'utf8').toString('base64')}`,
  decrypt: (s) => [...Buffer.from(s.replace(/^enc:/, ''), 'base64').toString('utf8')].reverse().join(''),
};

export function counts(over: Partial<RunCounts> = {}): RunCounts {
  return { read: 0, skipped: 0, created: 0, updated: 0, rejected: 0, failed: 0, invalid: 0, pages: 0, apiCalls: 0, retries: 0, ...over };
}

export function started(runId: string, scheme: string, at: number): RunEvent {
  return { type: 'run.started', runId, scheme, trigger: 'schedule', at, resumed: false };
}

export function finished(runId: string, status: RunStatus, c: RunCounts, reason?: string, durationMs = 65_000): RunEvent {
  return { type: 'run.finished', runId, status, counts: c, durationMs, ...(reason ? { reason } : {}) };
}

export function apiCall(runId: string, connection: string, api: string, ok: boolean, at: number, extra: Partial<ApiCallEvent> = {}): RunEvent {
  return {
    type: 'api.call',
    runId,
    call: { platform: 'kingdee', connection, api, endpoint: `/k3cloud/${api}`, startedAt: at, durationMs: 40, ok, ...(ok ? {} : { status: 500, message: 'server busy' }), ...extra },
  };
}

/** A logger that keeps every line (to assert that no secret reaches the log). */
export function memoryLogger(): AlertLogger & { lines: string[] } {
  const lines: string[] = [];
  const put = (obj: Record<string, unknown>, msg: string) => void lines.push(`${msg} ${JSON.stringify(obj)}`);
  return { lines, info: put, warn: put, error: put };
}
