import { describe, expect, it } from 'vitest';
import { emptyCounts } from '../core/contracts/state-store.ts';
import type { RunReport } from '../engine/reconcile.ts';
import { formatReport } from './format-report.ts';

const base: RunReport = {
  runId: 'r1', scheme: 'S', status: 'succeeded', startedAt: '2026-12-01T00:00:00.000Z', durationMs: 1000, recordsPerSecond: 10, counts: emptyCounts(),
  reconciliation: { source: 10, skippedUnchanged: 0, written: 10, created: 9, updated: 1, rejected: 0, failed: 0 }, rejected: [],
};

describe('formatReport', () => {
  it('prints duplicate target numbers and read warnings (issue 11, defect 9)', () => {
    const text = formatReport({
      ...base,
      duplicates: { count: 1, action: 'report', examples: [{ number: 'SHOP000003', sourceIds: ['3', '7'] }] },
      warnings: [{ code: 'total_mismatch', stream: 'full', message: 'wdt.shop.query (full): the vendor reported 195 records but 255 were read in 3 pages' }],
    });
    expect(text).toContain('duplicate target numbers: 1 source record had a number another source record of the run already had');
    expect(text).toContain('SHOP000003  source ids 3, 7');
    expect(text).toContain('the vendor reported 195 records but 255 were read');
    expect(formatReport(base)).not.toContain('warnings');
  });
});
