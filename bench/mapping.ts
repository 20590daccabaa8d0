/**
 * Mapping throughput and memory: 1,000,000 realistic WDT shops, generated lazily by an async generator
 * (Chinese names, numbers as strings, ~1% without `remark`), streamed through the compiled seed mapping
 * (examples/shop-to-customer.json, or the seed's target request[] inline when that file is absent).
 *
 *   npx tsx bench/mapping.ts [count]
 *   node --expose-gc --import tsx bench/mapping.ts [count]   (heap figures after a full GC)
 *
 * Prints records/s for generation alone and for generation + mapping (the difference is the mapping's cost),
 * peak RSS (sampled every 10,000 records) and RSS at 100k vs at the end, to show memory does not grow.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileMapping } from '../src/core/mapping/index.ts';
import type { Field } from '../src/core/scheme/field.ts';

const TOTAL = Number(process.argv[2] ?? 1_000_000);

const SEED_REQUEST: Field[] = [
  { field: 'FName', label: '客户名称', type: 'string', value: '{shop_name}' },
  { field: 'FNumber', label: '客户编码', type: 'string', value: '{shop_no}' },
  { field: 'FCreateOrgId', label: '创建组织', type: 'string', parser: { name: 'ConvertObjectParser', params: 'FNumber' }, value: '{remark}' },
  { field: 'FUseOrgId', label: '使用组织', type: 'string', parser: { name: 'ConvertObjectParser', params: 'FNumber' }, value: '{remark}' },
  { field: 'FDescription', label: '描述', type: 'string' },
];

function seedFields(): { fields: Field[]; from: string } {
  const file = join(import.meta.dirname, '..', 'examples', 'shop-to-customer.json');
  if (!existsSync(file)) return { fields: SEED_REQUEST, from: 'inline seed request[]' };
  const scheme = JSON.parse(readFileSync(file, 'utf8')) as { target: { request: Field[] } };
  return { fields: scheme.target.request, from: 'examples/shop-to-customer.json' };
}

const CITIES = [['浙江省', '杭州市', '西湖区'], ['广东省', '深圳市', '南山区'], ['四川省', '成都市', '高新区'], ['上海市', '上海市', '浦东新区'], ['北京市', '北京市', '朝阳区'], ['江苏省', '南京市', '鼓楼区']] as const;
const PLATFORMS = [['1', '天猫'], ['3', '京东'], ['39', '拼多多'], ['69', '抖音'], ['0', '线下'], ['127', '自营商城']] as const;
const WORDS = ['云栖', '星河', '锦绣', '青禾', '鸿运', '万家', '优选', '臻品', '悦享', '嘉禾'];
const KINDS = ['旗舰店', '专营店', '生鲜店', '官方店', '直营店', '折扣店'];
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄'];
const GIVEN = ['晓明', '娜', '伟', '芳', '强', '敏', '磊', '静'];

/** One WDT shop as wdt.shop.query returns it: every value is text (wdt-api.md §3). */
function shop(i: number): Record<string, string> {
  const [province, city, district] = CITIES[i % CITIES.length]!;
  const [platformId, platform] = PLATFORMS[i % PLATFORMS.length]!;
  const rec: Record<string, string> = {
    shop_id: String(i + 1),
    shop_no: `SH${String(i).padStart(7, '0')}`,
    shop_name: `${city.slice(0, 2)}${WORDS[i % WORDS.length]}${platform}${KINDS[(i >> 3) % KINDS.length]}${i % 97}号`,
    platform_id: platformId,
    sub_platform_id: '0',
    account_id: `acc${(i * 7919) % 1000003}`,
    account_nick: `${WORDS[(i >> 2) % WORDS.length]}${platform}`,
    province,
    city,
    district,
    address: `${district}科技路 ${i % 1000} 号`,
    contact: `${SURNAMES[i % SURNAMES.length]}${GIVEN[(i >> 1) % GIVEN.length]}`,
    zip: '310012',
    mobile: `138${String(i % 100_000_000).padStart(8, '0')}`,
    telno: '',
    email: '',
    remark: i % 100 === 99 ? '' : '100',
    is_disabled: i % 50 === 0 ? '1' : '0',
    modified: '2026-11-20 09:15:32',
    created: '2023-03-01 10:00:00',
  };
  if (i % 100 === 49) delete rec.remark;
  return rec;
}

async function* shops(n: number): AsyncGenerator<Record<string, string>> {
  for (let i = 0; i < n; i++) yield shop(i);
}

const mb = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MB`;

async function run(label: string, n: number, each: (rec: Record<string, string>) => void | Promise<void>): Promise<void> {
  global.gc?.();
  let peak = process.memoryUsage.rss();
  let at100k = 0;
  let heapAt100k = 0;
  const start = process.hrtime.bigint();
  let i = 0;
  for await (const rec of shops(n)) {
    await each(rec);
    if (++i % 10_000 === 0) {
      const rss = process.memoryUsage.rss();
      if (rss > peak) peak = rss;
      if (i === 100_000) {
        at100k = rss;
        global.gc?.();
        heapAt100k = process.memoryUsage().heapUsed;
      }
    }
  }
  const secs = Number(process.hrtime.bigint() - start) / 1e9;
  const end = process.memoryUsage.rss();
  global.gc?.();
  const heapEnd = process.memoryUsage().heapUsed;
  console.log(
    `${label.padEnd(34)} ${n.toLocaleString('en')} records in ${secs.toFixed(2)} s = ${Math.round(n / secs).toLocaleString('en')} records/s; ` +
      `peak RSS ${mb(peak)}` +
      (at100k && n > 100_000 ? `; RSS at 100k ${mb(at100k)} → at ${n.toLocaleString('en')} ${mb(end)}; heap used ${mb(heapAt100k)} → ${mb(heapEnd)}` : ''),
  );
}

const { fields, from } = seedFields();
const compiled = compileMapping(fields, { basePath: '$.target.request' });
if (!compiled.ok) throw new Error(`seed mapping does not compile: ${JSON.stringify(compiled.errors)}`);
const mapping = compiled.mapping;
console.log(`mapping from ${from}: fields ${mapping.fields.join(', ')}; isAsync=${mapping.isAsync}; node ${process.version}`);

let sink = 0;
let rejected = 0;
await run('generate only', TOTAL, (rec) => {
  sink += rec.shop_no!.length;
});
await run('generate + map (seed, sync path)', TOTAL, (rec) => {
  const r = mapping.map(rec);
  if ('then' in r) throw new Error('the seed mapping should be synchronous');
  if (r.ok) sink += (r.value.FNumber as string).length;
  else rejected++;
});
console.log(`rejected records (missing/empty remark → FCreateOrgId/FUseOrgId errors): ${rejected.toLocaleString('en')}`);

// The mapping alone: 10,000 pre-built shops mapped over and over (no generator in the loop).
const pool = Array.from({ length: 10_000 }, (_, i) => shop(i));
const rounds = Math.max(1, Math.floor(TOTAL / pool.length));
const t0 = process.hrtime.bigint();
for (let r = 0; r < rounds; r++) for (const rec of pool) {
  const res = mapping.mapSync(rec);
  if (res.ok) sink += (res.value.FNumber as string).length;
}
const mapSecs = Number(process.hrtime.bigint() - t0) / 1e9;
console.log(`${'map only (seed, sync path)'.padEnd(34)} ${(rounds * pool.length).toLocaleString('en')} records in ${mapSecs.toFixed(2)} s = ${Math.round((rounds * pool.length) / mapSecs).toLocaleString('en')} records/s`);

const withExpression = compileMapping([...fields, { field: 'FShortName', expression: "$substring(shop_name, 0, 4) & '·' & platform_id" }]);
if (!withExpression.ok) throw new Error(JSON.stringify(withExpression.errors));
const asyncMapping = withExpression.mapping;
const n = Math.min(TOTAL, 100_000);
await run('generate + map (+1 JSONata field)', n, async (rec) => {
  const r = await asyncMapping.map(rec);
  if (r.ok) sink += (r.value.FNumber as string).length;
});
if (sink === 0) console.log('(sink)');
