/**
 * How long validating a scheme with many fields takes (issue 12): writes the seed scheme with N mapped target
 * fields to a temporary file and times checkSchemeFile (what `ferry validate` runs), then the mapping compile
 * alone past the field cap. `npx tsx bench/validate-fields.ts [N]` (default 50000).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkSchemeFile } from '../src/cli/scheme-file.ts';
import { compileMapping } from '../src/core/mapping/index.ts';

const n = Number(process.argv[2] ?? 50_000);
const seed = JSON.parse(readFileSync(new URL('../examples/shop-to-customer.json', import.meta.url), 'utf8')) as { target: { request: unknown[] } };
seed.target.request = Array.from({ length: n }, (_, i) => ({ field: `F${i}`, label: `字段${i}`, type: 'string', value: `{f${i}}` }));
const file = join(mkdtempSync(join(tmpdir(), 'ferry-bench-')), `scheme-${n}.json`);
writeFileSync(file, JSON.stringify(seed));
const bytes = readFileSync(file).length;

let t = performance.now();
const r = checkSchemeFile(file);
const validateMs = performance.now() - t;
console.log(`${n} fields, ${(bytes / 1e6).toFixed(1)} MB: checkSchemeFile ${validateMs.toFixed(0)} ms → ${r.problems.length ? r.problems[0]!.path + ': ' + r.problems[0]!.message : 'valid'}`);

t = performance.now();
const m = compileMapping(seed.target.request as never, { basePath: '$.target.request' });
console.log(`${n} fields: compileMapping alone (past the cap) ${(performance.now() - t).toFixed(0)} ms (${m.ok ? 'ok' : 'errors'})`);
console.log(`file: ${file}`);
