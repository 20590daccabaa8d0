import { describe, expect, it } from 'vitest';
import type { QualityCount, ServerStore } from '../../core/contracts/server-store.ts';
import type { LedgerRow, StateStore } from '../../core/contracts/state-store.ts';
import type { CompiledScheme } from '../../engine/compiled-scheme.ts';
import type { EngineDeps } from '../../engine/deps.ts';
import { DUPLICATE_NUMBER_CODE } from '../../engine/record-pipeline.ts';
import { tapLineage } from './lineage-tap.ts';

describe('lineage tap: the quality summary', () => {
  it('counts rejections, and records written although their target number was a duplicate (issue 11, defect 9)', async () => {
    const counted: QualityCount[] = [];
    const server = { saveLineage: async () => {}, addQualityCounts: async (q: QualityCount[]) => void counted.push(...q) } as unknown as ServerStore;
    const store = { commitPage: async () => {}, getLedger: async () => new Map() } as unknown as StateStore;
    const cs = { scheme: { source: { id: 'id' } } } as unknown as CompiledScheme;
    const deps = { store, source: { first: () => ({}), fetchPage: async () => ({ records: [], next: null, label: '0' }) }, target: { maxBatchSize: () => 1, maxInFlight: 1, write: async () => [] } } as unknown as EngineDeps;
    const tapped = tapLineage(deps, cs, server, 'off');
    const row = (id: string, extra: Partial<LedgerRow>): LedgerRow => ({ scheme: 'S', sourceId: id, runId: 'r1', updatedAt: 0, status: 'written', ...extra });
    await tapped.store.commitPage(
      [
        row('1', {}),
        row('2', { errorCode: DUPLICATE_NUMBER_CODE, errorField: 'FNumber' }),
        row('3', { status: 'skipped', errorCode: DUPLICATE_NUMBER_CODE, errorField: 'FNumber' }),
        row('4', { status: 'rejected', errorCode: 'quality:required', errorField: 'FName' }),
      ],
      null,
    );
    expect(counted).toEqual(
      expect.arrayContaining([
        { runId: 'r1', scheme: 'S', errorCode: DUPLICATE_NUMBER_CODE, errorField: 'FNumber', count: 2 },
        { runId: 'r1', scheme: 'S', errorCode: 'quality:required', errorField: 'FName', count: 1 },
      ]),
    );
    expect(counted).toHaveLength(2);
  });
});
