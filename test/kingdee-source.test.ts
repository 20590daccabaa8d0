import { afterEach, describe, expect, it } from 'vitest';
import type { ApiCallEvent, Cursor, ReadSpec, SourceSession, TargetSession, WriteSpec } from '../src/core/contracts/platform.ts';
import { FerryFailure } from '../src/core/errors.ts';
import type { JsonObject } from '../src/core/records.ts';
import { startKingdeeEmulator } from '../src/emulators/kingdee/index.ts';
import type { FaultConfig, KingdeeEmulator } from '../src/emulators/kingdee/index.ts';
import { kingdeeProfile } from '../src/platforms/kingdee/index.ts';

let emu: KingdeeEmulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

async function setup(preloadCustomers: number, faults?: FaultConfig) {
  emu = await startKingdeeEmulator({ preloadCustomers, faults });
  const c = emu.credentials;
  const conn = kingdeeProfile.connectionSchema.parse({ mode: 'password', baseUrl: emu.url, acctId: c.acctId, username: c.username, password: c.password });
  const events: ApiCallEvent[] = [];
  const ctx = { connection: 'erp-src', fetch, now: Date.now, timeoutMs: 10_000, onCall: (e: ApiCallEvent) => events.push(e) };
  const source = (kingdeeProfile.openSource as NonNullable<typeof kingdeeProfile.openSource>)(conn, ctx);
  const target = (kingdeeProfile.openTarget as NonNullable<typeof kingdeeProfile.openTarget>)(conn, ctx);
  return { emu, source, target, events };
}

const signal = () => new AbortController().signal;
const readSpec = (extra: JsonObject, pageSize = 500, more: Partial<ReadSpec> = {}): ReadSpec => ({ api: 'BD_Customer', method: 'POST', params: {}, pageSize, extra, ...more });

/** Drives the source the way the engine does: first cursor, then pages until `next` is null. */
async function readAll(source: SourceSession, spec: ReadSpec): Promise<{ records: JsonObject[]; pages: number }> {
  const records: JsonObject[] = [];
  let cursor: Cursor | null = source.first(spec);
  let pages = 0;
  while (cursor) {
    const page = await source.fetchPage(spec, cursor, signal());
    records.push(...page.records);
    cursor = page.next;
    pages++;
    if (pages > 1000) throw new Error('no progress');
  }
  return { records, pages };
}

describe('kingdee as a source (ExecuteBillQuery)', () => {
  it('pages through every customer once, records keyed by field key', async () => {
    const s = await setup(2345, { rules: [{ kind: 'sessionExpire', every: 3 }] });
    const spec = readSpec({ FieldKeys: 'FCUSTID,FNumber,FName,FCreateOrgId.FNumber,FDocumentStatus' });
    const { records, pages } = await readAll(s.source, spec);
    expect(pages).toBe(6); // 4 full, 1 short, and the empty page that proves the end (a short page may be a capped one)
    expect(records).toHaveLength(2345);
    expect(new Set(records.map((r) => r.FNumber)).size).toBe(2345);
    expect(records[0]).toEqual({ FCUSTID: expect.any(Number), FNumber: 'C0000001', FName: '客户1', 'FCreateOrgId.FNumber': '100', FDocumentStatus: 'C' });
    expect(s.emu.stats().sessionLost).toBeGreaterThan(0); // re-logins happened on the way
  });

  it('applies FilterString, OrderString and a TopRowCount cap', async () => {
    const s = await setup(2000);
    const filtered = await readAll(s.source, readSpec({ FieldKeys: ['FNumber'], FilterString: "FNumber like 'C000001%'", OrderString: 'FNumber DESC' }, 4));
    expect(filtered.records.map((r) => r.FNumber)).toEqual(['C0000019', 'C0000018', 'C0000017', 'C0000016', 'C0000015', 'C0000014', 'C0000013', 'C0000012', 'C0000011', 'C0000010']);
    const capped = await readAll(s.source, readSpec({ FieldKeys: 'FNumber', TopRowCount: 700 }));
    expect(capped.records).toHaveLength(700);
    expect(capped.records.at(-1)?.FNumber).toBe('C0000700');
  });

  it('reads a modified-time window (server local time)', async () => {
    const s = await setup(50);
    const now = Date.now();
    const inside = await readAll(s.source, readSpec({ FieldKeys: 'FNumber', modifiedField: 'FModifyDate' }, 500, { window: { start: new Date(now - 3600_000), end: new Date(now + 3600_000) } }));
    expect(inside.records).toHaveLength(50);
    const before = await readAll(s.source, readSpec({ FieldKeys: 'FNumber', modifiedField: 'FModifyDate' }, 500, { window: { start: new Date(now - 7200_000), end: new Date(now - 3600_000) } }));
    expect(before.records).toHaveLength(0);
  });

  it('an unknown field key fails the run with Kingdee’s MsgCode 9 message', async () => {
    const s = await setup(5);
    let err: unknown;
    try {
      await s.source.fetchPage(readSpec({ FieldKeys: 'FNumber,FContact' }), { startRow: 0 }, signal());
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(FerryFailure);
    const e = (err as FerryFailure).error;
    expect(e).toMatchObject({ kind: 'vendor', action: 'fail_run', remote: { code: '9' } });
    expect(e.message).toContain('FContact');
    expect(e.message).toContain('BD_Customer ExecuteBillQuery');
  });
});

describe('kingdee look-up by number', () => {
  const SPEC: WriteSpec = { api: 'BatchSave', method: 'POST', params: { FormId: 'BD_Customer' }, numberField: 'FNumber' };

  it('finds existing numbers in chunks, quoting safely', async () => {
    const s = await setup(1000);
    await s.target.write(SPEC, [{ key: 'q', number: "O'NEIL", payload: { FNumber: "O'NEIL", FName: 'quote', FCreateOrgId: { FNumber: '100' }, FUseOrgId: { FNumber: '100' } } }], signal());
    const wanted = [...Array.from({ length: 450 }, (_, i) => `C${String(i + 1).padStart(7, '0')}`), 'MISSING-1', "O'NEIL", "x') or ('1'='1"];
    const before = s.emu.stats().byService.executebillquery ?? 0;
    const found = await (s.target.lookup as NonNullable<TargetSession['lookup']>)(SPEC, wanted, signal());
    expect(found.size).toBe(451);
    expect(found.get("O'NEIL")?.number).toBe("O'NEIL");
    expect(found.has('MISSING-1')).toBe(false);
    expect(found.get('C0000001')).toEqual({ id: expect.stringMatching(/^\d+$/), number: 'C0000001' });
    expect((s.emu.stats().byService.executebillquery ?? 0) - before).toBe(3); // 453 numbers in chunks of 200
  });

  it('uses extra.idKey and extra.lookupFilter when the scheme gives them', async () => {
    const s = await setup(10);
    const spec: WriteSpec = { ...SPEC, extra: { idKey: 'FCUSTID', lookupFilter: "FUseOrgId.FNumber = '101'" } };
    const found = await (s.target.lookup as NonNullable<TargetSession['lookup']>)(spec, ['C0000001'], signal());
    expect(found.size).toBe(0); // preloaded customers belong to org 100
  });
});
