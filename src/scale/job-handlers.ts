import type { Job } from 'bullmq';
import { UnrecoverableError } from 'bullmq';
import type { RunStatus } from '../core/contracts/state-store.ts';
import { systemClock } from '../core/policy/rate-limiter.ts';
import { planPartitions, type PartitionPlan, type PartitionSpec } from '../engine/partition-plan.ts';
import { runPartition } from '../engine/partition-run.ts';
import { reconcile } from '../engine/reconcile.ts';
import { completedStatus } from '../engine/run-outcome.ts';
import { loadRunScheme, openDistRun, type WorkerContext } from './dist-run.ts';
import { PartitionStore } from './partition-store.ts';
import {
  FINISH_JOB_OPTIONS, jobIds, PARTITION_JOB_OPTIONS, QUEUE_NAME, type FinishJob, type PartitionJob, type PlanJob, type ScaleQueues,
} from './queue.ts';

const lastAttempt = (job: Job) => job.attemptsMade + 1 >= (job.opts.attempts ?? 1);

/** Plans the run once (a retried plan job finds the committed plan), then adds the partitions as one flow. */
export async function handlePlan(ctx: WorkerContext, queues: ScaleQueues, job: Job<PlanJob>): Promise<{ partitions: number }> {
  const { runId } = job.data;
  const run = await ctx.dist.getRun(runId);
  if (!run) throw new UnrecoverableError(`run ${runId} is not in the store`);
  if (run.finishedAt !== null) return { partitions: 0 };
  // The server's sealed connections travel on to every job of the run.
  const carried = job.data.connections ? { connections: job.data.connections } : {};
  try {
    let partitions = await ctx.dist.partitions(runId);
    if (run.plannedAt === null) {
      const scheme = await loadRunScheme(ctx, runId);
      const opened = openDistRun(ctx, scheme, ctx.store);
      let plan: PartitionPlan;
      try {
        plan = await planPartitions(opened.cs, opened.deps, run.options as { pagesPerPartition?: number; maxPartitions?: number });
        opened.logger.info({ event: 'run.planned', runId, partitions: plan.partitions.length, note: plan.note }, `run ${runId} planned: ${plan.note}`);
      } finally {
        await opened.close();
      }
      ({ partitions } = await ctx.dist.savePlan(runId, plan, plan.partitions.map((p) => ({ index: p.index, stream: p.stream, spec: p })), Date.now()));
    }
    // The flow exists already when this is a retry after it was added.
    if (await queues.queue.getJob(jobIds.finish(runId))) return { partitions: partitions.length };
    await queues.flow.add({
      name: 'finish',
      queueName: QUEUE_NAME,
      data: { runId, ...carried } satisfies FinishJob,
      opts: { ...FINISH_JOB_OPTIONS, jobId: jobIds.finish(runId) },
      children: partitions.map((p) => ({
        name: 'partition',
        queueName: QUEUE_NAME,
        data: { runId, index: p.index, ...carried } satisfies PartitionJob,
        opts: { ...PARTITION_JOB_OPTIONS, jobId: jobIds.partition(runId, p.index) },
      })),
    });
    return { partitions: partitions.length };
  } catch (err) {
    if (lastAttempt(job)) await failRun(ctx, runId, `the run could not be planned: ${(err as Error).message}`);
    throw err;
  }
}

/** Runs one partition; a failed attempt throws so BullMQ retries it (it resumes from its checkpoint). */
export async function handlePartition(ctx: WorkerContext, job: Job<PartitionJob>, signal?: AbortSignal): Promise<{ status: RunStatus }> {
  const { runId, index } = job.data;
  const part = await ctx.dist.partition(runId, index);
  if (!part) throw new UnrecoverableError(`partition ${index} of run ${runId} is not in the store`);
  if (part.status === 'done') return { status: 'succeeded' };
  // A run cancelled (or failed) meanwhile: its remaining partitions are not started.
  const run = await ctx.dist.getRun(runId);
  if (run && run.finishedAt !== null) return { status: 'cancelled' };
  const scheme = await loadRunScheme(ctx, runId);
  await ctx.dist.startPartition(runId, index, ctx.workerId, Date.now());
  const opened = openDistRun(ctx, scheme, new PartitionStore(ctx.store, ctx.dist, runId, index), signal);
  try {
    const r = await runPartition(opened.cs, opened.deps, { runId, partition: part.spec as PartitionSpec });
    const extra = { apiCalls: r.counts.apiCalls, retries: r.counts.retries };
    const ok = r.status === 'succeeded';
    await ctx.dist.endPartition(runId, index, ok ? 'done' : 'failed', extra, ok ? null : (r.reason ?? r.status), Date.now());
    await ctx.dist.rollUpCounts(runId);
    opened.logger.info({ event: 'partition.finished', runId, partition: part.stream, status: r.status, reason: r.reason, attempt: job.attemptsMade + 1 }, `partition ${part.stream} of run ${runId}: ${r.status}`);
    if (!ok) throw new Error(`partition ${part.stream}: ${r.reason ?? r.status}`);
    return { status: r.status };
  } finally {
    await opened.close();
  }
}

/** The flow's parent: every partition has completed or failed for good. Writes the run's outcome. */
export async function handleFinish(ctx: WorkerContext, job: Job<FinishJob>): Promise<{ status: RunStatus }> {
  const { runId } = job.data;
  const run = await ctx.dist.getRun(runId);
  const row = await ctx.store.getRun(runId);
  if (!run || !row) throw new UnrecoverableError(`run ${runId} is not in the store`);
  if (run.finishedAt !== null) return { status: row.status };
  const scheme = await loadRunScheme(ctx, runId);
  const partitions = await ctx.dist.partitions(runId);
  const counts = await ctx.dist.rollUpCounts(runId);
  const failed = partitions.filter((p) => p.status !== 'done');
  const { status, reason }: { status: RunStatus; reason?: string | undefined } = failed.length
    ? { status: 'failed', reason: `${failed.length} of ${partitions.length} partitions failed: ${failed.slice(0, 5).map((p) => `${p.stream} (${p.reason ?? p.status})`).join('; ')}${failed.length > 5 ? '; …' : ''}` }
    : completedStatus(counts, scheme.name);

  const plan = run.plan as PartitionPlan | null;
  if (plan?.highWater != null && !failed.some((p) => p.stream.startsWith('incremental:')))
    await ctx.store.commitPage([], { scheme: scheme.name, stream: 'incremental', cursor: null, highWater: plan.highWater, runId, updatedAt: Date.now() });
  for (const p of partitions) if (p.status === 'done') await ctx.store.deleteCheckpoint(scheme.name, p.stream);

  const opened = openDistRun(ctx, scheme, ctx.store);
  try {
    const report = await reconcile(opened.cs, opened.deps, { runId, counts, status, reason, started: row.startedAt, reconcileTarget: true, clock: systemClock });
    await ctx.store.updateRun(runId, { status, counts, endedAt: Date.now(), reason: reason ?? null, report: JSON.stringify(report) });
    await ctx.dist.markFinished(runId, Date.now());
    opened.logger[status === 'succeeded' ? 'info' : 'error']({ event: 'run.finished', runId, status, counts, reason }, `run ${runId} ${status}${reason ? `: ${reason}` : ''}`);
  } finally {
    await opened.close();
  }
  return { status };
}

async function failRun(ctx: WorkerContext, runId: string, reason: string): Promise<void> {
  await ctx.store.updateRun(runId, { status: 'failed', reason, endedAt: Date.now() });
  await ctx.dist.markFinished(runId, Date.now());
}
