import { describe, expect, it } from 'vitest';
import { LATENCY_BOUNDS_MS } from '../../core/contracts/server-store.ts';
import { emptyCounts } from '../../core/contracts/state-store.ts';
import { SqliteServerStore } from './server-store.ts';
import { SqliteStore } from './sqlite-store.ts';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

describe('SqliteServerStore', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'ferry-sstore-')), 'ferry.sqlite');

  it('shares one file with the StateStore, whichever opens it first', async () => {
    const server = new SqliteServerStore(file);
    const state = new SqliteStore(file);
    await state.createRun({ id: 'r1', scheme: 'S', status: 'running', trigger: 'manual', startedAt: 3_600_000, counts: emptyCounts(), owner: '999999@nowhere' });
    expect(await server.listRunningRuns()).toEqual([{ id: 'r1', scheme: 'S', owner: '999999@nowhere' }]);
    await state.updateRun('r1', { status: 'succeeded', counts: { ...emptyCounts(), read: 10, created: 7, rejected: 3 }, endedAt: 3_700_000 });
    expect(await server.throughput({ since: 0, bucketMs: 3_600_000 })).toEqual([{ bucketStart: 3_600_000, runs: 1, failedRuns: 0, read: 10, written: 7, rejected: 3, failed: 0 }]);

    await state.commitPage(
      [
        { scheme: 'S', sourceId: 'a', status: 'rejected', runId: 'r1', updatedAt: 1, errorCode: 'quality:x', errorField: 'F', sourceData: '{"v":1}' },
        { scheme: 'S', sourceId: 'b', status: 'written', runId: 'r1', updatedAt: 1, targetId: 't' },
      ],
      null,
    );

    await server.addQualityCounts([{ runId: 'r1', scheme: 'S', errorCode: 'quality:x', errorField: 'F', count: 2 }]);
    await server.addQualityCounts([{ runId: 'r1', scheme: 'S', errorCode: 'quality:x', errorField: 'F', count: 1 }]);
    expect(await server.qualitySummary({ scheme: 'S', runId: 'r1' })).toEqual([{ errorCode: 'quality:x', errorField: 'F', count: 3 }]);
    expect(await server.qualitySummary({ scheme: 'S', since: 0 })).toEqual([{ errorCode: 'quality:x', errorField: 'F', count: 3 }]);
    expect(await server.qualitySummary({ scheme: 'S', since: 4_000_000 })).toEqual([]);
    await server.close();
    await state.close();
  });

  it('versions schemes, sums API statistics and keeps lineage', async () => {
    const s = new SqliteServerStore(':memory:');
    expect((await s.putScheme({ name: 'S', text: '{}', enabled: true, createdAt: 1, updatedAt: 1 })).version).toBe(1);
    expect((await s.putScheme({ name: 'S', text: '{"a":1}', enabled: false, createdAt: 1, updatedAt: 2 })).version).toBe(2);
    await s.setSchemeEnabled('S', true, 3);
    expect(await s.getScheme('S')).toMatchObject({ text: '{"a":1}', enabled: true, version: 2 });

    const hist = (i: number) => LATENCY_BOUNDS_MS.map((_, j) => (j === i ? 1 : 0)).concat(0);
    await s.addApiStats([{ connection: 'c', platform: 'p', api: 'a', bucketStart: 0, calls: 1, errors: 0, totalMs: 10, hist: hist(1) }]);
    await s.addApiStats([{ connection: 'c', platform: 'p', api: 'a', bucketStart: 0, calls: 1, errors: 1, totalMs: 30, hist: hist(3) }]);
    const [b] = await s.queryApiStats({ since: 0 });
    expect(b).toMatchObject({ calls: 2, errors: 1, totalMs: 40 });
    expect(b!.hist[1]! + b!.hist[3]!).toBe(2);

    await s.saveLineage([{ scheme: 'S', sourceId: '1', runId: 'r1', sourceData: '{"s":1}', payload: '{"p":1}', response: null, targetId: 't1', updatedAt: 1 }]);
    await s.saveLineage([{ scheme: 'S', sourceId: '1', runId: 'r2', sourceData: null, payload: '{"p":2}', response: '{"ok":true}', targetId: null, updatedAt: 2 }]);
    expect(await s.getLineage('S', '1')).toEqual({ scheme: 'S', sourceId: '1', runId: 'r2', sourceData: '{"s":1}', payload: '{"p":2}', response: '{"ok":true}', targetId: 't1', updatedAt: 2 });

    await s.appendEvents([{ runId: 'r1', scheme: 'S', at: 1, type: 'retry', level: 'warn', message: 'retrying 50% of it', data: null }]);
    expect(await s.queryEvents({ search: '50%' })).toHaveLength(1);
    expect(await s.queryEvents({ search: '5_%' })).toHaveLength(0);
    await s.close();
  });
});
