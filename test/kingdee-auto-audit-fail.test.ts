import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConnections } from '../src/cli/connections.ts';
import { startDemoEnvironment } from '../src/cli/demo-setup.ts';
import { openRun } from '../src/cli/open-run.ts';
import { loadSchemeFile } from '../src/cli/scheme-file.ts';
import type { FaultRule } from '../src/emulators/kingdee/index.ts';
import { runScheme } from '../src/engine/run-scheme.ts';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { SEED_SCHEME, tempDir } from './support/cli.ts';

/**
 * A create sent with IsAutoSubmitAndAudit whose save succeeds but whose automatic submit/audit fails,
 * answered with the row in Errors only (emulator fault `autoAuditFail`, found by the simulation): the row
 * is not taken for a rejection. It is looked up; found unaudited, it is ledgered saved with Submit pending
 * (Kingdee's message kept), and the next run completes Submit and Audit without creating it again.
 */
const RETRY = { maxAttempts: 8, initialDelayMs: 5, maxDelayMs: 40, multiplier: 2, jitter: 0 };

async function createUnder(rules: FaultRule[]) {
  const env = await startDemoEnvironment({ shops: 306 }); // every 50th disabled: 300 active
  const dir = tempDir();
  const store = new SqliteStore(join(dir, 'ferry.sqlite'));
  try {
    const scheme = { ...loadSchemeFile(SEED_SCHEME), retry: RETRY };
    const connections = parseConnections(env.connections, 'test');
    env.kingdee.setFaults({ rules });
    const first = openRun(scheme, connections, store, { logFile: join(dir, 'ferry.log') });
    const report = await runScheme(first.cs, first.deps);
    await first.close();
    const ledger = await store.queryLedger({ scheme: scheme.name, limit: 10_000 });
    const customers = [...env.kingdee.records('BD_Customer')];
    env.kingdee.setFaults({});
    const second = openRun(scheme, connections, store, { logFile: join(dir, 'ferry.log') });
    const report2 = await runScheme(second.cs, second.deps);
    await second.close();
    const again = { report: report2, ledger: await store.queryLedger({ scheme: scheme.name, limit: 10_000 }), customers: [...env.kingdee.records('BD_Customer')], stats: env.kingdee.stats() };
    return { report, ledger, customers, again };
  } finally {
    await store.close();
    await env.close();
  }
}

describe('Kingdee IsAutoSubmitAndAudit: saved, auto-audit failed, row answered in Errors only', () => {
  it('the record is found and ledgered saved with Submit pending, then audited by the next run', async () => {
    const message = '客户提交审核失败：审批流程异常。';
    const r = await createUnder([{ kind: 'autoAuditFail', every: 1, count: 1, rows: 25, message, services: ['BatchSave'] }]);
    expect(r.ledger.filter((x) => x.status === 'rejected').map((x) => `${x.sourceNumber}: ${x.message}`)).toEqual([]);
    const pending = r.ledger.filter((x) => x.detail === 'created, pending Submit');
    expect(pending).toHaveLength(4); // DIndex 0, 25, 50, 75 of the first BatchSave
    for (const x of pending) {
      expect(x.status).toBe('written');
      expect(x.message).toBe(`saved, but Submit did not complete: ${message}`);
    }
    expect(r.report.counts).toMatchObject({ created: 300, rejected: 0, failed: 0, incomplete: 4 });
    expect(r.report.status).toBe('partial');
    expect(r.customers).toHaveLength(300);
    const idOf = new Map(r.customers.map((c) => [c.number, String(c.id)]));
    for (const x of r.ledger) expect(x.targetId).toBe(idOf.get(x.sourceNumber ?? ''));
    const unaudited = r.customers.filter((c) => c.status !== 'C');
    expect(new Set(unaudited.map((c) => c.number))).toEqual(new Set(pending.map((x) => x.sourceNumber)));

    // The next run submits and audits them by id; nothing is created twice or refused as a duplicate.
    const a = r.again;
    expect(a.report.status, a.report.reason ?? '').toBe('succeeded');
    expect(a.report.counts).toMatchObject({ skipped: 296, rejected: 0, incomplete: 0 });
    expect(a.report.counts.created + a.report.counts.updated).toBe(4);
    expect(a.customers).toHaveLength(300);
    expect(a.customers.filter((c) => c.status !== 'C')).toEqual([]);
    expect(a.stats.created.BD_Customer).toBe(300);
    expect(a.stats.rejectedRows).toBe(0); // no save refused (no duplicate number); the faulted rows were saved
  }, 60_000);

  it('every row of a BatchSave answered in Errors although saved: all found, none rejected, all audited next run', async () => {
    const r = await createUnder([{ kind: 'autoAuditFail', every: 1, count: 1, rows: 1, services: ['BatchSave'] }]);
    expect(r.ledger.filter((x) => x.status === 'rejected')).toEqual([]);
    expect(r.report.counts.incomplete).toBeGreaterThan(0);
    expect(r.again.customers.filter((c) => c.status !== 'C')).toEqual([]);
  }, 60_000);

  it('a create whose answer says nothing (maybe applied) and which is found unaudited is ledgered pending, not complete', async () => {
    // The save lands (four rows left unaudited by the failed auto-audit), then the answer omits every row.
    const r = await createUnder([
      { kind: 'autoAuditFail', every: 1, count: 1, rows: 25, services: ['BatchSave'] },
      { kind: 'omitSuccess', every: 1, count: 1, services: ['BatchSave'] },
    ]);
    const unaudited = new Set(r.customers.filter((c) => c.status !== 'C').map((c) => c.number));
    expect(unaudited.size).toBe(4);
    const complete = r.ledger.filter((x) => x.status === 'written' && unaudited.has(x.sourceNumber ?? '') && !/pending/.test(x.detail ?? ''));
    expect(complete.map((x) => `${x.sourceNumber}: ${x.detail}`)).toEqual([]);
    expect(r.ledger.filter((x) => x.detail === 'created, pending Submit')).toHaveLength(4);
    expect(r.report.counts).toMatchObject({ created: 300, rejected: 0, incomplete: 4 });
    expect(r.again.customers.filter((c) => c.status !== 'C')).toEqual([]);
    expect(r.again.stats.created.BD_Customer).toBe(300);
  }, 60_000);
});
