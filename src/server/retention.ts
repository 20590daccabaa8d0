import type { PruneCounts, ServerStore } from '../core/contracts/server-store.ts';

/** How long `ferry serve` keeps its logs, in days (fractions allowed). The ledger is kept for ever. */
export interface RetentionSettings {
  /** Run events (the console's Logs page and each run's event list). */
  eventsDays: number;
  /** Per-run API call records and hourly API latency statistics. */
  apiCallsDays: number;
  /** Per-record lineage: source, payload and target answer. */
  lineageDays: number;
  /** Finished runs and their quality counts (one process only; each scheme's latest run is kept). */
  runsDays: number;
}

export const DEFAULT_RETENTION: RetentionSettings = { eventsDays: 30, apiCallsDays: 30, lineageDays: 30, runsDays: 365 };

const DAY = 86_400_000;
/** At most one prune per this interval, however many runs finish. */
export const PRUNE_INTERVAL_MS = 3600_000;

/**
 * Prunes the server store past the retention: at start, then at most once an hour — checked on a timer and after
 * every run (so a busy server prunes as it goes, and a test with an injected clock sees it happen).
 */
export class Retention {
  private last = Number.NEGATIVE_INFINITY;
  private running: Promise<PruneCounts | undefined> | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: ServerStore,
    readonly settings: RetentionSettings,
    private readonly o: {
      /** Runs live in the same database as the logs (one process): old runs are pruned too. */
      pruneRuns: boolean;
      now?: () => number;
      onPruned?: (c: PruneCounts) => void;
      onError?: (err: unknown) => void;
    },
  ) {}

  /** When the last prune started (the injected clock), or -Infinity. */
  get lastPrunedAt(): number {
    return this.last;
  }

  private now(): number {
    return (this.o.now ?? Date.now)();
  }

  /** Prunes now (whatever the interval). */
  async prune(): Promise<PruneCounts> {
    const now = this.now();
    this.last = now;
    const s = this.settings;
    const counts = await this.store.prune({
      events: now - s.eventsDays * DAY,
      apiCalls: now - s.apiCallsDays * DAY,
      lineage: now - s.lineageDays * DAY,
      ...(this.o.pruneRuns ? { runs: now - s.runsDays * DAY } : {}),
    });
    this.o.onPruned?.(counts);
    return counts;
  }

  /** Prunes if the last prune is older than the interval; never two at once. */
  maybePrune(): Promise<PruneCounts | undefined> {
    if (this.running || this.now() - this.last < PRUNE_INTERVAL_MS) return this.running ?? Promise.resolve(undefined);
    this.running = this.prune()
      .catch((err: unknown) => {
        this.o.onError?.(err);
        return undefined;
      })
      .finally(() => (this.running = undefined));
    return this.running;
  }

  start(): void {
    void this.maybePrune();
    this.timer = setInterval(() => void this.maybePrune(), 10 * 60_000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}

/** Checks retention days given on the command line or in options. */
export function retentionSettings(partial: Partial<RetentionSettings> = {}): RetentionSettings {
  const s = { ...DEFAULT_RETENTION, ...partial };
  for (const [k, v] of Object.entries(s)) if (!(typeof v === 'number' && Number.isFinite(v) && v > 0)) throw new Error(`retention ${k} must be a positive number of days, got ${String(v)}`);
  return s;
}
