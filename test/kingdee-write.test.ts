import { afterEach, describe, expect, it } from 'vitest';
import type { ApiCallEvent, PlatformContext, TargetSession, WriteItem, WriteOutcome, WriteSpec } from '../src/core/contracts/platform.ts';
import { startKingdeeEmulator } from '../src/emulators/kingdee/index.ts';
import type { KingdeeEmulator, KingdeeEmulatorOptions } from '../src/emulators/kingdee/index.ts';
import { kingdeeProfile } from '../src/platforms/kingdee/index.ts';

/** The seed scheme's target block as a WriteSpec (店铺同步客户 → BD_Customer BatchSave, submit-and-audit). */
const SPEC: WriteSpec = {
  api: 'batchSave',
  method: 'POST',
  params: { FormId: 'BD_Customer', Operation: 'BatchSave', IsAutoSubmitAndAudit: 'true', IsVerifyBaseDataField: 'false' },
  numberField: 'FNumber',
};

let emu: KingdeeEmulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

interface Setup {
  emu: KingdeeEmulator;
  target: TargetSession;
  events: ApiCallEvent[];
  bodies: { url: string; body: Record<string, unknown> }[];
}

async function setup(mode: 'signed' | 'appSecret' | 'password' | 'sign' = 'appSecret', opts: KingdeeEmulatorOptions = {}, extra: Record<string, unknown> = {}): Promise<Setup> {
  emu = await startKingdeeEmulator(opts);
  const c = emu.credentials;
  const creds = mode === 'password' ? { password: c.password } : { appId: c.appId, appSecret: c.appSecret };
  const conn = kingdeeProfile.connectionSchema.parse({ mode, baseUrl: emu.url, acctId: c.acctId, username: c.username, ...creds, ...extra });
  const events: ApiCallEvent[] = [];
  const bodies: Setup['bodies'] = [];
  const recordingFetch = (async (url: string, init: RequestInit) => {
    bodies.push({ url, body: JSON.parse(String(init.body)) as Record<string, unknown> });
    return fetch(url, init);
  }) as typeof fetch;
  const ctx: PlatformContext = { connection: 'erp-test', fetch: recordingFetch, now: Date.now, timeoutMs: 10_000, onCall: (e) => events.push(e) };
  const target = (kingdeeProfile.openTarget as NonNullable<typeof kingdeeProfile.openTarget>)(conn, ctx);
  return { emu, target, events, bodies };
}

const signal = () => new AbortController().signal;

function customer(i: number, org = '100', name = `店铺${i}`): WriteItem {
  const number = `SHOP${String(i).padStart(5, '0')}`;
  return { key: `k${i}`, number, payload: { FName: name, FNumber: number, FCreateOrgId: { FNumber: org }, FUseOrgId: { FNumber: org } } };
}

async function writeAll(target: TargetSession, spec: WriteSpec, items: WriteItem[], size = 100): Promise<WriteOutcome[]> {
  const out: WriteOutcome[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await target.write(spec, items.slice(i, i + size), signal())));
  return out;
}

interface StoreView {
  count: number;
  records: { id: number; number: string; status: string; fields: Record<string, unknown> }[];
}

async function storeOf(e: KingdeeEmulator, formId = 'BD_Customer'): Promise<StoreView> {
  const res = await fetch(new URL(`/__control/store?formId=${formId}&limit=100000`, e.url));
  return (await res.json()) as StoreView;
}

describe('kingdee target against the emulator', () => {
  it('saves 10,000 customers in batches of 100 exactly once', async () => {
    const s = await setup('appSecret');
    expect(s.target.maxBatchSize(SPEC)).toBe(100);
    const items = Array.from({ length: 10_000 }, (_, i) => customer(i));
    const out = await writeAll(s.target, SPEC, items);
    expect(out).toHaveLength(10_000);
    expect(out.every((o) => o.status === 'saved' && o.created)).toBe(true);
    const ids = new Set(out.map((o) => (o.status === 'saved' ? o.targetId : '')));
    expect(ids.size).toBe(10_000);
    const store = await storeOf(s.emu);
    expect(store.count).toBe(10_000);
    const numbers = store.records.map((r) => r.number);
    expect(new Set(numbers).size).toBe(10_000);
    expect(numbers.sort()).toEqual(items.map((i) => i.number).sort());
    expect(store.records.every((r) => r.status === 'C')).toBe(true); // IsAutoSubmitAndAudit
    const stats = s.emu.stats();
    expect(stats.byService.batchsave).toBe(100);
    expect(stats.logins.ok).toBe(1);
    // One event per call, none with secrets.
    expect(s.events.filter((e) => e.api === 'BatchSave')).toHaveLength(100);
    const dump = JSON.stringify(s.events);
    expect(dump).not.toContain(s.emu.credentials.appSecret);
  });

  it('with 3% of rows naming an unknown organisation saves the other 97% and rejects each bad row with Kingdee’s message', async () => {
    const s = await setup('signed');
    const bad = (i: number) => i % 100 === 7 || i % 100 === 42 || i % 100 === 77;
    const items = Array.from({ length: 2000 }, (_, i) => customer(i, bad(i) ? '999' : '100'));
    const out = await writeAll(s.target, SPEC, items);
    const byKey = new Map(out.map((o) => [o.key, o]));
    let rejected = 0;
    for (const [i, item] of items.entries()) {
      const o = byKey.get(item.key);
      if (!bad(i)) {
        expect(o?.status).toBe('saved');
        continue;
      }
      rejected++;
      if (o?.status !== 'rejected') throw new Error(`row ${i} should be rejected, got ${o?.status}`);
      expect(o.error.action).toBe('reject_record');
      expect(o.error.remote?.detail).toContain('“999”在系统中不存在');
      expect(['FCreateOrgId', 'FUseOrgId']).toContain(o.error.remote?.field);
      expect(o.error.message).toContain(item.number);
      expect(o.error.message).toContain('BD_Customer BatchSave');
    }
    expect(rejected).toBe(60);
    const store = await storeOf(s.emu);
    expect(store.count).toBe(1940);
    expect(store.records.some((r) => r.number === items[7]?.number)).toBe(false);
  });

  it('re-writing after a look-up updates the existing customers instead of creating new ones', async () => {
    const s = await setup('password');
    const items = Array.from({ length: 1000 }, (_, i) => customer(i));
    const first = await writeAll(s.target, SPEC, items);
    const idByNumber = new Map(first.map((o, i) => [items[i]?.number, o.status === 'saved' ? o.targetId : '']));

    const lookup = s.target.lookup as NonNullable<TargetSession['lookup']>;
    const found = await lookup(SPEC, [...items.map((i) => i.number as string), 'NOPE-1'], signal());
    expect(found.size).toBe(1000);
    expect(found.has('NOPE-1')).toBe(false);
    expect(found.get('SHOP00042')?.id).toBe(idByNumber.get('SHOP00042'));

    const again = items.map((i) => ({ ...i, existingId: found.get(i.number as string)?.id }));
    const bodiesBefore = s.bodies.length;
    const second = await writeAll(s.target, SPEC, again);
    expect(second.every((o) => o.status === 'saved' && !o.created)).toBe(true);
    expect(second.map((o) => (o.status === 'saved' ? o.targetId : ''))).toEqual(items.map((i) => idByNumber.get(i.number)));
    const stats = s.emu.stats();
    expect(stats.records.BD_Customer).toBe(1000);
    expect(stats.created.BD_Customer).toBe(1000);
    expect(stats.updated.BD_Customer).toBe(1000);

    // What went over the wire: UnAudit first (records are audited), then BatchSave with the id, NeedUpDateFields and IsDeleteEntry false.
    const sent = s.bodies.slice(bodiesBefore);
    expect(sent[0]?.url).toMatch(/DynamicFormService\.UnAudit\.common\.kdsvc$/);
    const save = sent.find((b) => /BatchSave/.test(b.url))?.body as { data: { Model: Record<string, unknown>[]; NeedUpDateFields: string[]; IsDeleteEntry: boolean } };
    expect(save.data.IsDeleteEntry).toBe(false);
    expect(save.data.NeedUpDateFields).toEqual(['FName', 'FNumber', 'FCreateOrgId', 'FUseOrgId']);
    expect(save.data.Model[0]?.FCUSTID).toBe(Number(idByNumber.get('SHOP00000')));
  });

  it('a changed name updates the existing customer (same id, re-audited)', async () => {
    const s = await setup('sign');
    const [created] = await s.target.write(SPEC, [customer(1)], signal());
    const id = created?.status === 'saved' ? created.targetId : '';
    const [updated] = await s.target.write(SPEC, [{ ...customer(1, '100', '新名字'), existingId: id, updateFields: ['FName'] }], signal());
    expect(updated).toMatchObject({ status: 'saved', targetId: id, created: false });
    const store = await storeOf(s.emu);
    expect(store.count).toBe(1);
    expect(store.records[0]).toMatchObject({ id: Number(id), status: 'C', fields: { FName: '新名字' } });
  });

  it('splits a batch that mixes creates and updates into separate calls and matches every outcome', async () => {
    const s = await setup('appSecret');
    const [a] = await s.target.write(SPEC, [customer(1)], signal());
    const id = a?.status === 'saved' ? a.targetId : '';
    const out = await s.target.write(SPEC, [customer(2), { ...customer(1, '100', 'renamed'), existingId: id }, customer(3)], signal());
    expect(out.map((o) => [o.key, o.status, o.status === 'saved' && o.created])).toEqual([
      ['k2', 'saved', true],
      ['k3', 'saved', true],
      ['k1', 'saved', false],
    ]);
    expect((await storeOf(s.emu)).count).toBe(3);
  });

  it('rejects a duplicate number with MsgCode 11 and the uniqueness message, keeping the rest of the batch', async () => {
    const s = await setup('appSecret');
    await s.target.write(SPEC, [customer(5)], signal());
    const out = await s.target.write(SPEC, [customer(4), customer(5), customer(6)], signal());
    expect(out.map((o) => o.status)).toEqual(['saved', 'rejected', 'saved']);
    const dup = out[1];
    if (dup?.status !== 'rejected') throw new Error('expected rejected');
    expect(dup.error.remote).toMatchObject({ code: '11', field: 'FNumber' });
    expect(dup.error.remote?.detail).toBe('违反字段唯一性要求：编码唯一。[SHOP00005]在当前系统中已经被使用。');
  });

  it('hands NeedReturnData of each saved record back as its response', async () => {
    const s = await setup('appSecret');
    const spec = { ...SPEC, params: { ...SPEC.params, NeedReturnFields: ['FNumber', 'FName'] } };
    const out = await s.target.write(spec, [customer(1, '999'), customer(2)], signal());
    expect(out[0]?.status).toBe('rejected');
    expect(out[1]).toMatchObject({ status: 'saved', response: { FNumber: 'SHOP00002', FName: '店铺2' } });
  });

  it('works with positional bodies and case-variant operation names', async () => {
    const s = await setup('password', {}, { encoding: 'positional' });
    const spec = { ...SPEC, api: 'BATCHSAVE' };
    const out = await s.target.write(spec, [customer(1), customer(2)], signal());
    expect(out.every((o) => o.status === 'saved')).toBe(true);
    expect(Array.isArray(s.bodies.find((b) => /BatchSave/i.test(b.url))?.body.parameters)).toBe(true);
  });

  it('runs Submit / Audit / Delete by number with per-record outcomes', async () => {
    const s = await setup('appSecret');
    const plain: WriteSpec = { ...SPEC, params: { FormId: 'BD_Customer', Operation: 'BatchSave' } };
    await s.target.write(plain, [customer(1), customer(2)], signal());
    const op = (api: string): WriteSpec => ({ api, method: 'POST', params: { FormId: 'BD_Customer' }, numberField: 'FNumber' });
    const ref = (i: number): WriteItem => ({ key: `k${i}`, number: customer(i).number, payload: {} });
    expect((await s.target.write(op('submit'), [ref(1)], signal())).map((o) => o.status)).toEqual(['saved']);
    const audit = await s.target.write(op('Audit'), [ref(1), ref(2), ref(9)], signal());
    expect(audit.map((o) => o.status)).toEqual(['saved', 'rejected', 'rejected']); // 2 is not submitted, 9 does not exist
    const del = await s.target.write(op('Delete'), [ref(1), ref(2)], signal());
    expect(del.map((o) => o.status)).toEqual(['rejected', 'saved']); // audited records cannot be deleted
    const store = await storeOf(s.emu);
    expect(store.records.map((r) => [r.number, r.status])).toEqual([['SHOP00001', 'C']]);
  });
});

describe('kingdee target: bills with entry rows (SAL_OUTSTOCK)', () => {
  const BILL: WriteSpec = { api: 'BatchSave', method: 'POST', params: { FormId: 'SAL_OUTSTOCK' }, numberField: 'FBillNo' };
  const bill = (no: string, cust: string, lines: Record<string, unknown>[]): WriteItem => ({
    key: no,
    number: no,
    payload: {
      FBillNo: no,
      FBillTypeID: { FNUMBER: 'XSCKD01_SYS' },
      FDate: '2026-03-01',
      FSaleOrgId: { FNumber: '100' },
      FStockOrgId: { FNumber: '100' },
      FCustomerID: { FNumber: cust },
      FEntity: lines,
    },
  });
  const line = (m: string, qty: number, extra: Record<string, unknown> = {}) => ({ FMaterialID: { FNumber: m }, FRealQty: qty, FStockID: { FNumber: 'CK001' }, ...extra });

  it('requires the customer to exist and keeps entry rows on an update with IsDeleteEntry false', async () => {
    const s = await setup('appSecret');
    await s.target.write(SPEC, [customer(1)], signal());
    const out = await s.target.write(BILL, [bill('XS001', 'SHOP00001', [line('M001', 2), line('M002', 3)]), bill('XS002', 'NOBODY', [line('M001', 1)])], signal());
    expect(out.map((o) => o.status)).toEqual(['saved', 'rejected']);
    const rej = out[1];
    if (rej?.status !== 'rejected') throw new Error('expected rejected');
    expect(rej.error.remote?.field).toBe('FCustomerID');

    const stored = (await storeOf(s.emu, 'SAL_OUTSTOCK')).records[0] as StoreView['records'][number];
    const rows = stored.fields.FEntity as { FEntryID: number; FRealQty: number }[];
    expect(rows).toHaveLength(2);
    // Change the quantity of the first line only: the second line must survive (IsDeleteEntry false).
    const id = out[0]?.status === 'saved' ? out[0].targetId : '';
    const upd = await s.target.write(BILL, [{ ...bill('XS001', 'SHOP00001', [{ FEntryID: rows[0]?.FEntryID, FRealQty: 9 }]), existingId: id, updateFields: ['FEntity', 'FRealQty', 'FEntryID'] }], signal());
    expect(upd[0]?.status).toBe('saved');
    const after = (await storeOf(s.emu, 'SAL_OUTSTOCK')).records[0]?.fields.FEntity as { FEntryID: number; FRealQty: number }[];
    expect(after.map((r) => r.FRealQty).sort()).toEqual([3, 9]);
  });
});
