import type { Scheme } from '../core/scheme/scheme.ts';
import { enqueueRun, isSchemeRunning, type EnqueueOptions, type ScaleConnection } from './enqueue-run.ts';
import { Scheduler, type ScheduleEvent, type SchedulerClock } from './scheduler.ts';

/**
 * The scheduler of the scaled-out mode (`ferry serve --redis --postgres`, `ferry schedule run --redis …`):
 * a tick enqueues a run for the workers; "running" means the scheme has a scaled-out run that has not
 * finished, whichever process enqueued it (so two serve processes never overlap a scheme either).
 */
export function startScaleScheduler(
  scale: ScaleConnection,
  schemes: Scheme[],
  o: { onEvent?: (e: ScheduleEvent) => void; clock?: SchedulerClock; enqueue?: Omit<EnqueueOptions, 'trigger'> } = {},
): Scheduler {
  const byName = new Map(schemes.map((s) => [s.name, s]));
  const scheduler = new Scheduler({
    startRun: async (name, trigger) => {
      const scheme = byName.get(name);
      if (!scheme) throw new Error(`scheme "${name}" is not loaded`);
      await enqueueRun(scale, scheme, { ...o.enqueue, trigger });
    },
    isRunning: (name) => isSchemeRunning(scale, name),
    pollMs: 2000,
    ...(o.clock ? { clock: o.clock } : {}),
    ...(o.onEvent ? { onEvent: o.onEvent } : {}),
  });
  for (const s of schemes) scheduler.set(s);
  return scheduler;
}
