import type { ExistingRecord, TargetSession, WriteItem, WriteOutcome, WriteSpec } from '../core/contracts/platform.ts';
import type { LedgerRow } from '../core/contracts/state-store.ts';
import { FerryFailure, toFerryError, type FerryError } from '../core/errors.ts';
import { backoffDelay } from '../core/policy/backoff.ts';
import type { Clock, RateLimiter } from '../core/policy/rate-limiter.ts';
import { withRetry, type RetryOptions } from '../core/policy/retry.ts';
import { incompleteDetail, type WorkItem } from './work-item.ts';

export interface BatchContext {
  scheme: string;
  runId: string;
  target: TargetSession;
  spec: WriteSpec;
  lookupFirst: boolean;
  onExisting: 'update' | 'skip';
  updateFields?: string[];
  retry: RetryOptions;
  limiter: RateLimiter;
  clock: Clock;
  random?: () => number;
  signal: AbortSignal;
  onRetry?: (what: string, e: FerryError, attempt: number, delayMs: number) => void;
}

export interface BatchResult {
  created: number;
  updated: number;
  /** Written (counted in created/updated) but a follow-up step did not complete. */
  incomplete: number;
  skipped: number;
  rejected: number;
  failed: number;
  calls: number;
}

/**
 * Writes one batch so that nothing is created twice:
 * 1. records not known to the ledger are looked up in the target by number (when it can be queried);
 * 2. existing ones are updated (or skipped, per the scheme), the rest created;
 * 3. a call that may have been applied (timeout, dropped answer) is never re-sent blindly: the records are
 *    looked up again and those now present are settled as created by us;
 * 4. rows the target marks retryable are re-sent alone with backoff; rows it marks maybe-applied (or does not
 *    answer for) are looked up first, and without a look-up settled as failed "outcome unknown";
 *    rejected rows are kept with the reason.
 * Every item is settled exactly once; a fail_run error is thrown after settling nothing it could not.
 */
export async function writeBatch(items: WorkItem[], c: BatchContext): Promise<BatchResult> {
  const res: BatchResult = { created: 0, updated: 0, incomplete: 0, skipped: 0, rejected: 0, failed: 0, calls: 0 };
  const now = () => c.clock.now();
  let todo = items;

  if (c.lookupFirst && c.target.lookup) {
    const unknown = todo.filter((i) => !i.existingId && i.number);
    if (unknown.length) {
      const found = await lookup(unknown, c, res);
      todo = todo.filter((i) => {
        const hit = i.number ? found.get(i.number) : undefined;
        if (!hit) return true;
        if (c.onExisting === 'skip') {
          i.settle(row(i, c, now(), { status: 'skipped', detail: 'existing', targetId: hit.id, targetNumber: hit.number }));
          res.skipped++;
          return false;
        }
        i.existingId = hit.id;
        return true;
      });
    }
  }

  for (let round = 1; todo.length > 0; round++) {
    const byKey = new Map(todo.map((i) => [i.key, i]));
    let maybeApplied = false;
    const outcomes: WriteOutcome[] = await withRetry(
      async (attempt) => {
        if (attempt > 1 && maybeApplied) {
          // The previous call may have landed: settle what is now in the target, re-send only the rest.
          if (canLookup(c)) await resolveApplied([...byKey.values()], byKey, c, res);
          else if (!c.target.idempotentResend?.(c.spec)) {
            // Nothing can tell a lost write from a failed one: creates are not sent again (updates are, by id).
            const again = new Set(settleUnknown([...byKey.values()], c, res, 'its answer was lost'));
            for (const [k, i] of byKey) if (!again.has(i)) byKey.delete(k);
          }
          if (byKey.size === 0) return [];
        }
        res.calls++;
        try {
          return await c.target.write(c.spec, [...byKey.values()].map((i) => toWriteItem(i, c)), c.signal);
        } catch (err) {
          maybeApplied = maybeApplied || toFerryError(err).maybeApplied === true;
          throw err;
        }
      },
      c.retry,
      {
        clock: c.clock,
        limiter: c.limiter,
        signal: c.signal,
        ...(c.random ? { random: c.random } : {}),
        onRetry: (e, attempt, delay) => c.onRetry?.(`write ${describeBatch(todo)}`, e, attempt, delay),
      },
    ).catch((err) => {
      throw new FerryFailure(
        { ...toFerryError(err), message: `${toFerryError(err).message} [${c.spec.api}, batch ${describeBatch(todo)}]` },
        { cause: err },
      );
    });

    const retryable: WorkItem[] = [];
    // Rows the answer left uncertain: marked maybe-applied, or not answered for at all.
    const uncertain: WorkItem[] = [];
    for (const o of outcomes) {
      const i = byKey.get(o.key);
      if (!i) continue;
      byKey.delete(o.key);
      if (o.status === 'saved') {
        const created = (o.created && !i.existingId) || i.createdHere === true;
        const p = o.pending;
        if (p && (p.error.action === 'retry' || p.error.action === 'retry_after')) {
          // Saved, but a follow-up step (Submit, Audit) failed transiently: retry that step only, by id.
          i.createdHere = created;
          i.existingId = o.targetId;
          i.resume = p.step;
          i.pendingError = p.error;
          retryable.push(i);
          continue;
        }
        if (p) settleIncomplete(i, c, res, created, o.targetId, o.targetNumber ?? i.number, p.step, p.error);
        else i.settle(row(i, c, now(), { status: 'written', detail: created ? 'created' : 'updated', targetId: o.targetId, targetNumber: o.targetNumber ?? i.number }));
        if (created) res.created++;
        else res.updated++;
      } else if (o.status === 'rejected') {
        i.settle(rejectedRow(i, c, now(), o.error, o.response));
        res.rejected++;
      } else if (o.error.maybeApplied) uncertain.push(i);
      else {
        i.lastRetryError = o.error;
        if (o.error.outcomeUnknown) i.mayBeSaved = true;
        retryable.push(i);
      }
    }
    for (const i of byKey.values()) if (!outcomes.some((o) => o.key === i.key)) uncertain.push(i);
    if (uncertain.length) retryable.push(...(await settleUncertain(uncertain, c, res)));
    if (retryable.length === 0) break;
    if (round >= c.retry.maxAttempts) {
      for (const i of retryable) {
        if (i.resume && i.existingId && i.pendingError) {
          // The record is in the target; only its follow-up step kept failing.
          settleIncomplete(i, c, res, i.createdHere === true, i.existingId, i.number, i.resume, i.pendingError);
          if (i.createdHere) res.created++;
          else res.updated++;
          continue;
        }
        const last = i.lastRetryError;
        if (i.mayBeSaved && last)
          // The target may hold it (a re-send was refused as a copy, and checking kept failing): say so, keep its answer.
          i.settle(row(i, c, now(), {
            status: 'failed',
            detail: 'outcome unknown',
            message: `outcome unknown after ${round} attempts, may have been saved: ${last.remote?.detail ?? last.message} — the next run looks it up by number before sending it again`,
            errorCode: last.remote?.code ?? last.kind,
          }));
        else i.settle(row(i, c, now(), { status: 'failed', detail: 'retries exhausted', message: `still failing after ${round} attempts${last ? `: ${last.remote?.detail ?? last.message}` : ''}` }));
        res.failed++;
      }
      break;
    }
    const delay = backoffDelay(round, c.retry, c.random);
    c.onRetry?.(`rows ${describeBatch(retryable)}`, { kind: 'row_retry', action: 'retry', message: 'target asked to retry rows' }, round, delay);
    await c.clock.sleep(delay, c.signal);
    todo = retryable;
  }
  return res;
}

async function lookup(items: WorkItem[], c: BatchContext, res: BatchResult): Promise<Map<string, ExistingRecord>> {
  const numbers = [...new Set(items.map((i) => i.number!))];
  return withRetry(
    () => {
      res.calls++;
      return c.target.lookup!(c.spec, numbers, c.signal);
    },
    c.retry,
    {
      clock: c.clock,
      limiter: c.limiter,
      signal: c.signal,
      ...(c.random ? { random: c.random } : {}),
      onRetry: (e, attempt, delay) => c.onRetry?.(`lookup ${describeBatch(items)}`, e, attempt, delay),
    },
  );
}

/** Written, but left unsubmitted / unaudited: the ledger says so (detail `updated, pending Audit`) with the vendor's reason. */
function settleIncomplete(i: WorkItem, c: BatchContext, res: BatchResult, created: boolean, targetId: string, targetNumber: string | undefined, step: string, e: FerryError): void {
  i.settle(
    row(i, c, c.clock.now(), {
      status: 'written',
      detail: incompleteDetail(created, step),
      targetId,
      targetNumber: targetNumber ?? null,
      message: `saved, but ${step} did not complete: ${e.remote?.detail ?? e.message}`,
      errorCode: e.remote?.code ?? e.kind,
    }),
  );
  res.incomplete++;
}

function canLookup(c: BatchContext): boolean {
  return c.target.lookup !== undefined && (c.target.canLookup?.(c.spec) ?? true);
}

/**
 * Rows the target may have saved without saying so (a row answered retryable with maybeApplied, a row the
 * answer does not mention, a row whose result names another record). They are never sent again blindly:
 * - with a look-up, the ones the target now holds are settled as created with the id it holds; the rest
 *   (and updates, which are sent by id and so are safe to repeat) are handed back to be sent again;
 * - without one, a create cannot be told from a lost write: it is settled as failed "outcome unknown"
 *   rather than risk a duplicate — a person checks the target, then replays it.
 * Returns the rows to send again.
 */
async function settleUncertain(items: WorkItem[], c: BatchContext, res: BatchResult): Promise<WorkItem[]> {
  if (canLookup(c)) {
    const byKey = new Map(items.map((i) => [i.key, i]));
    await resolveApplied(items, byKey, c, res);
    return [...byKey.values()];
  }
  return settleUnknown(items, c, res, "the target's answer did not say whether it was saved");
}

/** Without a look-up: creates are settled failed "outcome unknown"; updates (sent by id) are returned to be sent again. */
function settleUnknown(items: WorkItem[], c: BatchContext, res: BatchResult, why: string): WorkItem[] {
  const again: WorkItem[] = [];
  for (const i of items) {
    if (i.existingId) {
      again.push(i);
      continue;
    }
    i.settle(
      row(i, c, c.clock.now(), {
        status: 'failed',
        detail: 'outcome unknown',
        errorCode: 'outcome_unknown',
        message:
          `outcome unknown, may have been applied: ${why} (record ${i.number ?? i.ref.sourceId}), ` +
          'and the target cannot be looked up (no lookup configured), so ferry did not send it again. Check the target, then replay the record if it is missing.',
      }),
    );
    res.failed++;
  }
  return again;
}

async function resolveApplied(items: WorkItem[], byKey: Map<string, WorkItem>, c: BatchContext, res: BatchResult): Promise<void> {
  if (!canLookup(c)) return;
  const candidates = items.filter((i) => !i.existingId && i.number);
  if (!candidates.length) return;
  const found = await lookup(candidates, c, res);
  for (const i of candidates) {
    const hit = found.get(i.number!);
    if (!hit) continue;
    // Found, but not through its follow-up steps (a Kingdee record saved, its auto-audit failed): incomplete.
    if (hit.pending) settleIncomplete(i, c, res, true, hit.id, hit.number, hit.pending.step, hit.pending.error);
    else i.settle(row(i, c, c.clock.now(), { status: 'written', detail: 'created', targetId: hit.id, targetNumber: hit.number }));
    res.created++;
    byKey.delete(i.key);
  }
}

function toWriteItem(i: WorkItem, c: BatchContext): WriteItem {
  return {
    key: i.key,
    payload: i.payload,
    ...(i.number !== undefined ? { number: i.number } : {}),
    ...(i.existingId ? { existingId: i.existingId } : {}),
    ...(i.existingId && c.updateFields ? { updateFields: c.updateFields } : {}),
    ...(i.resume && i.existingId ? { resume: i.resume } : {}),
  };
}

function describeBatch(items: WorkItem[]): string {
  const first = items[0];
  const last = items[items.length - 1];
  const name = (i: WorkItem | undefined) => i?.number ?? i?.ref.sourceId ?? '?';
  return items.length <= 1 ? name(first) : `${name(first)}…${name(last)} (${items.length} records)`;
}

function row(i: WorkItem, c: BatchContext, at: number, extra: Partial<LedgerRow> & Pick<LedgerRow, 'status'>): LedgerRow {
  const keep = extra.status === 'failed' || extra.status === 'rejected';
  return {
    scheme: c.scheme,
    sourceId: i.ref.sourceId,
    sourceNumber: i.ref.sourceNumber ?? null,
    payloadHash: i.hash,
    runId: c.runId,
    updatedAt: at,
    sourceRef: `${i.ref.page}#${i.ref.index}`,
    ...(keep ? { sourceData: JSON.stringify(i.source), payload: JSON.stringify(i.payload) } : {}),
    ...extra,
  };
}

function rejectedRow(i: WorkItem, c: BatchContext, at: number, e: FerryError, response?: unknown): LedgerRow {
  return row(i, c, at, {
    status: 'rejected',
    detail: 'target',
    message: e.remote?.detail ?? e.message,
    errorCode: e.remote?.code ?? e.kind,
    errorField: e.remote?.field ?? null,
    response: response === undefined ? null : JSON.stringify(response),
  });
}
