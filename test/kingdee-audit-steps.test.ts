import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConnections } from '../src/cli/connections.ts';
import { startDemoEnvironment } from '../src/cli/demo-setup.ts';
import { openRun } from '../src/cli/open-run.ts';
import { loadSchemeFile } from '../src/cli/scheme-file.ts';
import type { LedgerRow } from '../src/core/contracts/state-store.ts';
import type { Scheme } from '../src/core/scheme/scheme.ts';
import type { FaultRule } from '../src/emulators/kingdee/index.ts';
import { runScheme } from '../src/engine/run-scheme.ts';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { SEED_SCHEME, tempDir } from './support/cli.ts';

/**
 * Issue 11, defect 2, end to end: updating audited customers goes UnAudit → BatchSave → Submit → Audit, and
 * every one of those answers is checked. 300 shops are first created (audited, IsAutoSubmitAndAudit); then
 * their names change and the same scheme runs again under faults on the secondary calls.
 */
const RETRY = { maxAttempts: 8, initialDelayMs: 5, maxDelayMs: 40, multiplier: 2, jitter: 0 };

function renamed(scheme: Scheme): Scheme {
  const request = scheme.target.request.map((f) => (f.field === 'FName' ? { ...f, value: '{shop_name} 新' } : f));
  return { ...scheme, retry: RETRY, target: { ...scheme.target, request } };
}

async function updateUnder(rules: FaultRule[], thenAgain = false) {
  const env = await startDemoEnvironment({ shops: 306 }); // every 50th disabled: 300 active
  const dir = tempDir();
  const store = new SqliteStore(join(dir, 'ferry.sqlite'));
  try {
    const base = { ...loadSchemeFile(SEED_SCHEME), retry: RETRY };
    const connections = parseConnections(env.connections, 'test');
    const first = openRun(base, connections, store, { logFile: join(dir, 'ferry.log') });
    const created = await runScheme(first.cs, first.deps);
    await first.close();
    expect(created.counts.created).toBe(300);
    expect([...env.kingdee.records('BD_Customer')].every((c) => c.status === 'C')).toBe(true);

    env.kingdee.setFaults({ rules });
    const scheme = renamed(base);
    const second = openRun(scheme, connections, store, { logFile: join(dir, 'ferry.log') });
    const report = await runScheme(second.cs, second.deps);
    await second.close();
    const ledger = await store.queryLedger({ scheme: scheme.name, limit: 10_000 });
    const customers = [...env.kingdee.records('BD_Customer')];
    const stats = env.kingdee.stats();
    let again;
    if (thenAgain) {
      env.kingdee.setFaults({});
      const third = openRun(scheme, connections, store, { logFile: join(dir, 'ferry.log') });
      const report3 = await runScheme(third.cs, third.deps);
      await third.close();
      again = { report: report3, ledger: await store.queryLedger({ scheme: scheme.name, limit: 10_000 }), customers: [...env.kingdee.records('BD_Customer')], stats: env.kingdee.stats() };
    }
    return { report, ledger, customers, stats, again };
  } finally {
    await store.close();
    await env.close();
  }
}

function expectAllUpdatedAndAudited(r: Awaited<ReturnType<typeof updateUnder>>) {
  const bad = r.ledger.filter((x: LedgerRow) => x.status !== 'written' || x.detail !== 'updated');
  expect(bad.map((x) => `${x.sourceNumber}: ${x.status} ${x.detail} ${x.message ?? ''}`).slice(0, 5)).toEqual([]);
  expect(r.report.status, r.report.reason ?? '').toBe('succeeded');
  expect(r.report.counts).toMatchObject({ updated: 300, created: 0, rejected: 0, failed: 0 });
  expect(r.report.counts.incomplete ?? 0).toBe(0);
  expect(r.customers).toHaveLength(300);
  expect(r.customers.filter((c) => !String(c.fields.FName).endsWith(' 新'))).toEqual([]);
  expect(r.customers.filter((c) => c.status !== 'C').map((c) => `${c.number} ${c.status}`)).toEqual([]);
  const idOf = new Map(r.customers.map((c) => [c.number, String(c.id)]));
  for (const row of r.ledger) expect(row.targetId).toBe(idOf.get(row.sourceNumber ?? ''));
  expect(r.stats.rejectedRows).toBe(0); // no save was refused "已审核，不允许修改，请先反审核"
}

describe('updating audited Kingdee records: UnAudit, Submit and Audit answers are checked', () => {
  it('MsgCode 14 (call limit) on every 3rd UnAudit, Submit and Audit: every record updated and audited again', async () => {
    const r = await updateUnder([
      { kind: 'callLimit', every: 3, services: ['UnAudit'] },
      { kind: 'callLimit', every: 3, services: ['Submit'] },
      { kind: 'callLimit', every: 3, services: ['Audit'] },
    ]);
    expectAllUpdatedAndAudited(r);
    expect(r.stats.faults.callLimit ?? 0).toBeGreaterThanOrEqual(3);
    // A failed Audit is retried alone: never a second save of a record already saved.
    expect(r.stats.updated.BD_Customer).toBe(300);
  }, 60_000);

  it('transient per-row failures (network-control conflict) of UnAudit, Submit and Audit are retried for those rows', async () => {
    const r = await updateUnder([
      { kind: 'rowFail', every: 2, rows: 7, services: ['UnAudit'] },
      { kind: 'rowFail', every: 2, rows: 5, services: ['Submit'] },
      { kind: 'rowFail', every: 2, rows: 3, services: ['Audit'] },
    ]);
    expectAllUpdatedAndAudited(r);
    expect(r.stats.faults.rowFail ?? 0).toBeGreaterThanOrEqual(3);
  }, 60_000);

  it('UnAudit, Submit and Audit answers that say nothing (IsSuccess true, no SuccessEntitys): checked against FDocumentStatus', async () => {
    const r = await updateUnder([
      { kind: 'omitSuccess', every: 1, services: ['UnAudit'] },
      { kind: 'omitSuccess', every: 2, services: ['Submit'] },
      { kind: 'omitRows', rows: 4, every: 1, services: ['Audit'] },
    ]);
    expectAllUpdatedAndAudited(r);
    expect(r.stats.faults.omitSuccess ?? 0).toBeGreaterThanOrEqual(3);
    expect(r.stats.updated.BD_Customer).toBe(300);
  }, 60_000);

  it("a permanent UnAudit refusal rejects only that row, with Kingdee's message; the record is left as it was", async () => {
    const message = '客户已被业务单据引用，不允许反审核。';
    const r = await updateUnder([{ kind: 'rowFail', every: 1, count: 1, rows: 10, msgCode: 12, message, services: ['UnAudit'] }]);
    expect(r.report.status).toBe('partial');
    const rejected = r.ledger.filter((x) => x.status === 'rejected');
    expect(rejected).toHaveLength(10); // DIndex 0, 10, … 90 of the first batch
    for (const x of rejected) expect(x.message).toBe(`UnAudit: ${message}`);
    expect(r.ledger.filter((x) => x.status === 'written' && x.detail === 'updated')).toHaveLength(290);
    expect(r.ledger.some((x) => /不允许修改/.test(x.message ?? ''))).toBe(false);
    const kept = r.customers.filter((c) => !String(c.fields.FName).endsWith(' 新'));
    expect(kept).toHaveLength(10);
    expect(kept.every((c) => c.status === 'C')).toBe(true);
  }, 60_000);

  it('a permanent Audit refusal leaves the record saved but unaudited, and the ledger and report say so', async () => {
    const message = '审核失败：审批流未结束。';
    const r = await updateUnder([{ kind: 'rowFail', every: 1, count: 1, rows: 25, msgCode: 12, message, services: ['Audit'] }], true);
    const pending = r.ledger.filter((x) => x.detail === 'updated, pending Audit');
    expect(pending).toHaveLength(4); // DIndex 0, 25, 50, 75 of the first Audit
    for (const x of pending) {
      expect(x.status).toBe('written');
      expect(x.message).toBe(`saved, but Audit did not complete: ${message}`);
    }
    expect(r.report.counts.incomplete).toBe(4);
    expect(r.report.status).toBe('partial');
    expect(r.report.reason).toMatch(/4 records were saved but a follow-up step \(Submit\/Audit\) did not complete/);
    expect(r.report.counts.updated).toBe(300);
    const unaudited = r.customers.filter((c) => c.status !== 'C');
    expect(unaudited.map((c) => c.status)).toEqual(['B', 'B', 'B', 'B']);
    expect(new Set(unaudited.map((c) => c.number))).toEqual(new Set(pending.map((x) => x.sourceNumber)));

    // The next run does not take them as unchanged: it audits them (by id, without saving them again).
    const a = r.again!;
    expect(a.report.counts).toMatchObject({ updated: 4, skipped: 296, incomplete: 0 });
    expect(a.report.status).toBe('succeeded');
    expect(a.customers.every((c) => c.status === 'C')).toBe(true);
    expect(a.ledger.filter((x) => x.detail !== 'updated' && x.detail !== 'unchanged')).toEqual([]);
    expect(a.stats.updated.BD_Customer).toBe(r.stats.updated.BD_Customer);
  }, 60_000);
});
