import type { ReadSpec, SourcePage } from '../core/contracts/platform.ts';
import { FerryFailure } from '../core/errors.ts';
import type { JsonObject } from '../core/records.ts';
import { hash53, IdentityTable } from './identity-table.ts';

/** What a read ended with, when the vendor's total disagrees with the records read. */
export interface TotalMismatch {
  reported: number;
  read: number;
  pages: number;
}

/** Identities remembered per read: 2^19 slots (7 MB at most), i.e. the last ~350,000 records of a read. */
const MAX_SLOTS = 1 << 19;

/**
 * Guards one read (one `readPages` call) against sources that do not page as they say:
 * - a page whose records were all read earlier in this read (a repeated page, or pages that cycle: page k
 *   answering page k mod 2) is refused as retryable — a one-off glitch heals on the re-fetch, a source that
 *   keeps repeating fails the run after the retry policy, with the API and the page in the message.
 *   Identities are kept as 53-bit hashes in a bounded table; when it is full it starts over, so a cycle
 *   longer than about 350,000 records is left to the next guard and the run time limit;
 * - a read that goes on far past the total the vendor reported (more than twice the total and more than ten
 *   pages beyond it) fails the run: the vendor's own count bounds the read;
 * - at the end of a read that started at the first page, a reported total that differs from what was read is
 *   handed to the caller (a warning in the run's events and report, never a silent truncation).
 * The total is remembered from the pages that report a positive one: a later page that omits it or says 0
 * does not erase it (vendors that count only on the first page), and a 0 alone is taken as "not counted".
 */
export class ReadGuard {
  private readonly seen = new IdentityTable(1024, MAX_SLOTS);
  private pendingKeys: number[] = [];
  private read = 0;
  private pages = 0;
  private total: number | undefined;

  constructor(
    private readonly spec: ReadSpec,
    private readonly identity: ((rec: JsonObject) => unknown) | undefined,
  ) {}

  /** Throws a retryable failure when every record of `page` was read before in this read. */
  check(page: SourcePage): SourcePage {
    const keys = page.records.map((r) => hash53(this.identityText(r)));
    if (keys.length > 0 && keys.every((k) => this.seen.has(k))) {
      const id = this.identityText(page.records[0]!);
      throw new FerryFailure({
        kind: 'repeated_page',
        action: 'retry',
        message: `reading ${this.spec.api} page ${page.label}: every record of this page was already read earlier in this read (first one: ${id.slice(0, 80)}) — the source repeats or cycles its pages; ferry stops rather than read forever or deliver records twice. Check the source's paging settings (page size, paging parameters) against the vendor's documentation`,
      });
    }
    this.pendingKeys = keys;
    return page;
  }

  /** Records the page as read; throws fail_run when the read has gone far past the vendor's total. */
  accept(page: SourcePage): void {
    for (const k of this.pendingKeys) {
      if (this.seen.add(k) === 'full') {
        this.seen.clear();
        this.seen.add(k);
      }
    }
    this.pendingKeys = [];
    this.read += page.records.length;
    this.pages++;
    const t = page.totalCount;
    // 0 is not a count: vendors that count only when asked (or only on page 0) send 0 for "not counted".
    if (t !== undefined && Number.isFinite(t) && t > 0) this.total = t;
    if (this.total !== undefined && this.total > 0 && page.next !== null) {
      const bound = Math.max(2 * this.total, this.total + 10 * this.spec.pageSize);
      if (this.read > bound)
        throw new FerryFailure({
          kind: 'read_unbounded',
          action: 'fail_run',
          message: `reading ${this.spec.api} page ${page.label}: ${this.read} records read in ${this.pages} pages, but the vendor said the source holds ${this.total} — the pages do not end; ferry stops the read. Check the source's paging settings against the vendor's documentation`,
        });
    }
  }

  /** The disagreement between the vendor's total and the records read, if there is one. */
  mismatch(): TotalMismatch | undefined {
    if (this.total === undefined || this.total === this.read) return undefined;
    return { reported: this.total, read: this.read, pages: this.pages };
  }

  private identityText(r: JsonObject): string {
    const id = this.identity?.(r);
    return id === undefined || id === null || id === '' ? `#${JSON.stringify(r)}` : `=${String(id)}`;
  }
}
