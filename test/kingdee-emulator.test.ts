import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKingdeeEmulator } from '../src/emulators/kingdee/index.ts';
import type { KingdeeEmulator } from '../src/emulators/kingdee/index.ts';

/** The emulator on its own, over raw HTTP, as any Kingdee client would see it (reference §1–§5). */

const FORM = 'Kingdee.BOS.WebApi.ServicesStub.DynamicFormService.';
const AUTH = 'Kingdee.BOS.WebApi.ServicesStub.AuthService.';
let emu: KingdeeEmulator;
let sid = '';

beforeAll(async () => {
  emu = await startKingdeeEmulator({ orgs: ['100', { number: '101', name: '分公司' }] });
});
afterAll(async () => {
  await emu.close();
});

async function call(service: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: unknown; res: Response }> {
  const res = await fetch(`${emu.url}${service}.common.kdsvc`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const text = await res.text();
  let json: unknown = text;
  try {
    json = JSON.parse(text);
  } catch {
    /* keep text */
  }
  return { status: res.status, json, res };
}
const authed = (service: string, body: unknown) => call(service, body, { 'kdservice-sessionid': sid });
type Status = { Result: { ResponseStatus: { IsSuccess: boolean; MsgCode: number; Errors: { FieldName: string | null; Message: string; DIndex: number }[]; SuccessEntitys: { Id: string; Number: string; DIndex: number }[] } } };
const statusOf = (j: unknown) => (j as Status).Result.ResponseStatus;
const cust = (n: string, extra: Record<string, unknown> = {}) => ({ FCUSTID: 0, FNumber: n, FName: `名${n}`, FCreateOrgId: { FNumber: '100' }, FUseOrgId: { FNumber: '100' }, ...extra });

describe('kingdee emulator: auth', () => {
  it('answers the lost-session fixture (MsgCode 1) without a session or signature', async () => {
    const r = await call(`${FORM}Save`, { formid: 'BD_Customer', data: { Model: cust('X') } });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ Result: { ResponseStatus: { ErrorCode: 500, IsSuccess: false, Errors: [{ FieldName: null, Message: '会话信息已丢失，请重新登录', DIndex: 0 }], SuccessEntitys: [], SuccessMessages: [], MsgCode: 1 } } });
  });

  it('logs in with ValidateUser (positional) and sets the session cookies', async () => {
    const c = emu.credentials;
    const bad = await call(`${AUTH}ValidateUser`, { parameters: [c.acctId, c.username, 'nope', 2052] });
    expect(bad.json).toMatchObject({ LoginResultType: 0 });
    const r = await call(`${AUTH}ValidateUser`, { parameters: [c.acctId, c.username, c.password, 2052] });
    const body = r.json as { LoginResultType: number; KDSVCSessionId: string };
    expect(body.LoginResultType).toBe(1);
    const cookies = r.res.headers.getSetCookie().join('; ');
    expect(cookies).toContain(`kdservice-sessionid=${body.KDSVCSessionId}`);
    expect(cookies).toContain('ASP.NET_SessionId=');
    sid = body.KDSVCSessionId;
    // The cookie alone is enough.
    const viaCookie = await call(`${FORM}ExecuteBillQuery`, { data: { FormId: 'BD_Customer', FieldKeys: 'FNumber' } }, { Cookie: `Theme=standard; kdservice-sessionid=${sid}` });
    expect(viaCookie.json).toEqual([]);
  });
});

describe('kingdee emulator: BD_Customer', () => {
  it('matches service names in any case and takes every body form', async () => {
    const lower = await authed(`${FORM.toLowerCase()}save`, { formid: 'BD_Customer', data: { Model: cust('E1') } });
    expect(statusOf(lower.json).IsSuccess).toBe(true);
    const positional = await authed(`${FORM}Save`, { parameters: ['BD_Customer', JSON.stringify({ Model: cust('E2') })] });
    expect(statusOf(positional.json).IsSuccess).toBe(true);
    const legacy = await authed(`${FORM}Save`, { format: 1, useragent: 'ApiClient', rid: '1', parameters: JSON.stringify(['BD_Customer', JSON.stringify({ Model: cust('E3') })]), v: '1.0' });
    expect(statusOf(legacy.json).IsSuccess).toBe(true);
    const named = await authed(`${FORM}Save`, { FormId: 'BD_Customer', Data: JSON.stringify({ Model: cust('E4') }) });
    expect((named.json as { Result: { Number: string } }).Result.Number).toBe('E4');
  });

  it('checks required fields, organisations, uniqueness and base data, per DIndex', async () => {
    const r = await authed(`${FORM}BatchSave`, {
      formid: 'BD_Customer',
      data: {
        IsVerifyBaseDataField: 'true',
        Model: [cust('V1'), cust('V2', { FName: '' }), cust('V3', { FUseOrgId: { FNumber: '300' } }), cust('E1'), cust('V5', { FTRADINGCURRID: { FNumber: 'PRE999' } }), cust('V6', { FTRADINGCURRID: { FNumber: 'PRE001' } })],
      },
    });
    const s = statusOf(r.json);
    expect(s.IsSuccess).toBe(false);
    expect(s.MsgCode).toBe(11);
    expect(s.SuccessEntitys.map((e) => [e.Number, e.DIndex])).toEqual([['V1', 0], ['V6', 5]]);
    expect(s.Errors).toEqual([
      { FieldName: 'FName', Message: '“客户名称”是必填项。', DIndex: 1 },
      { FieldName: 'FUseOrgId', Message: '字段“使用组织”(FUseOrgId)的值“300”在系统中不存在或未审核。', DIndex: 2 },
      { FieldName: 'FNumber', Message: '违反字段唯一性要求：编码唯一。[E1]在当前系统中已经被使用。', DIndex: 3 },
      { FieldName: 'FTRADINGCURRID', Message: '字段“结算币别”(FTRADINGCURRID)的值“PRE999”在系统中不存在或未审核。', DIndex: 4 },
    ]);
    // Without IsVerifyBaseDataField the unknown currency is dropped silently and the record saved.
    const lax = await authed(`${FORM}Save`, { formid: 'BD_Customer', data: { Model: cust('V5', { FTRADINGCURRID: { FNumber: 'PRE999' } }) } });
    expect(statusOf(lax.json).IsSuccess).toBe(true);
  });

  it('runs the lifecycle A → B → C → D and refuses edits and deletes of audited records', async () => {
    const number = 'L1';
    await authed(`${FORM}Save`, { formid: 'BD_Customer', data: { Model: cust(number) } });
    const status = async () => ((await authed(`${FORM}ExecuteBillQuery`, { data: { FormId: 'BD_Customer', FieldKeys: 'FDocumentStatus', FilterString: `FNumber='${number}'` } })).json as string[][])[0]?.[0];
    expect(await status()).toBe('A');
    expect(statusOf((await authed(`${FORM}Audit`, { formid: 'BD_Customer', data: { Numbers: [number] } })).json).Errors[0]?.Message).toContain('不能审核');
    await authed(`${FORM}Submit`, { formid: 'BD_Customer', data: { Numbers: [number] } });
    expect(await status()).toBe('B');
    await authed(`${FORM}Audit`, { formid: 'BD_Customer', data: { Numbers: [number] } });
    expect(await status()).toBe('C');
    const id = statusOf((await authed(`${FORM}Submit`, { formid: 'BD_Customer', data: { Numbers: [number] } })).json);
    expect(id.IsSuccess).toBe(false);
    const view = (await authed(`${FORM}View`, { formid: 'BD_Customer', data: { Number: number } })).json as { Result: { Result: Record<string, unknown> } };
    expect(view.Result.Result).toMatchObject({ Number: number, DocumentStatus: 'C', Name: [{ Key: 2052, Value: `名${number}` }], CreateOrgId: { Number: '100' } });
    const custId = view.Result.Result.Id as number;
    const edit = await authed(`${FORM}Save`, { formid: 'BD_Customer', data: { Model: { FCUSTID: custId, FName: 'x' } } });
    expect(statusOf(edit.json).Errors[0]?.Message).toContain('不允许修改');
    const del = await authed(`${FORM}Delete`, { formid: 'BD_Customer', data: { Ids: String(custId) } });
    expect(statusOf(del.json).IsSuccess).toBe(false);
    await authed(`${FORM}UnAudit`, { formid: 'BD_Customer', data: { Ids: String(custId) } });
    expect(await status()).toBe('D');
    // NeedUpDateFields changes only the listed field; without it the Model replaces the record.
    await authed(`${FORM}Save`, { formid: 'BD_Customer', data: { NeedUpDateFields: ['FName'], Model: { FCUSTID: custId, FName: '新', FShortName: 'ignored' } } });
    const row = ((await authed(`${FORM}ExecuteBillQuery`, { data: { FormId: 'BD_Customer', FieldKeys: 'FName,FShortName,FUseOrgId.FNumber', FilterString: `FCUSTID=${custId}` } })).json as unknown[][])[0];
    expect(row).toEqual(['新', '', '100']);
  });
});

describe('kingdee emulator: SAL_OUTSTOCK and queries', () => {
  it('requires an existing customer and answers one query row per entry line', async () => {
    const bill = (no: string, customer: string) => ({
      FID: 0,
      FBillNo: no,
      FDate: '2026-03-01',
      FSaleOrgId: { FNumber: '100' },
      FStockOrgId: { FNumber: '101' },
      FCustomerID: { FNumber: customer },
      FEntity: [{ FMaterialID: { FNumber: 'M001' }, FRealQty: 2 }, { FMaterialID: { FNumber: 'M002' }, FRealQty: 5 }],
    });
    const r = await authed(`${FORM}BatchSave`, { formid: 'SAL_OUTSTOCK', data: { Model: [bill('OUT1', 'E1'), bill('OUT2', 'NOBODY'), { ...bill('OUT3', 'E1'), FEntity: [] }] } });
    const s = statusOf(r.json);
    expect(s.SuccessEntitys.map((e) => e.Number)).toEqual(['OUT1']);
    expect(s.Errors.map((e) => [e.DIndex, e.FieldName])).toEqual([[1, 'FCustomerID'], [2, 'FEntity']]);
    const rows = (await authed(`${FORM}ExecuteBillQuery`, { data: { FormId: 'SAL_OUTSTOCK', FieldKeys: 'FBillNo,FCustomerID.FNumber,FEntity_FSeq,FMaterialID.FNumber,FRealQty', OrderString: 'FRealQty DESC' } })).json;
    expect(rows).toEqual([
      ['OUT1', 'E1', 2, 'M002', 5],
      ['OUT1', 'E1', 1, 'M001', 2],
    ]);
  });

  it('pages with StartRow/Limit, applies TopRowCount first, and wraps query errors', async () => {
    const q = async (data: Record<string, unknown>) => (await authed(`${FORM}ExecuteBillQuery`, { data: { FormId: 'BD_Customer', FieldKeys: 'FNumber', OrderString: 'FNumber', ...data } })).json;
    const all = (await q({})) as string[][];
    expect(all.length).toBe(8);
    expect(await q({ StartRow: 2, Limit: 3 })).toEqual(all.slice(2, 5));
    expect(await q({ StartRow: 4, Limit: 3, TopRowCount: 4 })).toEqual([]); // the paging trap of reference §2
    expect(await q({ FilterString: "FNumber in ('E1','V1') or (FNumber like 'L%' and FNumber <> 'L2')" })).toEqual([['E1'], ['L1'], ['V1']]);
    const bad = (await q({ FilterString: "FNumber = 'x" })) as Status[][];
    expect(bad[0]?.[0]?.Result.ResponseStatus.MsgCode).toBe(4);
    const unknownField = (await q({ FieldKeys: 'FNumber,FPhone' })) as Status[][];
    expect(unknownField[0]?.[0]?.Result.ResponseStatus.MsgCode).toBe(9);
    const unknownForm = (await authed(`${FORM}ExecuteBillQuery`, { data: { FormId: 'NOPE', FieldKeys: 'FNumber' } })).json as Status[][];
    expect(unknownForm[0]?.[0]?.Result.ResponseStatus).toMatchObject({ MsgCode: 4, Errors: [{ Message: '业务对象不存在：NOPE' }] });
    const billQuery = (await authed(`${FORM}BillQuery`, { data: { FormId: 'BD_Customer', FieldKeys: 'FNumber,FName', FilterString: "FNumber='E1'" } })).json;
    expect(billQuery).toEqual([{ FNumber: 'E1', FName: '名E1' }]);
  });
});

describe('kingdee emulator: control endpoints', () => {
  it('lists the store, counts calls, validates and applies faults', async () => {
    const store = (await (await fetch(new URL('/__control/store?formId=bd_customer&number=E1', emu.url))).json()) as { records: { number: string; fields: Record<string, unknown> }[] };
    expect(store.records[0]).toMatchObject({ number: 'E1', fields: { FName: '名E1', FCreateOrgId: { FNumber: '100' } } });
    const stats = (await (await fetch(new URL('/__control/stats', emu.url))).json()) as { byService: Record<string, number> };
    expect(stats.byService.executebillquery).toBeGreaterThan(3);
    const bad = await fetch(new URL('/__control/faults', emu.url), { method: 'POST', body: JSON.stringify({ rules: [{ kind: 'meteor', rate: 1 }] }) });
    expect(bad.status).toBe(400);
    await fetch(new URL('/__control/faults', emu.url), { method: 'POST', body: JSON.stringify({ rules: [{ kind: 'callLimit', every: 1, count: 1 }] }) });
    const limited = await authed(`${FORM}Save`, { formid: 'BD_Customer', data: { Model: cust('F1') } });
    expect(statusOf(limited.json).MsgCode).toBe(14);
    expect(statusOf((await authed(`${FORM}Save`, { formid: 'BD_Customer', data: { Model: cust('F1') } })).json).IsSuccess).toBe(true);
    await fetch(new URL('/__control/sessions/expire', emu.url), { method: 'POST' });
    expect(statusOf((await authed(`${FORM}Save`, { formid: 'BD_Customer', data: { Model: cust('F2') } })).json).MsgCode).toBe(1);
  });
});
