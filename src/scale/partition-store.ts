import type { LedgerRow, RecordQuery, RunLedgerPageQuery, RunLock, RunRow, StateStore, StoredCheckpoint } from '../core/contracts/state-store.ts';
import type { DistStore } from '../store/postgres/dist-store.ts';

/**
 * The StateStore a partition runs against: everything goes to PostgreSQL as usual, except that a page
 * commit also adds the page's counts to its partition row in the same transaction.
 */
export class PartitionStore implements StateStore {
  constructor(
    private readonly inner: StateStore,
    private readonly dist: DistStore,
    private readonly runId: string,
    private readonly index: number,
  ) {}
  migrate(): Promise<void> {
    return this.inner.migrate();
  }
  createRun(run: Omit<RunRow, 'endedAt' | 'report' | 'reason'>): Promise<void> {
    return this.inner.createRun(run);
  }
  updateRun(id: string, patch: Partial<Pick<RunRow, 'status' | 'counts' | 'reason' | 'report' | 'endedAt'>>): Promise<void> {
    return this.inner.updateRun(id, patch);
  }
  getRun(id: string): Promise<RunRow | undefined> {
    return this.inner.getRun(id);
  }
  listRuns(q: Parameters<StateStore['listRuns']>[0]): Promise<RunRow[]> {
    return this.inner.listRuns(q);
  }
  getCheckpoint(scheme: string, stream: string): Promise<StoredCheckpoint | undefined> {
    return this.inner.getCheckpoint(scheme, stream);
  }
  listCheckpoints(scheme: string): Promise<StoredCheckpoint[]> {
    return this.inner.listCheckpoints(scheme);
  }
  deleteCheckpoint(scheme: string, stream: string): Promise<void> {
    return this.inner.deleteCheckpoint(scheme, stream);
  }
  commitPage(rows: LedgerRow[], checkpoint: StoredCheckpoint | null): Promise<void> {
    return this.dist.commitPartitionPage(this.runId, this.index, rows, checkpoint);
  }
  getLedger(scheme: string, sourceIds: string[]): Promise<Map<string, LedgerRow>> {
    return this.inner.getLedger(scheme, sourceIds);
  }
  queryLedger(q: RecordQuery): Promise<LedgerRow[]> {
    return this.inner.queryLedger(q);
  }
  countLedger(scheme: string, runId?: string): ReturnType<StateStore['countLedger']> {
    return this.inner.countLedger(scheme, runId);
  }
  pageRunLedger(q: RunLedgerPageQuery): ReturnType<StateStore['pageRunLedger']> {
    return this.inner.pageRunLedger(q);
  }
  countRunOutcomes(scheme: string, runId: string): ReturnType<StateStore['countRunOutcomes']> {
    return this.inner.countRunOutcomes(scheme, runId);
  }
  tryLockScheme(lock: RunLock): Promise<RunLock | undefined> {
    return this.inner.tryLockScheme(lock);
  }
  takeOverSchemeLock(lock: RunLock, holder: RunLock): Promise<boolean> {
    return this.inner.takeOverSchemeLock(lock, holder);
  }
  heartbeatSchemeLock(scheme: string, runId: string, at: number): Promise<boolean> {
    return this.inner.heartbeatSchemeLock(scheme, runId, at);
  }
  releaseSchemeLock(scheme: string, runId: string): Promise<void> {
    return this.inner.releaseSchemeLock(scheme, runId);
  }
  getSchemeLock(scheme: string): Promise<RunLock | undefined> {
    return this.inner.getSchemeLock(scheme);
  }
  /** The shared pool stays open: it belongs to the worker. */
  async close(): Promise<void> {}
}
