import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PlatformContext, WriteItem, WriteOutcome, WriteSpec } from '../src/core/contracts/platform.ts';
import { FerryFailure } from '../src/core/errors.ts';
import { startHttpEmulator, type HttpEmulator } from '../src/emulators/http/index.ts';
import { HttpConnection, httpProfile, type HttpWriteOptionsInput } from '../src/platforms/http/index.ts';

/** Batch and single writes with per-row results, refusals, look-ups and lost answers, against the emulator. */

let emu: HttpEmulator;
const signal = new AbortController().signal;
const ctx: PlatformContext = { connection: 'crm', fetch, now: Date.now, timeoutMs: 10_000 };

beforeEach(async () => {
  emu = await startHttpEmulator({ collections: { customers: 0 } });
});
afterEach(() => emu.close());

const open = () => httpProfile.openTarget!(HttpConnection.parse({ baseUrl: emu.url }), ctx);
const RESULTS = { path: 'results', indexPath: 'index', successPath: 'ok', idPath: 'id', numberPath: 'number', messagePath: 'error.message', codePath: 'error.code' };
const batchSpec = (extra: HttpWriteOptionsInput = { results: RESULTS }, api = '/batch/customers'): WriteSpec => ({
  api,
  method: 'POST',
  params: { source: 'ferry' },
  operation: { rowsKey: 'rows', rows: 1, method: 'batchArraySave' },
  numberField: 'number',
  extra: extra as Record<string, unknown>,
});
const items = (n: number, bad: number[] = []): WriteItem[] =>
  Array.from({ length: n }, (_, i) => ({ key: `k${i}`, number: `C${i}`, payload: { number: `C${i}`, name: bad.includes(i) ? '' : `客户${i}` } }));
const byKey = (out: WriteOutcome[]) => new Map(out.map((o) => [o.key, o]));

describe('batch writes', () => {
  it('rejects the rows the target rejects, with their message, and saves the others', async () => {
    const t = open();
    expect(t.maxBatchSize(batchSpec())).toBe(500);
    const out = byKey(await t.write(batchSpec(), items(10, [2, 5, 9]), signal));
    expect(out.size).toBe(10);
    for (const i of [2, 5, 9]) {
      const o = out.get(`k${i}`)!;
      expect(o.status).toBe('rejected');
      if (o.status !== 'rejected') continue;
      expect(o.error).toMatchObject({ action: 'reject_record', kind: 'vendor', remote: { code: 'INVALID_ROW', detail: 'name is required' } });
      expect(o.error.message).toContain('name is required');
    }
    const stored = emu.records('customers');
    expect(stored.map((r) => r.number)).toEqual(['C0', 'C1', 'C3', 'C4', 'C6', 'C7', 'C8']);
    for (const r of stored) expect(out.get(`k${String(r.number).slice(1)}`)).toMatchObject({ status: 'saved', targetId: String(r.id), targetNumber: r.number, created: true });
  });

  it('the rows sent again are updates, not duplicates (upsert by number)', async () => {
    const t = open();
    await t.write(batchSpec(), items(3), signal);
    const again = await t.write(batchSpec({ results: { ...RESULTS, createdPath: 'created' } }), items(3), signal);
    expect(again.every((o) => o.status === 'saved' && !o.created)).toBe(true);
    expect(emu.records('customers')).toHaveLength(3);
  });

  it('a body that is the bare array (rowsKey "array") works the same', async () => {
    const out = await open().write({ ...batchSpec(), operation: { rowsKey: 'array' } }, items(4, [1]), signal);
    expect(out.filter((o) => o.status === 'saved')).toHaveLength(3);
    expect(out.find((o) => o.key === 'k1')?.status).toBe('rejected');
  });

  it('an atomic refusal (400 with per-row errors) rejects the named rows and hands the others back as retryable', async () => {
    const out = byKey(await open().write(batchSpec({ results: { errorsPath: 'errors', indexPath: 'index', messagePath: 'message' } }, '/batch/customers?atomic=1'), items(5, [3]), signal));
    expect(out.get('k3')).toMatchObject({ status: 'rejected', error: { action: 'reject_record', remote: { detail: 'name is required' } } });
    for (const k of ['k0', 'k1', 'k2', 'k4']) expect(out.get(k)).toMatchObject({ status: 'retryable', error: { action: 'retry', kind: 'batch_refused' } });
    expect(emu.records('customers')).toHaveLength(0);
  });

  it('a dropped answer after the write was applied throws maybeApplied, and lookup finds what was saved', async () => {
    const t = open();
    const spec = batchSpec({ results: RESULTS, lookup: { api: '/records/customers', numbersParam: 'number', recordsPath: 'data', idPath: 'id' } });
    emu.setFaults({ dropEvery: 1 });
    let err: unknown;
    try {
      await t.write(spec, items(3), signal);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(FerryFailure);
    expect((err as FerryFailure).error).toMatchObject({ action: 'retry', maybeApplied: true });
    emu.setFaults({ dropEvery: 0 });
    const found = await t.lookup!(spec, ['C0', 'C1', 'C2', 'C9'], signal);
    expect([...found.keys()].sort()).toEqual(['C0', 'C1', 'C2']);
    expect(found.get('C1')).toEqual({ id: String(emu.records('customers').find((r) => r.number === 'C1')!.id), number: 'C1' });
  });

  it('a response without the configured results array stops the run (maybeApplied), naming what it has', async () => {
    let err: unknown;
    await open()
      .write(batchSpec({ results: { ...RESULTS, path: 'nothing_here' } }), items(2), signal)
      .catch((e: unknown) => (err = e));
    expect((err as FerryFailure).error).toMatchObject({ kind: 'bad_response', action: 'fail_run', maybeApplied: true });
    expect((err as FerryFailure).error.message).toContain('results');
  });

  it('a row the results array says nothing about is retryable with maybeApplied', async () => {
    // Read with index base 1, the emulator's 0-based entries shift down by one: the last row gets none.
    const out = byKey(await open().write(batchSpec({ results: { ...RESULTS, indexBase: 1 } }), items(3), signal));
    expect(out.get('k2')).toMatchObject({ status: 'retryable', error: { maybeApplied: true } });
    expect(out.get('k0')).toMatchObject({ status: 'saved' });
  });
});

describe('single writes', () => {
  const single = (extra: HttpWriteOptionsInput = {}): WriteSpec => ({
    api: '/records/customers',
    method: 'POST',
    params: {},
    operation: { method: 'single' },
    numberField: 'number',
    extra: { results: { idPath: 'data.id' }, ...extra } as Record<string, unknown>,
  });

  it('one call per record: saved with the id from the response, or rejected with the message (HTTP 422)', async () => {
    const t = open();
    expect(t.maxBatchSize(single())).toBe(1);
    const [ok] = await t.write(single(), items(1), signal);
    expect(ok).toMatchObject({ status: 'saved', targetId: '1', created: true });
    const [bad] = await t.write(single(), [{ key: 'x', payload: { number: 'X', name: ' ' } }], signal);
    expect(bad).toMatchObject({ status: 'rejected', error: { action: 'reject_record', remote: { status: 422, code: 'INVALID_ROW', detail: 'name is required' } } });
  });

  it('an existing record is updated through the update path with its id', async () => {
    const t = open();
    await t.write(single(), items(1), signal);
    const spec = single({ update: { api: '/records/customers/{id}', method: 'PUT' } });
    const [o] = await t.write(spec, [{ key: 'k', number: 'C0', existingId: '1', payload: { number: 'C0', name: '新名字' } }], signal);
    expect(o).toMatchObject({ status: 'saved', targetId: '1', created: false });
    expect(emu.records('customers')[0]).toMatchObject({ id: 1, name: '新名字' });
    expect(emu.stats().byRoute['PUT /records/customers']).toBe(1);
  });

  it('lookup with one call per number treats 404 as "does not exist"', async () => {
    const t = open();
    await t.write(single(), items(2), signal);
    const spec = single({ lookup: { api: '/records/customers/{number}', idPath: 'data.id', numberPath: 'data.number' } });
    // The emulator's /records/{c}/{id} takes ids: C-numbers are not ids, so every call is a 404.
    expect((await t.lookup!(spec, ['C0'], signal)).size).toBe(0);
    const byId = single({ lookup: { api: '/records/customers/{number}', idPath: 'data.id', numberPath: 'data.id' } });
    expect([...(await t.lookup!(byId, ['1', '2', '3'], signal)).keys()]).toEqual(['1', '2']);
  });
});
