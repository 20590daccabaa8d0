import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { parseConnections } from '../src/cli/connections.ts';
import { openRun } from '../src/cli/open-run.ts';
import { loadSchemeFile } from '../src/cli/scheme-file.ts';
import { runScheme } from '../src/engine/run-scheme.ts';
import { startKingdeeEmulator, type KingdeeEmulator } from '../src/emulators/kingdee/index.ts';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { startHostileWdt, type HostileOptions, type HostileWdt } from './support/hostile-wdt.ts';
import { SEED_SCHEME, tempDir } from './support/cli.ts';

/**
 * Issue 12, "vendor answers: bounded and typed": the seed scheme (wdt.shop.query → BD_Customer) run by the engine,
 * over real HTTP, against a hostile WDT (test/support/hostile-wdt.ts) and the Kingdee emulator. Each answer ends in
 * a clean failure naming API and page, or in rejected records naming the field; nothing malformed reaches Kingdee.
 * Peak memory of the same cases in a child `ferry run` is measured in test/hostile-answers-rss.test.ts.
 */

interface Outcome {
  status: string;
  reason: string | undefined;
  rejected: Map<string, { message: string | null; errorField: string | null }>;
  customers: { number: string; fields: Record<string, unknown> }[];
  wdt: HostileWdt;
}

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

async function run(mode: HostileOptions, wdtExtra: Record<string, unknown> = {}): Promise<Outcome> {
  const wdt = await startHostileWdt(mode);
  const kingdee: KingdeeEmulator = await startKingdeeEmulator({ orgs: ['100', '101'] });
  cleanup.push(() => wdt.close(), () => kingdee.close());
  const dir = tempDir();
  const store = new SqliteStore(join(dir, 'ferry.sqlite'));
  cleanup.push(() => store.close());
  const c = kingdee.credentials;
  const connections = parseConnections(
    {
      wdt: { platform: 'wdt', transport: 'qimen', baseUrl: wdt.url, sid: 'hostile', appKey: 'k', appSecret: 's3cret-key', targetAppKey: 't', timeoutMs: 5000, ...wdtExtra },
      kingdee: { platform: 'kingdee', mode: 'signed', baseUrl: kingdee.url, acctId: c.acctId, username: c.username, appId: c.appId, appSecret: c.appSecret },
    },
    'test',
  );
  const scheme = { ...loadSchemeFile(SEED_SCHEME), retry: { maxAttempts: 2, initialDelayMs: 10, maxDelayMs: 20, multiplier: 2, jitter: 0 } };
  const opened = openRun(scheme, connections, store, { logFile: join(dir, 'ferry.log') });
  const report = await runScheme(opened.cs, opened.deps);
  await opened.close();
  const ids = ['1', '2', '3', '4', '5'];
  const ledger = await store.getLedger(scheme.name, ids);
  const rejected = new Map<string, { message: string | null; errorField: string | null }>();
  for (const [id, row] of ledger) if (row.status === 'rejected') rejected.set(id, { message: row.message ?? null, errorField: row.errorField ?? null });
  const customers = [...kingdee.records('BD_Customer')].map((r) => ({ number: r.number, fields: r.fields }));
  return { status: report.status, reason: report.reason, rejected, customers, wdt };
}

describe('a hostile WDT answer', () => {
  it('an endless HTTP 200 stream: stopped at the 8 MiB cap with a message naming API, page and the setting, not "no answer"', async () => {
    const o = await run({ mode: 'endless' });
    expect(o.status).toBe('failed');
    expect(o.reason).toContain('wdt.shop.query page 0');
    expect(o.reason).toContain('larger than the 8 MiB cap');
    expect(o.reason).toContain('maxResponseBytes');
    expect(o.reason).not.toContain('no answer within');
    expect(o.wdt.calls).toBe(1); // not retried: the same answer would come again
    expect(o.wdt.bytesSent).toBeLessThan(64 * 1024 * 1024); // the connection was dropped, not drained
    expect(o.customers).toEqual([]);
  }, 60_000);

  it('a 50 MB field: refused at the cap, nothing written', async () => {
    const o = await run({ mode: 'bigField' });
    expect(o.status).toBe('failed');
    expect(o.reason).toMatch(/wdt\.shop\.query page 0: the answer is larger than the 8 MiB cap/);
    expect(o.customers).toEqual([]);
  }, 60_000);

  it('the cap is the connection\'s maxResponseBytes', async () => {
    const o = await run({ mode: 'bigField', bigFieldBytes: 2 * 1024 * 1024 }, { maxResponseBytes: 1024 * 1024 });
    expect(o.reason).toContain('larger than the 1 MiB cap');
    expect(o.reason).toContain('now 1048576');
  }, 60_000);

  it('200,000 records when 100 were asked: refused (at the cap, or by count when the cap allows the body)', async () => {
    const big = await run({ mode: 'tooMany' });
    expect(big.status).toBe('failed');
    expect(big.reason).toContain('larger than the 8 MiB cap');
    const counted = await run({ mode: 'tooMany', tooMany: 101 });
    expect(counted.status).toBe('failed');
    expect(counted.reason).toContain('wdt.shop.query page 0');
    expect(counted.reason).toContain('holds 101 records though page_size 100 was asked for');
    expect(counted.customers).toEqual([]);
  }, 60_000);

  it('an object in shop_no and an array in shop_name reject those records with the field and the kind; the others are written', async () => {
    const o = await run({ mode: 'types' });
    expect(o.status).toBe('partial'); // 3 of 5 delivered
    expect(o.reason).toContain('2 of 5 records were not delivered (2 rejected)');
    expect(o.customers.map((c) => c.number).sort()).toEqual(['HS00001', 'HS00002', 'HS00003']);
    for (const c of o.customers) expect(typeof c.fields.FName === 'string' || typeof c.fields.FName === 'object').toBe(true);
    expect(JSON.stringify(o.customers)).not.toContain('数组');
    expect(o.rejected.get('4')?.errorField).toBe('FNumber');
    expect(o.rejected.get('4')?.message).toContain('got an object ({"no":"HS00005"}) from {shop_no}');
    expect(o.rejected.get('5')?.errorField).toBe('FName');
    expect(o.rejected.get('5')?.message).toContain('got an array (2 items) from {shop_name}');
  }, 60_000);

  it('a GBK answer that says charset=GBK is decoded as GBK', async () => {
    const o = await run({ mode: 'gbk', gbkHeader: true, shops: 3 });
    expect(o.status).toBe('succeeded');
    const names = o.customers.map((c) => JSON.stringify(c.fields.FName));
    expect(names.join(' ')).toContain('测试对象1');
    expect(names.join(' ')).not.toContain('\uFFFD');
  }, 60_000);

  it('a GBK answer without a charset: every record is rejected for its replacement characters, none is written', async () => {
    const o = await run({ mode: 'gbk', gbkHeader: false, shops: 3 });
    expect(o.status).toBe('failed');
    expect(o.customers).toEqual([]);
    expect(o.rejected.size).toBe(3);
    expect(o.rejected.get('1')?.errorField).toBe('shop_name');
    expect(o.rejected.get('1')?.message).toContain('source field "shop_name" holds U+FFFD replacement characters');
  }, 60_000);
});
