import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkScheme, parseScheme } from '../src/core/scheme/load.ts';
import { schemeJsonSchema } from '../src/core/scheme/scheme.ts';
import { compileSchemeMappings } from '../src/engine/compile-scheme.ts';
import { formatProblem } from '../src/cli/scheme-file.ts';
import { ROOT, ferry } from './support/cli.ts';

const read = (p: string) => readFileSync(join(ROOT, p), 'utf8');

/** The seed's two metadata blocks exactly as the seed document prints them (only its `...` elisions filled). */
const SEED_SOURCE = {
  api: 'wdt.shop.query',
  method: 'POST',
  number: 'shop_no',
  id: 'shop_id',
  pagination: { pageSize: 100 },
  idCheck: true,
  request: [
    { field: 'platform', label: '平台ID', type: 'string' },
    { field: 'shop_no', label: '店铺编号', type: 'string' },
    { field: 'page_size', label: '分页大小', type: 'string', value: '100' },
    { field: 'page_no', label: '页号', type: 'string', value: '0' },
  ],
};
const SEED_TARGET = {
  api: 'batchSave',
  method: 'POST',
  idCheck: true,
  operation: { rowsKey: 'array', rows: 1, method: 'batchArraySave' },
  request: [
    { field: 'FName', label: '客户名称', type: 'string', value: '{shop_name}' },
    { field: 'FNumber', label: '客户编码', type: 'string', value: '{shop_no}' },
    { field: 'FCreateOrgId', label: '创建组织', type: 'string', parser: { name: 'ConvertObjectParser', params: 'FNumber' }, value: '{remark}' },
    { field: 'FUseOrgId', label: '使用组织', type: 'string', parser: { name: 'ConvertObjectParser', params: 'FNumber' }, value: '{remark}' },
    { field: 'FDescription', label: '描述', type: 'string' },
  ],
  otherRequest: [
    { field: 'FormId', label: '业务对象表单Id', type: 'string', describe: '必须填写金蝶的表单ID如:PUR_PurchaseOrder', value: 'BD_Customer' },
    { field: 'Operation', label: '执行的操作', type: 'string', value: 'BatchSave' },
    { field: 'IsAutoSubmitAndAudit', label: '提交并审核', type: 'bool', value: 'true' },
    { field: 'IsVerifyBaseDataField', label: '验证基础资料', type: 'bool', describe: '是否验证所有的基础资料有效性,布尔类,默认false(非必录)', value: 'false' },
  ],
};

function problemsOf(doc: unknown): string[] {
  const r = checkScheme(doc);
  if (!r.ok) return r.problems.map(formatProblem);
  const c = compileSchemeMappings(r.scheme);
  return c.ok ? [] : c.problems.map(formatProblem);
}

function setPath(doc: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let cur: Record<string, unknown> = doc;
  for (const p of parts.slice(0, -1)) cur = cur[p] as Record<string, unknown>;
  cur[parts[parts.length - 1]!] = value;
}

describe('the scheme document', () => {
  it('loads the seed\'s source and target blocks unchanged, and they compile', () => {
    const doc = { name: '店铺同步客户', source: SEED_SOURCE, target: SEED_TARGET };
    expect(problemsOf(doc)).toEqual([]);
    const r = checkScheme(doc);
    expect(r.ok && r.scheme.source.connection).toBe('source');
    expect(r.ok && r.scheme.batch.size).toBe(100);
  });

  it('keeps schema/scheme.schema.json in step with the zod schema', () => {
    expect(JSON.parse(read('schema/scheme.schema.json'))).toEqual(schemeJsonSchema());
  });

  it('validates every example', () => {
    for (const f of ['examples/shop-to-customer.json', 'examples/stockout-to-sales-outstock.json', 'examples/http-to-http.json']) {
      const r = parseScheme(read(f));
      expect(r.ok ? problemsOf(JSON.parse(read(f))) : r.problems, f).toEqual([]);
    }
  });

  const cases = JSON.parse(read('test/golden/validate/cases.json')) as {
    name: string;
    patch?: [string, unknown][];
    delete?: string[];
    text?: string;
    problems: string[];
  }[];
  for (const c of cases) {
    it(`says what is wrong and where: ${c.name}`, () => {
      let lines: string[];
      if (c.text !== undefined) {
        const r = parseScheme(c.text);
        lines = r.ok ? [] : r.problems.map(formatProblem);
      } else {
        const doc = JSON.parse(read('examples/shop-to-customer.json')) as Record<string, unknown>;
        for (const [p, v] of c.patch ?? []) setPath(doc, p, v);
        for (const k of c.delete ?? []) delete doc[k];
        lines = problemsOf(doc);
      }
      // Each expected line is a prefix of one reported line (messages may add detail after it).
      for (const want of c.problems) expect(lines.some((l) => l.startsWith(want)), `${want}\n got:\n${lines.join('\n')}`).toBe(true);
      expect(lines.length).toBeGreaterThan(0);
    });
  }
});

describe('ferry validate and ferry preview', () => {
  it('validate exits 0 on the seed example and 1 with one line per problem, never a stack trace', async () => {
    const ok = await ferry(['validate', 'examples/shop-to-customer.json']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/valid scheme "店铺同步客户"/);
    const bad = await ferry(['validate', 'test/golden/validate/broken-scheme.json']);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/\$\.target\.request\[2\]\.parser\.name: unknown parser "ConvertObjParser".*did you mean "ConvertObjectParser"\?/);
    expect(bad.stdout).toMatch(/\$\.source\.pagniation: unknown key/);
    expect(bad.stdout + bad.stderr).not.toMatch(/\n\s+at /);
    const missing = await ferry(['validate', 'nope.json']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/scheme file not found: nope.json/);
  });

  it('preview shows BD_Customer models and a clear error for the shop without a remark', async () => {
    const r = await ferry(['preview', 'examples/shop-to-customer.json', '--sample', 'examples/samples/shops.json', '--json']);
    const out = JSON.parse(r.stdout);
    expect(out.target.params).toEqual({ FormId: 'BD_Customer', Operation: 'BatchSave', IsAutoSubmitAndAudit: true, IsVerifyBaseDataField: false });
    const first = out.rows[0];
    expect(first.payload).toEqual({ FName: '杭州云栖天猫旗舰店', FNumber: 'TM001', FCreateOrgId: { FNumber: '100' }, FUseOrgId: { FNumber: '100' } });
    const bad = out.rows.find((x: { sourceNumber: string }) => x.sourceNumber === 'PDD003');
    expect(bad.ok).toBe(false);
    expect(bad.errors.map((e: { field: string }) => e.field).sort()).toEqual(['FCreateOrgId', 'FUseOrgId']);
    expect(bad.errors[0].message).toMatch(/remark/);
    const table = await ferry(['preview', 'examples/shop-to-customer.json', '--sample', 'examples/samples/shops.json']);
    expect(table.stdout).toMatch(/TM001\s+\{"FNumber":"100"\}/);
    expect(table.stdout).toMatch(/record PDD003: FCreateOrgId \(创建组织\)/);
  });
});
