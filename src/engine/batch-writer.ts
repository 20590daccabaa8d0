import type { WorkItem } from './work-item.ts';

/**
 * Groups records into batches and keeps at most `maxInFlight` batches writing at once.
 * `add` waits while the limit is reached, which back-pressures the reader: memory stays bounded by
 * (maxInFlight + 1) × batchSize records whatever the source size.
 * Two records with the same target number are never in flight together (the second waits), so two
 * concurrent creates of one number cannot happen; and records of one number are written in the order they
 * were added, so the newest version lands last (a record added while an older one of its number is held
 * waits behind it).
 */
export class BatchWriter {
  private pending: WorkItem[] = [];
  private readonly pendingNumbers = new Set<string>();
  private held: WorkItem[] = [];
  private readonly heldNumbers = new Map<string, number>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly flightNumbers = new Set<string>();
  private failure: unknown;

  constructor(
    private readonly batchSize: number,
    private readonly maxInFlight: number,
    private readonly write: (batch: WorkItem[]) => Promise<void>,
  ) {}

  async add(item: WorkItem): Promise<void> {
    this.throwIfFailed();
    const n = item.number;
    if (n !== undefined && (this.flightNumbers.has(n) || this.pendingNumbers.has(n) || this.heldNumbers.has(n))) {
      this.held.push(item);
      this.heldNumbers.set(n, (this.heldNumbers.get(n) ?? 0) + 1);
      if (this.held.length > this.batchSize) await this.waitOne();
      return;
    }
    this.pending.push(item);
    if (n !== undefined) this.pendingNumbers.add(n);
    if (this.pending.length >= this.batchSize) await this.dispatch();
  }

  /** Sends what is pending and waits for every batch (held records included). */
  async flush(): Promise<void> {
    for (;;) {
      this.throwIfFailed();
      if (this.pending.length) await this.dispatch();
      else if (this.inFlight.size) await this.waitOne();
      else if (this.held.length) this.release();
      else return;
    }
  }

  get inFlightCount(): number {
    return this.inFlight.size;
  }

  private async dispatch(): Promise<void> {
    while (this.inFlight.size >= this.maxInFlight) await this.waitOne();
    this.throwIfFailed();
    const batch = this.pending.slice(0, this.batchSize);
    this.pending = this.pending.slice(this.batchSize);
    this.pendingNumbers.clear();
    for (const i of this.pending) if (i.number !== undefined) this.pendingNumbers.add(i.number);
    if (!batch.length) return;
    for (const i of batch) if (i.number !== undefined) this.flightNumbers.add(i.number);
    const p: Promise<void> = this.write(batch)
      .catch((err) => {
        this.failure ??= err;
      })
      .finally(() => {
        this.inFlight.delete(p);
        for (const i of batch) if (i.number !== undefined) this.flightNumbers.delete(i.number);
      });
    this.inFlight.add(p);
  }

  private async waitOne(): Promise<void> {
    if (this.inFlight.size) await Promise.race(this.inFlight);
    this.release();
  }

  /** Moves held records whose number is no longer in flight back into the pending batch. */
  private release(): void {
    const still: WorkItem[] = [];
    for (const i of this.held) {
      const n = i.number!;
      if (this.flightNumbers.has(n) || this.pendingNumbers.has(n)) still.push(i);
      else {
        this.pending.push(i);
        this.pendingNumbers.add(n);
        const left = (this.heldNumbers.get(n) ?? 1) - 1;
        if (left > 0) this.heldNumbers.set(n, left);
        else this.heldNumbers.delete(n);
      }
    }
    this.held = still;
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure;
  }
}
