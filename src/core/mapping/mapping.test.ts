import { describe, expect, it } from 'vitest';
import { FerryFailure } from '../errors.ts';
import type { Envelope } from '../records.ts';
import { beatFlat, beatFlatPathProblem, compileExplode } from './beat-flat.ts';
import { compileMapping } from './mapping.ts';
import { createParserRegistry, DEFAULT_PARSERS, suggestParserName } from './parsers/registry.ts';
import type { ParserDef } from './parsers/types.ts';
import { renderRequest } from './request.ts';
import { mappingFailure } from './to-ferry-error.ts';

function compiled(...args: Parameters<typeof compileMapping>) {
  const c = compileMapping(...args);
  if (!c.ok) throw new Error(JSON.stringify(c.errors));
  return c.mapping;
}

describe('compileMapping', () => {
  it('maps synchronously when no field uses an expression', () => {
    const m = compiled([{ field: 'FName', value: '{shop_name}' }]);
    expect(m.isAsync).toBe(false);
    const r = m.map({ shop_name: '店' });
    expect(r).not.toBeInstanceOf(Promise);
    expect(r).toEqual({ ok: true, value: { FName: '店' } });
    expect(m.mapSync({ shop_name: 'x' })).toEqual({ ok: true, value: { FName: 'x' } });
  });

  it('returns a promise when a field uses an expression, and mapSync refuses', async () => {
    const m = compiled([{ field: 'A', value: '{a}' }, { field: 'E', type: 'array', source: 'rows', children: [{ field: 'B', expression: 'b + 1' }] }]);
    expect(m.isAsync).toBe(true);
    const r = m.map({ a: 1, rows: [{ b: 1 }] });
    expect(r).toBeInstanceOf(Promise);
    expect(await r).toEqual({ ok: true, value: { A: 1, E: [{ B: 2 }] } });
    expect(() => m.mapSync({})).toThrow(TypeError);
  });

  it('lists the emitted fields and leaves out fields without a value', () => {
    const m = compiled([{ field: 'FName', value: '{n}' }, { field: 'FDescription', label: '描述', type: 'string' }]);
    expect(m.fields).toEqual(['FName']);
    expect(m.map({ n: 'x', FDescription: 'ignored' })).toEqual({ ok: true, value: { FName: 'x' } });
  });

  it('does not share literal objects between records', () => {
    const m = compiled([{ field: 'FOrg', type: 'object', value: { FNumber: '100' } }]);
    const a = m.mapSync({});
    const b = m.mapSync({});
    if (!a.ok || !b.ok) throw new Error('unexpected');
    (a.value.FOrg as Record<string, unknown>).FNumber = 'changed';
    expect(b.value.FOrg).toEqual({ FNumber: '100' });
  });

  it('never throws on bad input: compile problems are values', () => {
    const c = compileMapping('nope' as never, { basePath: '$.target.request' });
    expect(c).toMatchObject({ ok: false, errors: [{ path: '$.target.request' }] });
    const z = compileMapping([], { timeZone: 'Nowhere/Land' });
    expect(z.ok).toBe(false);
  });

  it('uses the registry it is given (nothing registers itself)', () => {
    const shout: ParserDef = { name: 'Shout', summary: 'adds !', usage: 'no params', compile: () => (v) => `${String(v)}!` };
    const registry = createParserRegistry([...DEFAULT_PARSERS, shout]);
    expect(compiled([{ field: 'A', value: 'hi', parser: { name: 'Shout' } }], { parsers: registry }).map({})).toEqual({ ok: true, value: { A: 'hi!' } });
    expect(compileMapping([{ field: 'A', value: 'hi', parser: { name: 'Shout' } }]).ok).toBe(false);
    expect(() => createParserRegistry([shout, shout])).toThrow(/twice/);
  });
});

describe('suggestParserName', () => {
  it('suggests the closest parser name for a typo', () => {
    expect(suggestParserName('ConvertObjectParsr')).toBe('ConvertObjectParser');
    expect(suggestParserName('convertobjectparser')).toBe('ConvertObjectParser');
    expect(suggestParserName('Uppercase')).toBe('UpperCase');
    expect(suggestParserName('TotallyDifferent')).toBeUndefined();
  });
});

describe('renderRequest', () => {
  it('renders static params and reports compile problems as issues', () => {
    expect(renderRequest([{ field: 'IsAutoSubmitAndAudit', type: 'bool', value: 'true' }, { field: 'shop_no' }])).toEqual({ ok: true, value: { IsAutoSubmitAndAudit: true } });
    const bad = renderRequest([{ field: 'A', value: '{x', parser: { name: 'Nope' } }], {}, { basePath: '$.target.otherRequest' });
    expect(bad).toMatchObject({ ok: false, errors: [{ path: '$.target.otherRequest[0].value' }, { path: '$.target.otherRequest[0].parser.name' }] });
  });
});

describe('mappingFailure', () => {
  it('makes a reject_record error naming the record and every field', () => {
    const ref = { scheme: '店铺同步客户', api: 'wdt.shop.query', page: '0', index: 2, sourceId: '17', sourceNumber: 'S001' };
    const e = mappingFailure([{ path: 'FCreateOrgId', message: 'FCreateOrgId (创建组织): no value' }, { path: 'FUseOrgId', message: 'FUseOrgId (使用组织): no value' }], ref);
    expect(e).toMatchObject({ kind: 'mapping', action: 'reject_record', ref });
    expect(e.message).toContain('number S001');
    expect(e.message).toContain('FCreateOrgId (创建组织): no value; FUseOrgId (使用组织): no value');
  });
});

describe('beatFlat stream', () => {
  const env = (id: string, data: Record<string, unknown>): Envelope => ({ ref: { scheme: 's', api: 'a', page: '0', index: 0, sourceId: id }, data });

  async function collect(it: AsyncIterable<Envelope>): Promise<Envelope[]> {
    const out: Envelope[] = [];
    for await (const e of it) out.push(e);
    return out;
  }

  it('explodes sync and async iterables lazily', async () => {
    async function* source() {
      yield env('1', { no: 1, lines: [{ a: 1 }, { a: 2 }] });
      yield env('2', { no: 2, lines: ['x'] });
    }
    const out = await collect(beatFlat(source(), 'lines'));
    expect(out.map((e) => [e.ref.sourceId, e.data])).toEqual([
      ['1-0', { no: 1, a: 1 }],
      ['1-1', { no: 1, a: 2 }],
      ['2-0', { no: 2, lines: 'x' }],
    ]);
    expect((await collect(beatFlat([env('3', { lines: [{ no: 9 }], no: 1 })], 'lines', { conflict: 'header' })))[0]!.data).toEqual({ no: 1 });
  });

  it('explodes data with separate ids for the engine', () => {
    const explode = compileExplode('lines');
    expect(explode({ no: 1, lines: [{ a: 1 }, { a: 2 }] }, '7')).toEqual([
      { id: '7-0', data: { no: 1, a: 1 } },
      { id: '7-1', data: { no: 1, a: 2 } },
    ]);
    expect(explode({ no: 2 }, '8')).toEqual([{ id: '8', data: { no: 2 } }]);
    expect(compileExplode('lines', { onEmpty: 'drop' })({ lines: [] }, '9')).toEqual([]);
    expect(() => explode({ lines: 'x' }, '10')).toThrow(FerryFailure);
  });

  it('checks beatFlat paths for validate', () => {
    expect(beatFlatPathProblem('goods_list')).toBeUndefined();
    expect(beatFlatPathProblem('detail.lines')).toBeUndefined();
    expect(beatFlatPathProblem('a..b')).toContain('bad path');
    expect(beatFlatPathProblem('$header.x')).toContain('must be a field of the record');
  });

  it('sends a record that is not a list to onError, or throws a FerryFailure', async () => {
    const bad = [env('1', { lines: 'x' }), env('2', { lines: [{ a: 1 }] })];
    const errors: string[] = [];
    const out = await collect(beatFlat(bad, 'lines', { onError: (e) => errors.push(e.ref!.sourceId) }));
    expect(errors).toEqual(['1']);
    expect(out.map((e) => e.ref.sourceId)).toEqual(['2-0']);
    await expect(collect(beatFlat(bad, 'lines'))).rejects.toBeInstanceOf(FerryFailure);
  });
});

describe('target name clashes (found in linear time: a set of names and of their prefixes)', () => {
  const errorsOf = (names: string[]) => {
    const r = compileMapping(names.map((field, i) => ({ field, value: `{v${i}}` })), { basePath: '$.r' });
    return r.ok ? [] : r.errors.map((e) => `${e.path}: ${e.message}`);
  };
  it('reports a name mapped twice and a name inside another, in either order', () => {
    expect(errorsOf(['FName', 'FNumber', 'FName'])).toEqual(['$.r[2].field: field "FName" is mapped twice (first at [0])']);
    expect(errorsOf(['FSaleOrgId', 'FSaleOrgId.FNumber'])).toEqual(['$.r[1].field: field "FSaleOrgId.FNumber" clashes with "FSaleOrgId" at [0] (one is inside the other)']);
    expect(errorsOf(['FSaleOrgId.FNumber', 'FSaleOrgId'])).toEqual(['$.r[1].field: field "FSaleOrgId" clashes with "FSaleOrgId.FNumber" at [0] (one is inside the other)']);
    expect(errorsOf(['FA.FB.FC', 'FA.FB'])).toHaveLength(1);
    expect(errorsOf(['FA.FB', 'FA.FC', 'FAB'])).toEqual([]);
  });
});
