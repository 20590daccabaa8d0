import { describe, expect, it } from 'vitest';
import { FerryFailure } from '../../core/errors.ts';
import { splitOutcomes } from './outcomes.ts';
import type { Slot } from './outcomes.ts';
import { parseBody } from './parse.ts';

const label = { connection: 'erp', formId: 'BD_Customer', operation: 'BatchSave', batch: 'C1…C3 (3 records)' };
const id = (s: string) => s;
const slots: Slot[] = ['C1', 'C2', 'C3'].map((n, i) => ({ item: { key: `k${i}`, number: n, payload: {} }, dIndex: i, created: true }));
const reply = (status: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ Result: { ResponseStatus: status, ...extra } });

function thrown(fn: () => unknown): FerryFailure {
  try {
    fn();
  } catch (e) {
    if (e instanceof FerryFailure) return e;
    throw e;
  }
  throw new Error('did not throw');
}

describe('splitOutcomes', () => {
  it('splits saved and rejected rows by DIndex, parsing strings leniently', () => {
    const out = splitOutcomes(
      reply({
        IsSuccess: 'false',
        MsgCode: '11',
        ErrorCode: '500',
        Errors: [{ FieldName: 'FNumber', Message: '违反字段唯一性要求：编码唯一。[C2]在当前系统中已经被使用。', DIndex: '1' }],
        SuccessEntitys: [
          { Id: 7, Number: 'C1', DIndex: '0' },
          { Id: '9', Number: 'C3', DIndex: 2 },
        ],
      }),
      slots,
      label,
      id,
    );
    expect(out.map((o) => o.status)).toEqual(['saved', 'rejected', 'saved']);
    expect(out[0]).toMatchObject({ targetId: '7', targetNumber: 'C1', created: true });
    const rej = out[1];
    if (rej?.status !== 'rejected') throw new Error('expected rejected');
    expect(rej.error.action).toBe('reject_record');
    expect(rej.error.remote).toMatchObject({ code: '11', field: 'FNumber' });
    expect(rej.error.message).toContain('BD_Customer BatchSave');
    expect(rej.error.message).toContain('C2');
  });

  it('marks rows retryable on a network-control conflict (MsgCode 13)', () => {
    const out = splitOutcomes(reply({ IsSuccess: false, MsgCode: 13, Errors: [{ Message: '网络控制冲突', DIndex: 0 }], SuccessEntitys: [{ Id: 1, Number: 'C2', DIndex: 1 }, { Id: 2, Number: 'C3', DIndex: 2 }] }), slots, label, id);
    expect(out.map((o) => o.status)).toEqual(['retryable', 'saved', 'saved']);
  });

  it('treats an unmentioned row as retryable with maybeApplied', () => {
    const out = splitOutcomes(reply({ IsSuccess: true, MsgCode: 0, Errors: [], SuccessEntitys: [{ Id: 1, Number: 'C1', DIndex: 0 }] }), slots, label, id);
    expect(out[1]).toMatchObject({ status: 'retryable', error: { maybeApplied: true } });
  });

  it('throws retry_after on MsgCode 14, fail_run on a request-level error, and names an unknown MsgCode', () => {
    expect(thrown(() => splitOutcomes(reply({ IsSuccess: false, MsgCode: 14, Errors: [{ Message: '调用限制' }] }), slots, label, id)).error).toMatchObject({ action: 'retry_after', kind: 'rate_limit' });
    expect(thrown(() => splitOutcomes(reply({ IsSuccess: false, MsgCode: 4, Errors: [{ Message: '业务对象不存在' }] }), slots, label, id)).error.action).toBe('fail_run');
    const unknown = thrown(() => splitOutcomes(reply({ IsSuccess: false, MsgCode: 77, Errors: [{ Message: '?' }] }), slots, label, id)).error;
    expect(unknown).toMatchObject({ kind: 'bad_response', maybeApplied: true });
    expect(unknown.message).toMatch(/unknown MsgCode "77"/);
    expect(unknown.message).toContain('C1…C3');
  });

  it('throws a clear error when the reply has no ResponseStatus', () => {
    expect(thrown(() => splitOutcomes({ hello: 1 }, slots, label, id)).error).toMatchObject({ kind: 'bad_response', maybeApplied: true });
  });
});

describe('parseBody', () => {
  it('recognises response_error:, HTML pages and truncated JSON', () => {
    expect(parseBody('response_error:{"Message":"对象引用未设置到对象的实例"}')).toEqual({ kind: 'response_error', message: '对象引用未设置到对象的实例' });
    expect(parseBody('<html><head><title>500 - Internal server error.</title></head></html>')).toEqual({ kind: 'html', title: '500 - Internal server error.' });
    expect(parseBody('{"Result":{"Respon').kind).toBe('invalid');
    expect(parseBody('[["C1","A"]]')).toEqual({ kind: 'json', value: [['C1', 'A']] });
  });

  it('a result whose Number is not the number of its DIndex package makes every row maybe-applied, never saved', () => {
    const out = splitOutcomes(
      reply({
        IsSuccess: true,
        MsgCode: 0,
        Errors: [],
        SuccessEntitys: [
          { Id: 7, Number: 'C1', DIndex: 1 },
          { Id: 8, Number: 'C2', DIndex: 2 },
          { Id: 9, Number: 'C3', DIndex: 3 },
        ],
      }),
      slots,
      label,
      id,
    );
    expect(out.map((o) => o.status)).toEqual(['retryable', 'retryable', 'retryable']);
    for (const o of out) expect(o.status === 'retryable' && o.error.maybeApplied).toBe(true);
    expect(out[0]?.status === 'retryable' && out[0].error.message).toMatch(/DIndex 1 names record C1, but that package is record C2/);
  });
});
