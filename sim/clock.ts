import type { Clock } from '../src/core/policy/rate-limiter.ts';

/** Virtual time shared by every process incarnation of one schedule (ms since epoch). */
export interface VirtualTime {
  now: number;
}

interface Timer {
  at: number;
  seq: number;
  resolve: () => void;
  reject: (e: unknown) => void;
}

/** Thrown into everything a dead process still had in flight. */
export class ProcessDied extends Error {
  constructor() {
    super('simulated process death');
    this.name = 'ProcessDied';
  }
}

/**
 * The clock of one process incarnation. `sleep` registers a timer; time jumps to the earliest timer once
 * nothing else can run (a setImmediate after the microtasks drained: every vendor and the store answer
 * without real I/O). So a backoff of 30 s costs nothing, and concurrent sleepers wake in virtual-time order.
 */
export class VirtualClock implements Clock {
  private timers: Timer[] = [];
  private seq = 0;
  private scheduled = false;
  dead = false;

  constructor(private readonly time: VirtualTime) {}

  now(): number {
    return this.time.now;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (this.dead) return Promise.reject(new ProcessDied());
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<void>((resolve, reject) => {
      const timer: Timer = {
        at: this.time.now + Math.max(0, ms),
        seq: this.seq++,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        reject,
      };
      const onAbort = () => {
        this.timers = this.timers.filter((t) => t !== timer);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.timers.push(timer);
      this.kick();
    });
  }

  /** The process died: everything waiting on this clock fails, and so will every later sleep. */
  kill(): void {
    this.dead = true;
    const pending = this.timers;
    this.timers = [];
    for (const t of pending) t.reject(new ProcessDied());
  }

  get pending(): number {
    return this.timers.length;
  }

  private kick(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.advance());
  }

  private advance(): void {
    this.scheduled = false;
    if (this.dead || this.timers.length === 0) return;
    let first = this.timers[0]!;
    for (const t of this.timers) if (t.at < first.at || (t.at === first.at && t.seq < first.seq)) first = t;
    this.timers = this.timers.filter((t) => t !== first);
    this.time.now = Math.max(this.time.now, first.at);
    first.resolve();
    if (this.timers.length) this.kick();
  }
}
