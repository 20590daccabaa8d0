import type { RunEvent } from '../engine/events.ts';
import type { RunReport } from '../engine/reconcile.ts';

export type RunListener = (e: RunEvent) => void;

/**
 * Subscribers to run events and run reports (event log, metrics, alerts, live views), shared by the
 * in-process and the scaled run managers. A listener that throws is reported, never breaks a run.
 */
export class RunEventHub {
  private readonly listeners = new Set<RunListener>();
  private readonly reportListeners = new Set<(r: RunReport) => void>();

  constructor(private readonly onError?: (err: unknown) => void) {}

  /** Subscribes to every event of every run; returns the unsubscribe function. */
  on(listener: RunListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Subscribes to the reconciliation report of every run that ends; returns the unsubscribe function. */
  onReport(listener: (r: RunReport) => void): () => void {
    this.reportListeners.add(listener);
    return () => this.reportListeners.delete(listener);
  }

  emit(e: RunEvent): void {
    for (const l of this.listeners) this.safely(() => l(e));
  }

  emitReport(r: RunReport): void {
    for (const l of this.reportListeners) this.safely(() => l(r));
  }

  private safely(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.onError?.(err);
    }
  }
}
