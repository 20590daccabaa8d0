import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createFerryServer } from '../src/server/app.ts';
import { requireTestPostgres } from '../src/store/postgres/pg-test-support.ts';
import { openScaleTestEnv, requireTestRedis, TEST_PG_URL, TEST_REDIS_URL } from './scale-support.ts';
import { tcpProxy } from './support/tcp-proxy.ts';
import { until } from './server-support.ts';

const get = async (url: string) => {
  const r = await fetch(url);
  return { status: r.status, json: (await r.json()) as { ok: boolean; checks?: Record<string, string>; failed?: string[] } };
};

/** PostgreSQL and Redis answer here (CI has them): without them these tests skip, except under CI=true, where they fail. */
const scaleReachable = await Promise.all([requireTestPostgres(), requireTestRedis()]).then(
  () => true,
  () => false,
);

describe('health probes: /health/live and /health/ready, without a login', () => {
  const dirs: string[] = [];
  const tmp = () => {
    const d = mkdtempSync(join(tmpdir(), 'ferry-health-'));
    dirs.push(d);
    return d;
  };
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('one process: ready while the SQLite database answers, 503 naming sqlite when it does not; live regardless', async () => {
    const s = await createFerryServer({ dataDir: tmp(), port: 0, env: {}, defaultMetrics: false, alertsOff: true, schedules: false });
    const url = await s.listen();
    try {
      expect(await get(`${url}/health/live`)).toEqual({ status: 200, json: { ok: true } });
      expect(await get(`${url}/health/ready`)).toMatchObject({ status: 200, json: { ok: true, checks: { sqlite: 'ok' }, failed: [] } });
      expect((await get(`${url}/health/ready`)).json.checks).not.toHaveProperty('redis');
      // The database goes away under the server (its connection closed).
      await s.context.server.close();
      const down = await get(`${url}/health/ready`);
      expect(down.status).toBe(503);
      expect(down.json).toMatchObject({ ok: false, failed: ['sqlite'] });
      expect(down.json.checks!.sqlite).toMatch(/not open/);
      expect((await get(`${url}/health/live`)).status).toBe(200);
    } finally {
      await s.close();
    }
  });

  describe.skipIf(!scaleReachable && process.env.CI !== 'true')('scaled out (--redis --postgres)', () => {
    it('ready names PostgreSQL or Redis when either stops answering, and recovers with it', { timeout: 60_000 }, async () => {
      const env = await openScaleTestEnv();
      const pg = await tcpProxy(Number(new URL(TEST_PG_URL).port || 5432));
      const redis = await tcpProxy(Number(new URL(TEST_REDIS_URL).port || 6379));
      const pgUrl = new URL(TEST_PG_URL);
      pgUrl.port = String(pg.port);
      const redisUrl = new URL(TEST_REDIS_URL);
      redisUrl.port = String(redis.port);
      const s = await createFerryServer({
        dataDir: tmp(),
        port: 0,
        env: {},
        defaultMetrics: false,
        alertsOff: true,
        schedules: false,
        scale: { redisUrl: redisUrl.toString(), postgresUrl: pgUrl.toString(), schema: env.schema, prefix: env.prefix },
      });
      const url = await s.listen();
      try {
        expect(await get(`${url}/health/ready`)).toMatchObject({ status: 200, json: { ok: true, checks: { sqlite: 'ok', postgres: 'ok', redis: 'ok' }, failed: [] } });

        redis.cut();
        const noRedis = await get(`${url}/health/ready`);
        expect(noRedis.status).toBe(503);
        expect(noRedis.json).toMatchObject({ ok: false, failed: ['redis'], checks: { sqlite: 'ok', postgres: 'ok' } });
        expect((await get(`${url}/health/live`)).status).toBe(200);
        redis.restore();
        await until(async () => ((await get(`${url}/health/ready`)).status === 200 ? true : undefined), 200);

        pg.cut();
        const noPg = await get(`${url}/health/ready`);
        expect(noPg.status).toBe(503);
        expect(noPg.json).toMatchObject({ ok: false, failed: ['postgres'], checks: { sqlite: 'ok', redis: 'ok' } });
        pg.restore();
        await until(async () => ((await get(`${url}/health/ready`)).status === 200 ? true : undefined), 200);
      } finally {
        await s.close();
        await pg.close();
        await redis.close();
        await env.cleanup();
      }
    });
  });
});
