import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConnections } from '../src/cli/connections.ts';
import { startDemoEnvironment } from '../src/cli/demo-setup.ts';
import { openRun } from '../src/cli/open-run.ts';
import { loadSchemeFile } from '../src/cli/scheme-file.ts';
import { runScheme } from '../src/engine/run-scheme.ts';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { readFileSync } from 'node:fs';
import { ROOT, SEED_SCHEME, tempDir, writeJson } from './support/cli.ts';
import { ferryInProcess } from './support/in-process-cli.ts';

/** Issue 12: a template naming a field the source never has stops the run early instead of rejecting every record. */
describe('a template field missing from every record of the first page', () => {
  it('stops the run before anything is written, naming the template and the closest field', async () => {
    const env = await startDemoEnvironment({ shops: 294 });
    const dir = tempDir();
    const store = new SqliteStore(join(dir, 'ferry.sqlite'));
    try {
      const connections = parseConnections({ wdt: env.connections.wdt, kingdee: env.connections.kingdee }, 'test');
      const seed = loadSchemeFile(SEED_SCHEME);
      const request = seed.target.request.map((f) => (f.field === 'FName' ? { ...f, value: '{shop_nme}' } : f));
      const scheme = { ...seed, target: { ...seed.target, request } };
      const run = openRun(scheme, connections, store, { logFile: join(dir, 'ferry.log') });
      const report = await runScheme(run.cs, run.deps);
      await run.close();
      expect(report.status).toBe('failed');
      expect(report.reason).toMatch(/\$\.target\.request\[0\]\.value: template field \{shop_nme\} is missing from every record of the first page \(page 0, 100 records\) — did you mean \{shop_name\}\?/);
      expect(report.reconciliation.rejected).toBe(0);
      expect(report.reconciliation.written).toBe(0);
      expect([...env.kingdee.records('BD_Customer')]).toHaveLength(0);
    } finally {
      await store.close();
      await env.close();
    }
  }, 60_000);

  it('validate warns about it against a sample, and against a Kingdee source\'s declared FieldKeys', async () => {
    const dir = tempDir();
    const seed = JSON.parse(readFileSync(SEED_SCHEME, 'utf8')) as { name: string; source: unknown; target: { request: { field: string; value?: string }[] } };
    seed.target.request[0]!.value = '{shop_nme}';
    const file = writeJson(dir, 'nme.json', seed);
    const plain = await ferryInProcess(['validate', file]);
    expect(plain.code).toBe(0);
    expect(plain.stdout).not.toContain('warning');
    const v = await ferryInProcess(['validate', file, '--sample', join(ROOT, 'examples/samples/shops.json')]);
    expect(v.code).toBe(0);
    expect(v.stdout).toContain(`${file}: warning: $.target.request[0].value: template field {shop_nme} is missing from every record of the sample (5 records) — did you mean {shop_name}?`);
    expect(v.stdout).not.toContain('{remark}'); // some sample records have a remark
    const p = await ferryInProcess(['preview', file, '--sample', join(ROOT, 'examples/samples/shops.json'), '--json']);
    expect(JSON.parse(p.stdout).warnings).toEqual([expect.objectContaining({ path: '$.target.request[0].value', suggestion: 'did you mean {shop_name}?' })]);

    const kd = writeJson(dir, 'kd.json', { ...seed, name: 'kd', source: { connection: 'kingdee', api: 'BD_Customer', id: 'FCUSTID', extra: { FieldKeys: 'FCUSTID,shop_name,shop_no,remark' } } });
    const k = await ferryInProcess(['validate', kd]);
    expect(k.code).toBe(0);
    expect(k.stdout.split('\n').filter((l) => l.includes('warning'))).toEqual([
      `${kd}: warning: $.target.request[0].value: template field {shop_nme} is missing from the source's declared fields (source.extra.FieldKeys) — did you mean {shop_name}?`,
    ]);
  });
});
