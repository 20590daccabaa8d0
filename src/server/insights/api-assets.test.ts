import { describe, expect, it } from 'vitest';
import { apiAssets, quantile } from './api-assets.ts';

describe('API asset figures', () => {
  it('estimates p50/p95 from histogram buckets', () => {
    // 10 calls ≤5 ms, 80 calls in (50,100], 10 calls in (250,500]
    const hist = [10, 0, 0, 0, 80, 0, 10, 0, 0, 0, 0, 0, 0];
    expect(quantile(hist, 0.5)).toBe(Math.round(50 + (50 * 40) / 80));
    expect(quantile(hist, 0.95)).toBe(Math.round(250 + (250 * 5) / 10));
    expect(quantile(new Array(13).fill(0), 0.5)).toBeNull();
  });

  it('lists declared APIs without calls and joins observed ones to their schemes', () => {
    const hist = new Array(13).fill(0);
    hist[3] = 4;
    const r = apiAssets(
      [{ connection: 'wdt', platform: 'wdt', api: 'wdt.shop.query', bucketStart: 0, calls: 4, errors: 1, totalMs: 120, hist }],
      [
        { name: 'S', description: null, enabled: true, version: 1, updatedAt: 0, valid: true, schedule: null, source: { connection: 'wdt', api: 'wdt.shop.query' }, target: { connection: 'kd', api: 'batchSave' } },
      ],
      (c) => (c === 'kd' ? 'kingdee' : undefined),
    );
    const wdt = r.apis.find((a) => a.api === 'wdt.shop.query')!;
    expect(wdt).toMatchObject({ calls: 4, errors: 1, errorRate: 0.25, avgMs: 30, usedBy: [{ scheme: 'S', side: 'source' }] });
    expect(r.apis.find((a) => a.connection === 'kd')).toMatchObject({ api: 'batchSave', platform: 'kingdee', calls: 0, p50Ms: null });
    expect(r.connections).toEqual([expect.objectContaining({ connection: 'wdt', calls: 4 })]);
  });
});
