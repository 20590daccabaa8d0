import type { LedgerRunCounts, RunLock, RunRow, StateStore } from '../core/contracts/state-store.ts';
import type { Clock } from '../core/policy/rate-limiter.ts';
import { makeHolderJudge, thisProcess, type HolderJudge } from './process-liveness.ts';

/** Runs of THIS process that hold their scheme's lock (a run abandoned in-process is not among them). */
const activeHere = new Set<string>();

/** The default judge of lock holders (pid + start time on this host, heartbeat elsewhere). */
export const defaultHolderJudge: HolderJudge = makeHolderJudge({ activeHere: (id) => activeHere.has(id) });

/** A second run of a scheme that is running: says which run holds it, where, and since when. */
export class SchemeBusyError extends Error {
  constructor(
    readonly holder: RunLock,
    readonly run: RunRow | undefined,
  ) {
    super(
      `scheme "${holder.scheme}" is already running: run ${holder.runId} (pid ${holder.pid} on ${holder.host}, started ${new Date(run?.startedAt ?? holder.acquiredAt).toISOString()}${run?.trigger ? `, ${run.trigger}` : ''}). ` +
        'Wait for it to end or stop it (Ctrl-C, or cancel it in the console); a run whose process is gone is taken over by the next run.',
    );
    this.name = 'SchemeBusyError';
  }
}

export interface HeldSchemeLock {
  /** The dead holder this run took the lock over from, if any. */
  takenOver?: RunLock;
  /** Stops the heartbeat (and waits for one in flight), e.g. before the run writes its end. Release still needed. */
  stopHeartbeat(): Promise<void>;
  release(): Promise<void>;
}

/**
 * Takes the scheme's run lock for `runId` or throws SchemeBusyError naming the live holder. A holder the judge
 * finds gone is taken over by compare-and-set on (run, heartbeat): of two processes taking over at once one
 * wins, the other sees the winner alive and refuses. While held, the heartbeat is refreshed every
 * `heartbeatMs` (and `onBeat` runs, e.g. to store progress counts).
 */
export async function lockScheme(
  store: StateStore,
  scheme: string,
  runId: string,
  o: { clock: Clock; judge?: HolderJudge; heartbeatMs?: number; onBeat?: () => Promise<void> },
): Promise<HeldSchemeLock> {
  const judge = o.judge ?? defaultHolderJudge;
  const me = thisProcess();
  let takenOver: RunLock | undefined;
  for (let attempt = 0; ; attempt++) {
    const now = o.clock.now();
    const lock: RunLock = { scheme, runId, ...me, acquiredAt: now, heartbeatAt: now };
    const holder = await store.tryLockScheme(lock);
    if (!holder) break;
    if (holder.runId === runId) break; // already ours (a retried start)
    if (judge(holder, now) === 'alive' || attempt >= 5) throw new SchemeBusyError(holder, await store.getRun(holder.runId));
    if (await store.takeOverSchemeLock(lock, holder)) {
      takenOver = holder;
      break;
    }
    // Someone else took it over or the holder showed life meanwhile: look again.
  }
  activeHere.add(runId);
  let beat: Promise<void> | undefined;
  const timer = setInterval(() => {
    beat ??= (async () => {
      try {
        await store.heartbeatSchemeLock(scheme, runId, o.clock.now());
        await o.onBeat?.();
      } catch {
        // A missed heartbeat is harmless unless it lasts the stale period; the store's errors surface in the run.
      } finally {
        beat = undefined;
      }
    })();
  }, o.heartbeatMs ?? 5000);
  timer.unref();
  const stopHeartbeat = async () => {
    clearInterval(timer);
    await beat;
  };
  return {
    ...(takenOver ? { takenOver } : {}),
    stopHeartbeat,
    async release() {
      await stopHeartbeat();
      activeHere.delete(runId);
      await store.releaseSchemeLock(scheme, runId).catch(() => undefined);
    },
  };
}

export interface InterruptedRun {
  run: RunRow;
  counts: LedgerRunCounts;
}

/**
 * Marks `interrupted` the runs left `running` by a process that is gone, with the counts their ledger rows
 * hold (the process could not write its own). A run holds its scheme's lock from before its row is created
 * until after its end is written, so: with `lockHeld` (the caller holds the scheme's lock) every other
 * running row of the scheme is dead; otherwise a row is judged by its lock, or — holding none — by its owner.
 * Rows not owned by one process (scaled-out runs, owner not `pid@host`) are left to their own machinery.
 */
export async function interruptAbandonedRuns(
  store: StateStore,
  o: { scheme?: string; lockHeld?: boolean; exceptRunId?: string; judge?: HolderJudge; now: number },
): Promise<InterruptedRun[]> {
  const judge = o.judge ?? defaultHolderJudge;
  const out: InterruptedRun[] = [];
  for (const r of await store.listRuns({ ...(o.scheme ? { scheme: o.scheme } : {}), status: 'running', limit: 1000 })) {
    if (r.id === o.exceptRunId) continue;
    const owner = /^(\d+)@(.+)$/.exec(r.owner ?? '');
    if (!owner) continue;
    if (!o.lockHeld) {
      const lock = await store.getSchemeLock(r.scheme);
      const holder: RunLock =
        lock && lock.runId === r.id
          ? lock
          : { scheme: r.scheme, runId: r.id, pid: Number(owner[1]), host: owner[2]!, processStart: null, acquiredAt: r.startedAt, heartbeatAt: r.startedAt };
      if (judge(holder, o.now) === 'alive') continue;
    }
    const counts = await store.countRunOutcomes(r.scheme, r.id);
    await store.updateRun(r.id, {
      status: 'interrupted',
      counts: { ...r.counts, ...counts },
      endedAt: o.now,
      reason:
        `the process running it (pid ${owner[1]} on ${owner[2]}) stopped before the run ended (killed or crashed); ` +
        `the ledger holds ${counts.read} of its records (${counts.created + counts.updated} written, ${counts.skipped} skipped, ${counts.rejected} rejected, ${counts.failed} failed); the next run resumes from its last committed page`,
    });
    out.push({ run: r, counts });
  }
  return out;
}
