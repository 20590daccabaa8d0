import { afterEach, describe, expect, it } from 'vitest';
import type { ApiCallEvent, PlatformContext, TargetSession, WriteItem, WriteOutcome, WriteSpec } from '../src/core/contracts/platform.ts';
import { FerryFailure } from '../src/core/errors.ts';
import { startKingdeeEmulator } from '../src/emulators/kingdee/index.ts';
import type { FaultConfig, KingdeeEmulator } from '../src/emulators/kingdee/index.ts';
import { kingdeeProfile } from '../src/platforms/kingdee/index.ts';

const SPEC: WriteSpec = {
  api: 'batchSave',
  method: 'POST',
  params: { FormId: 'BD_Customer', Operation: 'BatchSave', IsAutoSubmitAndAudit: 'true' },
  numberField: 'FNumber',
};

type Mode = 'signed' | 'appSecret' | 'password' | 'sign';
let emu: KingdeeEmulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

async function setup(mode: Mode, faults?: FaultConfig, override: Record<string, unknown> = {}, timeoutMs = 10_000) {
  emu = await startKingdeeEmulator({ faults });
  const c = emu.credentials;
  const creds = mode === 'password' ? { password: c.password } : { appId: c.appId, appSecret: c.appSecret };
  const conn = kingdeeProfile.connectionSchema.parse({ mode, baseUrl: emu.url, acctId: c.acctId, username: c.username, ...creds, ...override });
  const events: ApiCallEvent[] = [];
  const ctx: PlatformContext = { connection: 'erp-test', fetch, now: Date.now, timeoutMs, onCall: (e) => events.push(e) };
  const target = (kingdeeProfile.openTarget as NonNullable<typeof kingdeeProfile.openTarget>)(conn, ctx);
  return { emu, target, events };
}

const signal = () => new AbortController().signal;
const customer = (i: number): WriteItem => {
  const number = `C${String(i).padStart(5, '0')}`;
  return { key: number, number, payload: { FNumber: number, FName: `客户${i}`, FCreateOrgId: { FNumber: '100' }, FUseOrgId: { FNumber: '100' } } };
};
const batch = (from: number, n: number) => Array.from({ length: n }, (_, i) => customer(from + i));

async function failureOf(p: Promise<unknown>): Promise<FerryFailure> {
  try {
    await p;
  } catch (e) {
    if (e instanceof FerryFailure) return e;
    throw e;
  }
  throw new Error('expected a FerryFailure');
}

async function writeAll(target: TargetSession, items: WriteItem[]): Promise<WriteOutcome[]> {
  const out: WriteOutcome[] = [];
  for (let i = 0; i < items.length; i += 100) out.push(...(await target.write(SPEC, items.slice(i, i + 100), signal())));
  return out;
}

describe('kingdee sessions', () => {
  for (const mode of ['appSecret', 'password', 'sign'] as const) {
    it(`${mode}: a session expiring mid-way does not stop the write (one re-login each time)`, async () => {
      const s = await setup(mode, { rules: [{ kind: 'sessionExpire', every: 7 }] });
      const out = await writeAll(s.target, batch(0, 3000));
      expect(out.filter((o) => o.status === 'saved')).toHaveLength(3000);
      const st = s.emu.stats();
      expect(st.records.BD_Customer).toBe(3000);
      expect(st.sessionLost).toBeGreaterThanOrEqual(4);
      expect(st.logins.ok).toBe(st.sessionLost + 1);
      expect(st.byService.batchsave).toBe(30 + st.sessionLost);
    });
  }

  it('signed: an expired session is replaced silently by the signature (reference §3b)', async () => {
    const s = await setup('signed', { rules: [{ kind: 'sessionExpire', every: 3 }] });
    const out = await writeAll(s.target, batch(0, 1000));
    expect(out.every((o) => o.status === 'saved')).toBe(true);
    expect(s.emu.stats().sessionLost).toBe(0);
    expect(s.emu.stats().byService.batchsave).toBe(10);
  });

  it('bad credentials fail the run with a message that names the connection and holds no secret', async () => {
    for (const [mode, override] of [
      ['appSecret', { appSecret: 'wrong-secret-value-123' }],
      ['password', { password: 'wrong-password-123' }],
      ['sign', { appSecret: 'wrong-secret-value-123' }],
      ['signed', { appSecret: 'wrong-secret-value-123' }],
    ] as const) {
      const s = await setup(mode, undefined, override);
      const f = await failureOf(s.target.write(SPEC, [customer(1)], signal()));
      expect(f.error).toMatchObject({ kind: 'auth', action: 'fail_run' });
      expect(f.error.message).toContain('Kingdee connection "erp-test"');
      const secret = Object.values(override)[0] as string;
      expect(f.error.message).not.toContain(secret);
      expect(JSON.stringify(s.events)).not.toContain(secret);
      expect(s.emu.stats().records.BD_Customer).toBe(0);
      await s.emu.close();
      emu = undefined;
    }
  });

  it('signed mode with a wrong acctId fails on the passport check', async () => {
    const s = await setup('signed', undefined, { acctId: 'nope' });
    const f = await failureOf(s.target.write(SPEC, [customer(1)], signal()));
    expect(f.error).toMatchObject({ kind: 'auth', action: 'fail_run' });
    expect(f.error.message).toMatch(/passport/);
  });

  it('never puts the session id or signatures in call events', async () => {
    const seen: string[] = [];
    const s = await setup('appSecret');
    const orig = fetch;
    const spy = (async (u: string, init: RequestInit) => {
      const res = await orig(u, init);
      for (const c of res.headers.getSetCookie()) seen.push(c.split(';')[0]?.split('=')[1] ?? '');
      return res;
    }) as typeof fetch;
    const events: ApiCallEvent[] = [];
    const c = s.emu.credentials;
    const t = (kingdeeProfile.openTarget as NonNullable<typeof kingdeeProfile.openTarget>)(
      kingdeeProfile.connectionSchema.parse({ mode: 'appSecret', baseUrl: s.emu.url, acctId: c.acctId, username: c.username, appId: c.appId, appSecret: c.appSecret }),
      { connection: 'x', fetch: spy, now: Date.now, timeoutMs: 5000, onCall: (e) => events.push(e) },
    );
    await t.write(SPEC, [customer(1)], signal());
    expect(seen.length).toBeGreaterThan(0);
    const dump = JSON.stringify(events);
    for (const sid of seen) expect(dump).not.toContain(sid);
    expect(events.map((e) => e.api)).toEqual(['LoginByAppSecret', 'BatchSave']);
  });
});

describe('kingdee whole-call failures', () => {
  it('an "applied then timed out" batch throws with maybeApplied, and a look-up then finds the records', async () => {
    const s = await setup('appSecret', { rules: [{ kind: 'applyThenTimeout', every: 1, count: 1, services: ['BatchSave'], ms: 30_000 }] }, {}, 500);
    const items = batch(0, 100);
    const f = await failureOf(s.target.write(SPEC, items, signal()));
    expect(f.error).toMatchObject({ kind: 'timeout', action: 'retry', maybeApplied: true });
    expect(f.error.message).toContain('BD_Customer BatchSave, batch C00000…C00099 (100 records)');
    // The engine looks up before re-sending: every record is there, so nothing is sent twice.
    const found = await (s.target.lookup as NonNullable<TargetSession['lookup']>)(SPEC, items.map((i) => i.number as string), signal());
    expect(found.size).toBe(100);
    const again = await s.target.write(SPEC, items.map((i) => ({ ...i, existingId: found.get(i.number as string)?.id })), signal());
    expect(again.every((o) => o.status === 'saved' && !o.created)).toBe(true);
    expect(s.emu.stats().records.BD_Customer).toBe(100);
  });

  it('a dropped connection after the write landed is maybeApplied', async () => {
    const s = await setup('signed', { rules: [{ kind: 'applyThenDrop', every: 1, count: 1, services: ['BatchSave'] }] });
    const f = await failureOf(s.target.write(SPEC, batch(0, 10), signal()));
    expect(f.error).toMatchObject({ kind: 'network', action: 'retry', maybeApplied: true });
    expect(s.emu.stats().records.BD_Customer).toBe(10);
  });

  it('an IIS HTML error page is a clear retryable error naming form, operation and batch', async () => {
    const s = await setup('appSecret', { rules: [{ kind: 'html', every: 1, count: 1, services: ['BatchSave'] }] });
    const f = await failureOf(s.target.write(SPEC, batch(0, 100), signal()));
    expect(f.error).toMatchObject({ kind: 'http', action: 'retry', maybeApplied: true, remote: { status: 500 } });
    expect(f.error.message).toContain('Kingdee connection "erp-test": BD_Customer BatchSave, batch C00000…C00099 (100 records)');
    expect(f.error.message).toContain('500 - Internal server error.');
    expect(s.emu.stats().records.BD_Customer).toBe(0);
    // The next attempt goes through.
    expect((await s.target.write(SPEC, batch(0, 100), signal())).every((o) => o.status === 'saved')).toBe(true);
  });

  it('an HTML page with HTTP 200 is a bad response, not a crash', async () => {
    const s = await setup('appSecret', { rules: [{ kind: 'html', status: 200, every: 1, count: 1, services: ['BatchSave'] }] });
    const f = await failureOf(s.target.write(SPEC, batch(0, 3), signal()));
    expect(f.error).toMatchObject({ kind: 'bad_response', action: 'retry', maybeApplied: true });
    expect(f.error.message).toMatch(/HTML page instead of JSON/);
  });

  it('HTTP 503 is retryable', async () => {
    const s = await setup('password', { rules: [{ kind: '5xx', every: 1, count: 1, services: ['BatchSave'] }] });
    const f = await failureOf(s.target.write(SPEC, batch(0, 3), signal()));
    expect(f.error).toMatchObject({ kind: 'http', action: 'retry', remote: { status: 503 } });
    expect(f.error.message).toContain('Service Unavailable');
  });

  it('truncated JSON is a clear error; the write landed, so maybeApplied is set', async () => {
    const s = await setup('appSecret', { rules: [{ kind: 'truncate', every: 1, count: 1, services: ['BatchSave'] }] });
    const f = await failureOf(s.target.write(SPEC, batch(0, 5), signal()));
    expect(f.error).toMatchObject({ kind: 'bad_response', maybeApplied: true });
    expect(f.error.message).toMatch(/BD_Customer BatchSave, batch C00000…C00004 \(5 records\): the answer is not valid JSON/);
    expect(s.emu.stats().records.BD_Customer).toBe(5);
  });

  it('an unknown MsgCode is a clear error naming the code', async () => {
    const s = await setup('appSecret', { rules: [{ kind: 'badMsgCode', msgCode: 42, every: 1, count: 1, services: ['BatchSave'] }] });
    const f = await failureOf(s.target.write(SPEC, batch(0, 2), signal()));
    expect(f.error).toMatchObject({ kind: 'bad_response', maybeApplied: true, remote: { code: '42' } });
    expect(f.error.message).toContain('unknown MsgCode "42"');
    expect(f.error.message).toContain('BD_Customer BatchSave, batch C00000…C00001');
  });

  it('MsgCode 14 (call limit) asks to retry later and was not applied', async () => {
    const s = await setup('appSecret', { rules: [{ kind: 'callLimit', every: 1, count: 1, services: ['BatchSave'] }] });
    const f = await failureOf(s.target.write(SPEC, batch(0, 2), signal()));
    expect(f.error).toMatchObject({ kind: 'rate_limit', action: 'retry_after' });
    expect(f.error.maybeApplied).toBeUndefined();
    expect(s.emu.stats().records.BD_Customer).toBe(0);
  });

  it('a refused connection is retryable and surely not applied', async () => {
    const s = await setup('signed');
    await s.emu.close();
    emu = undefined;
    const f = await failureOf(s.target.write(SPEC, batch(0, 2), signal()));
    expect(f.error).toMatchObject({ kind: 'network', action: 'retry' });
    expect(f.error.maybeApplied).toBeUndefined();
  });

  it('a failure in the update part of a mixed batch reports maybeApplied because the creates landed', async () => {
    const s = await setup('appSecret');
    const [a] = await s.target.write(SPEC, [customer(1)], signal());
    const id = a?.status === 'saved' ? a.targetId : '';
    s.emu.setFaults({ rules: [{ kind: '5xx', every: 2, count: 1, services: ['BatchSave'] }] });
    const f = await failureOf(s.target.write(SPEC, [customer(2), { ...customer(1), existingId: id }], signal()));
    expect(f.error.maybeApplied).toBe(true);
    expect(f.error.message).toMatch(/Earlier parts of this batch were already saved/);
  });
});
