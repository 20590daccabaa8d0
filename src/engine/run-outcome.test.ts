import { describe, expect, it } from 'vitest';
import { emptyCounts } from '../core/contracts/state-store.ts';
import { SqliteStore } from '../store/sqlite/sqlite-store.ts';
import { replayRejected } from './replay.ts';
import { completedStatus } from './run-outcome.ts';
import { runScheme } from './run-scheme.ts';
import { ArraySource, compiledScheme, engineDeps, MapTarget, shops } from './testing-fakes.ts';

describe('run status follows what happened to the records (issue 11, defect 10)', () => {
  it('completedStatus: succeeded only when nothing was lost; none delivered is failed; some is partial', () => {
    expect(completedStatus({ ...emptyCounts(), read: 5, created: 3, skipped: 2 }, 's')).toEqual({ status: 'succeeded' });
    expect(completedStatus(emptyCounts(), 's')).toEqual({ status: 'succeeded' });
    expect(completedStatus({ ...emptyCounts(), read: 5, rejected: 4, failed: 1 }, 's')).toMatchObject({ status: 'failed', reason: expect.stringMatching(/no record was delivered: all 5 were 4 rejected, 1 failed/) });
    expect(completedStatus({ ...emptyCounts(), read: 5, created: 4, failed: 1 }, 's')).toMatchObject({ status: 'partial', reason: expect.stringMatching(/1 of 5 records were not delivered \(1 failed/) });
    // Everything delivered, but saved and left unaudited: not a plain success either.
    expect(completedStatus({ ...emptyCounts(), read: 5, updated: 5, incomplete: 2 }, 's')).toMatchObject({ status: 'partial', reason: expect.stringMatching(/2 records were saved but a follow-up step/) });
  });

  it('a run in which the target rejects every record is failed, not succeeded', async () => {
    const target = new MapTarget();
    target.rejectIf = () => '组织不存在';
    const r = await runScheme(compiledScheme(), engineDeps(new ArraySource(shops(30)), target, new SqliteStore(':memory:')));
    expect(r.status).toBe('failed');
    expect(r.reason).toMatch(/no record was delivered: all 30 were 30 rejected/);
    expect(r.reconciliation).toMatchObject({ source: 30, rejected: 30, written: 0 });
  });

  it('a run in which every record fails (retries exhausted) is failed, and its stored run row says so', async () => {
    const store = new SqliteStore(':memory:');
    const target = new MapTarget();
    target.transientIf = () => true;
    const r = await runScheme(compiledScheme(), engineDeps(new ArraySource(shops(12)), target, store));
    expect(r.reconciliation).toMatchObject({ failed: 12, written: 0 });
    expect(r.status).toBe('failed');
    expect((await store.getRun(r.runId))!.status).toBe('failed');
  });

  it('a row that may be saved (outcomeUnknown) and keeps failing ends "outcome unknown" with the vendor\'s answer; the next run finds it', async () => {
    const store = new SqliteStore(':memory:');
    const target = new MapTarget();
    target.doubtIf = (p) => String(p.FNumber).endsWith('3');
    const cs = compiledScheme();
    const r = await runScheme(cs, engineDeps(new ArraySource(shops(12)), target, store));
    expect(r.status).toBe('partial');
    const failed = await store.queryLedger({ scheme: cs.scheme.name, status: 'failed', limit: 50 });
    expect(failed.map((f) => f.sourceId)).toEqual(['3']); // S3: saved by the target, its answers kept saying retry
    expect(failed[0]).toMatchObject({ detail: 'outcome unknown', errorCode: '12' });
    expect(failed[0]!.message).toMatch(/may have been saved: 提交审核失败/);
    expect(target.store.has('S3')).toBe(true);
    // The next run (the target answers normally again) looks them up: found, so updated in place, never created twice.
    target.doubtIf = () => false;
    const size = target.store.size;
    const again = await runScheme(cs, engineDeps(new ArraySource(shops(12)), target, store));
    expect(again.status).toBe('succeeded');
    expect(target.store.size).toBe(size);
    expect(again.reconciliation.created).toBe(0);
  });

  it('some rejected is partial (with how many in the reason); the rejection thresholds still abort', async () => {
    const target = new MapTarget();
    target.rejectIf = (p) => (String(p.FName).endsWith('5') ? 'FName is not allowed' : undefined);
    const store = new SqliteStore(':memory:');
    const cs = compiledScheme();
    const r = await runScheme(cs, engineDeps(new ArraySource(shops(30)), target, store));
    expect(r.status).toBe('partial');
    expect(r.reason).toMatch(/^3 of 30 records were not delivered \(3 rejected\)/);
    // Replaying the rejected ones, fixed, delivers everything: succeeded.
    target.rejectIf = () => undefined;
    const rr = await replayRejected(cs, engineDeps(new ArraySource([]), target, store));
    expect(rr.status).toBe('succeeded');

    const bad = shops(200).map((s) => ({ ...s, org: 'bad' }));
    const aborted = await runScheme(compiledScheme({ quality: { maxConsecutiveRejections: 25 } }), engineDeps(new ArraySource(bad), new MapTarget(), new SqliteStore(':memory:')));
    expect(aborted.status).toBe('aborted');
  });
});
