import type { FaultRule } from './faults.ts';

/**
 * Answers that do not say what happened (faults `omitSuccess`, `omitRows`, `shiftDIndex`): the call was
 * applied in full, then its reply is changed the way a real server's may be (reference, "Inconvenient
 * behaviours"). Works on the operation reply shape `{Result:{ResponseStatus:{…}}}`; anything else is
 * returned unchanged.
 */

interface Row {
  DIndex?: number;
}

export function mangleAnswer(result: unknown, rule: FaultRule): unknown {
  const res = (result as { Result?: { ResponseStatus?: Record<string, unknown> } } | null)?.Result;
  const status = res?.ResponseStatus;
  if (!status) return result;
  const successes = Array.isArray(status.SuccessEntitys) ? (status.SuccessEntitys as Row[]) : [];
  const errors = Array.isArray(status.Errors) ? (status.Errors as Row[]) : [];
  if (rule.kind === 'omitSuccess') {
    status.SuccessEntitys = [];
    status.Errors = [];
    status.IsSuccess = true;
    status.ErrorCode = 0;
    status.MsgCode = 0;
  } else if (rule.kind === 'omitRows') {
    const k = Math.max(1, rule.rows ?? 2);
    const kept = (r: Row) => (r.DIndex ?? 0) % k !== k - 1;
    status.SuccessEntitys = successes.filter(kept);
    status.Errors = errors.filter(kept);
  } else if (rule.kind === 'shiftDIndex') {
    const by = rule.shift ?? 1;
    for (const r of [...successes, ...errors]) if (typeof r.DIndex === 'number') r.DIndex += by;
  }
  return result;
}
