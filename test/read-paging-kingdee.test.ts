import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConnections } from '../src/cli/connections.ts';
import { openRun } from '../src/cli/open-run.ts';
import { Scheme } from '../src/core/scheme/scheme.ts';
import { startKingdeeEmulator, type KingdeeEmulator, type QueryPaging } from '../src/emulators/kingdee/index.ts';
import type { RunEvent } from '../src/engine/events.ts';
import { runScheme } from '../src/engine/run-scheme.ts';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { tempDir } from './support/cli.ts';

/**
 * Issue 11, defects 3 and 8 on the Kingdee side: customers read from one K3Cloud emulator with
 * ExecuteBillQuery (pageSize 500) and written to another, through the engine over real HTTP, under the
 * paging behaviours a real server may show. Every customer exactly once, or a clean failure.
 */

const CUSTOMERS = 1234;
const RETRY = { maxAttempts: 3, initialDelayMs: 5, maxDelayMs: 20, multiplier: 2, jitter: 0 };
const emulators: KingdeeEmulator[] = [];
afterEach(async () => {
  await Promise.all(emulators.splice(0).map((e) => e.close()));
});

const conn = (e: KingdeeEmulator) => ({ platform: 'kingdee', mode: 'signed', baseUrl: e.url, acctId: e.credentials.acctId, username: e.credentials.username, appId: e.credentials.appId, appSecret: e.credentials.appSecret });

async function copyCustomers(paging: QueryPaging) {
  const from = await startKingdeeEmulator({ preloadCustomers: CUSTOMERS, queryPaging: paging });
  const to = await startKingdeeEmulator();
  emulators.push(from, to);
  const dir = tempDir();
  const store = new SqliteStore(join(dir, 'ferry.sqlite'));
  try {
    const scheme = Scheme.parse({
      name: 'customers-copy',
      source: { connection: 'erp-old', api: 'BD_Customer', id: 'FCUSTID', number: 'FNumber', pagination: { pageSize: 500 }, extra: { FieldKeys: 'FCUSTID,FNumber,FName' } },
      target: {
        connection: 'erp-new',
        api: 'batchSave',
        request: [
          { field: 'FNumber', type: 'string', value: '{FNumber}' },
          { field: 'FName', type: 'string', value: '{FName}' },
          { field: 'FCreateOrgId', type: 'string', value: '100', parser: { name: 'ConvertObjectParser', params: 'FNumber' } },
          { field: 'FUseOrgId', type: 'string', value: '100', parser: { name: 'ConvertObjectParser', params: 'FNumber' } },
        ],
        otherRequest: [
          { field: 'FormId', type: 'string', value: 'BD_Customer' },
          { field: 'Operation', type: 'string', value: 'BatchSave' },
          { field: 'IsAutoSubmitAndAudit', type: 'bool', value: 'true' },
        ],
      },
      retry: RETRY,
    });
    const events: RunEvent[] = [];
    const run = openRun(scheme, parseConnections({ 'erp-old': conn(from), 'erp-new': conn(to) }, 'test'), store, { logFile: join(dir, 'ferry.log'), onEvent: (e) => events.push(e) });
    const report = await runScheme(run.cs, run.deps);
    await run.close();
    return { report, events, customers: [...to.records('BD_Customer')], queries: from.stats().byService.executebillquery ?? 0 };
  } finally {
    await store.close();
  }
}

function expectExactlyOnce(r: Awaited<ReturnType<typeof copyCustomers>>) {
  expect(r.report.status, r.report.reason).toBe('succeeded');
  expect(r.report.reconciliation).toMatchObject({ source: CUSTOMERS, created: CUSTOMERS, rejected: 0, failed: 0 });
  expect(r.customers.length).toBe(CUSTOMERS);
  expect(new Set(r.customers.map((c) => c.number)).size).toBe(CUSTOMERS);
}

describe('Kingdee source: a short page does not end the read', () => {
  it('a silent Limit cap (200 of the 500 asked, as older K3Cloud caps at 2000): every customer exactly once', async () => {
    const r = await copyCustomers({ maxLimit: 200 });
    expectExactlyOnce(r);
    expect(r.queries).toBe(8); // 6 × 200, 34, and the empty page that ends the read
  });

  it('a well-behaved server: every customer exactly once, one empty page more than the data', async () => {
    const r = await copyCustomers({});
    expectExactlyOnce(r);
    expect(r.queries).toBe(4); // 500, 500, 234, empty
  });
});

describe('Kingdee source: repeated and cycling pages', () => {
  it('a page answered once with the rows of an earlier page is fetched again: exactly once', async () => {
    const r = await copyCustomers({ maxLimit: 200, repeat: { startRow: 400, as: 0 } });
    expectExactlyOnce(r);
    expect(r.events.some((e) => e.type === 'retry' && e.error.kind === 'repeated_page')).toBe(true);
  });

  it('a page answered once with the previous page is fetched again: exactly once', async () => {
    const r = await copyCustomers({ repeat: { startRow: 500, as: 0 } });
    expectExactlyOnce(r);
  });

  it('rows that cycle (StartRow 400 answers StartRow 0, …) fail the run cleanly, naming the form and the page', async () => {
    const r = await copyCustomers({ maxLimit: 200, cyclePeriod: 400 });
    expect(r.report.status).toBe('failed');
    expect(r.report.reason).toContain('BD_Customer page rows 401-600');
    expect(r.report.reason).toContain('every record of this page was already read earlier in this read');
    expect(r.customers.length).toBeLessThanOrEqual(400);
    expect(new Set(r.customers.map((c) => c.number)).size).toBe(r.customers.length);
  });
});
