import type { RunReport } from '../engine/reconcile.ts';
import type { LiveRun, RunListener, StartedRun } from './run-manager.ts';

/**
 * What the routes, the schedules and the server's subscribers need of "the thing that runs schemes":
 * RunManager runs them in this process; ScaledRunManager enqueues them for `ferry worker` processes.
 */
export interface RunControl {
  on(listener: RunListener): () => void;
  onReport(listener: (r: RunReport) => void): () => void;
  /** Whether this server has a run of the scheme going (answers at once, for the console). */
  isRunning(schemeName: string): boolean;
  /** For the schedules' overlap policy: also runs started by other processes (scaled-out mode). */
  isRunningAnywhere?(schemeName: string): Promise<boolean>;
  running(): LiveRun[];
  live(runId: string): LiveRun | undefined;
  startRun(schemeName: string, trigger?: string): Promise<StartedRun>;
  replay(schemeName: string, ids?: string[]): Promise<StartedRun>;
  /** Best effort: true when the run was known here and is being stopped. */
  cancel(runId: string): boolean;
  shutdown(): Promise<void>;
  markAbandonedRuns(): Promise<number>;
}
