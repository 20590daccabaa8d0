import type { LedgerRow, StateStore, StoredCheckpoint } from '../core/contracts/state-store.ts';

/**
 * Commits pages in read order. A page is complete when every one of its records has a ledger row
 * (written, skipped, rejected or failed); then its rows and the checkpoint that resumes after it are
 * committed in one transaction, but only once every earlier page is committed too.
 */
export class PageTracker {
  private readonly queue: OpenPage[] = [];
  private committing: Promise<void> = Promise.resolve();
  private failure: unknown;

  constructor(
    private readonly store: StateStore,
    private readonly onCommitted?: (page: OpenPage) => void,
  ) {}

  open(label: string, stream: string, checkpoint: StoredCheckpoint | null): OpenPage {
    const page = new OpenPage(label, stream, checkpoint, () => this.pump());
    this.queue.push(page);
    return page;
  }

  /** Resolves when every opened page is committed; rejects with the first store failure. */
  async drain(): Promise<void> {
    this.pump();
    await this.committing;
    if (this.failure) throw this.failure;
  }

  get pendingPages(): number {
    return this.queue.length;
  }

  private pump(): void {
    this.committing = this.committing.then(async () => {
      while (!this.failure && this.queue[0]?.complete) {
        const page = this.queue.shift()!;
        try {
          await this.store.commitPage(page.rows, page.checkpoint);
          this.onCommitted?.(page);
        } catch (err) {
          this.failure = err;
        }
      }
    });
  }
}

export class OpenPage {
  readonly rows: LedgerRow[] = [];
  private expected = 0;
  private sealed = false;

  constructor(
    readonly label: string,
    readonly stream: string,
    readonly checkpoint: StoredCheckpoint | null,
    private readonly changed: () => void,
  ) {}

  /** One more record of this page is on its way. */
  expect(): void {
    this.expected++;
  }

  settle(row: LedgerRow): void {
    this.rows.push(row);
    if (this.complete) this.changed();
  }

  /** No more records will be added to this page. */
  seal(): void {
    this.sealed = true;
    if (this.complete) this.changed();
  }

  get complete(): boolean {
    return this.sealed && this.rows.length >= this.expected;
  }
}
