import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConnections } from '../src/cli/connections.ts';
import { startDemoEnvironment } from '../src/cli/demo-setup.ts';
import { openRun } from '../src/cli/open-run.ts';
import { loadSchemeFile } from '../src/cli/scheme-file.ts';
import type { FaultRule } from '../src/emulators/kingdee/index.ts';
import { startHttpEmulator } from '../src/emulators/http/index.ts';
import type { Faults } from '../src/emulators/http/index.ts';
import { generate } from '../src/emulators/http/store.ts';
import { runScheme } from '../src/engine/run-scheme.ts';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { ROOT, SEED_SCHEME, tempDir } from './support/cli.ts';

/**
 * Issue 11, defects 1 and 6, end to end (engine, real HTTP, emulators): an answer that does not say what
 * happened to a row — or says it about the wrong row — is settled by a look-up, never by a blind re-send.
 * Each shop ends up created exactly once and the ledger holds the ids the target holds.
 */
const RETRY = { maxAttempts: 6, initialDelayMs: 5, maxDelayMs: 40, multiplier: 2, jitter: 0 };

async function kingdeeRun(rules: FaultRule[]) {
  const env = await startDemoEnvironment({ shops: 306, kingdee: { faults: { rules } } }); // every 50th disabled: 300 active
  const dir = tempDir();
  const store = new SqliteStore(join(dir, 'ferry.sqlite'));
  try {
    const scheme = { ...loadSchemeFile(SEED_SCHEME), retry: RETRY };
    const run = openRun(scheme, parseConnections(env.connections, 'test'), store, { logFile: join(dir, 'ferry.log') });
    const report = await runScheme(run.cs, run.deps);
    await run.close();
    const ledger = await store.queryLedger({ scheme: scheme.name, limit: 10_000 });
    const customers = [...env.kingdee.records('BD_Customer')];
    return { report, ledger, customers, stats: env.kingdee.stats() };
  } finally {
    await store.close();
    await env.close();
  }
}

function expectExactlyOnce(r: Awaited<ReturnType<typeof kingdeeRun>>) {
  expect(r.report.status, r.report.reason ?? '').toBe('succeeded');
  expect(r.customers).toHaveLength(300);
  expect(new Set(r.customers.map((c) => c.number)).size).toBe(300);
  expect(r.stats.rejectedRows).toBe(0); // nothing was re-sent as a duplicate create
  expect(r.ledger).toHaveLength(300);
  const idOf = new Map(r.customers.map((c) => [c.number, String(c.id)]));
  for (const row of r.ledger) {
    expect(row.status, `${row.sourceNumber}: ${row.message ?? ''}`).toBe('written');
    expect(row.detail).toBe('created');
    expect(row.targetId, row.sourceNumber ?? '').toBe(idOf.get(row.sourceNumber ?? ''));
  }
  expect(r.report.reconciliation).toMatchObject({ created: 300, failed: 0, rejected: 0, heldByTarget: 300 });
}

describe('Kingdee answers that do not say what happened to a row', () => {
  it('IsSuccess true without SuccessEntitys: rows are looked up, not saved again', async () => {
    const r = await kingdeeRun([{ kind: 'omitSuccess', every: 1, services: ['BatchSave'] }]);
    expectExactlyOnce(r);
    expect(r.stats.byService.batchsave).toBe(3); // one BatchSave per batch of 100, never a second
  }, 60_000);

  it('an answer that leaves some rows out: those are looked up, the rest taken from the answer', async () => {
    const r = await kingdeeRun([{ kind: 'omitRows', rows: 3, every: 1, services: ['BatchSave'] }]);
    expectExactlyOnce(r);
    expect(r.stats.byService.batchsave).toBe(3);
  }, 60_000);

  it('shifted DIndex values: the Number check catches them and the look-up gives each row its own id', async () => {
    const r = await kingdeeRun([{ kind: 'shiftDIndex', shift: 1, every: 1, services: ['BatchSave'] }]);
    expectExactlyOnce(r);
    expect(r.stats.byService.batchsave).toBe(3);
  }, 60_000);
});

async function httpRun(faults: Faults, withLookup: boolean, idempotencyHeader?: string) {
  // One order per customer, so every write is a create and a second send of a row would show.
  const orders = generate('orders', 300, Date.parse('2026-11-01T00:00:00Z')).map((o, i) => ({ ...o, customer_no: `C${String(i).padStart(4, '0')}` }));
  const emu = await startHttpEmulator({ collections: { orders, customers: [] }, faults });
  const dir = tempDir();
  const store = new SqliteStore(join(dir, 'ferry.sqlite'));
  try {
    const base = loadSchemeFile(join(ROOT, 'examples/http-to-http.json'));
    const extra = { ...base.target.extra } as Record<string, unknown>;
    if (!withLookup) delete extra.lookup;
    if (idempotencyHeader) extra.idempotencyHeader = idempotencyHeader;
    const scheme = { ...base, retry: RETRY, target: { ...base.target, extra } };
    const run = openRun(scheme, parseConnections({ emu: { platform: 'http', baseUrl: emu.url } }, 'test'), store, { logFile: join(dir, 'ferry.log') });
    const report = await runScheme(run.cs, run.deps);
    await run.close();
    const ledger = await store.queryLedger({ scheme: scheme.name, limit: 10_000 });
    return { report, ledger, customers: emu.records('customers') as { id: number; number: string }[], stats: emu.stats() };
  } finally {
    await store.close();
    await emu.close();
  }
}

describe('HTTP batch answers without a result for some rows', () => {
  it('with a look-up: the rows are found, not written again; the ledger holds the ids the target holds', async () => {
    const r = await httpRun({ omitResultEvery: 3 }, true);
    expect(r.report.status, r.report.reason ?? '').toBe('succeeded');
    expect(r.ledger).toHaveLength(300);
    // Every order was sent once: the rows whose result was missing were not sent again.
    expect(r.stats.rowsSaved).toBe(300);
    const idOf = new Map(r.customers.map((c) => [c.number, String(c.id)]));
    expect(new Set(r.customers.map((c) => c.number)).size).toBe(r.customers.length);
    expect(r.customers).toHaveLength(300);
    for (const row of r.ledger) {
      expect(row.status, row.message ?? '').toBe('written');
      expect(row.detail).toBe('created');
      expect(row.targetId).toBe(idOf.get(row.targetNumber ?? ''));
    }
  }, 60_000);

  it('without a look-up: the rows are not sent again but settled as failed "outcome unknown"', async () => {
    const r = await httpRun({ omitResultEvery: 3 }, false);
    expect(r.stats.rowsSaved).toBe(300); // nothing sent twice
    const failed = r.ledger.filter((x) => x.status === 'failed');
    expect(failed).toHaveLength(99); // rows 2, 5, … 98 of each batch of 100
    for (const row of failed) {
      expect(row.detail).toBe('outcome unknown');
      expect(row.message).toMatch(/may have been applied/);
    }
    expect(r.ledger.filter((x) => x.status === 'written')).toHaveLength(201);
    expect(r.report.counts.failed).toBe(99);
    expect(r.report.status).toBe('partial');
  }, 60_000);

  it('without a look-up, a batch whose answer was lost is not sent again: its rows are failed "outcome unknown"', async () => {
    const r = await httpRun({ dropEvery: 2 }, false); // every 2nd batch applied, then the connection closed
    expect(r.stats.dropped).toBeGreaterThan(0);
    expect(r.stats.rowsSaved).toBe(300); // nothing sent twice
    const failed = r.ledger.filter((x) => x.status === 'failed');
    expect(failed.length).toBe(100 * r.stats.dropped);
    for (const row of failed) {
      expect(row.detail).toBe('outcome unknown');
      expect(row.message).toMatch(/^outcome unknown, may have been applied: its answer was lost/);
    }
    expect(r.ledger.filter((x) => x.status === 'written')).toHaveLength(300 - failed.length);
  }, 60_000);

  it('without a look-up but with an idempotency key, the same batch is sent again and the target de-duplicates it', async () => {
    const r = await httpRun({ dropEvery: 2 }, false, 'Idempotency-Key');
    expect(r.stats.dropped).toBeGreaterThan(0);
    expect(r.stats.idempotentReplays).toBe(r.stats.dropped);
    expect(r.stats.rowsSaved).toBe(300);
    expect(r.report.status, r.report.reason ?? '').toBe('succeeded');
    expect(r.ledger.filter((x) => x.status === 'written' && x.detail === 'created')).toHaveLength(300);
    const idOf = new Map(r.customers.map((c) => [c.number, String(c.id)]));
    for (const row of r.ledger) expect(row.targetId).toBe(idOf.get(row.targetNumber ?? ''));
  }, 60_000);
});
