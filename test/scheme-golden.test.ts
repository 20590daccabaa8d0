import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, ferry, tempDir, writeJson } from './support/cli.ts';
import { ferryInProcess } from './support/in-process-cli.ts';

/**
 * Issue 12: everything `ferry run` would refuse, `ferry validate` refuses first. Each malformed scheme of
 * test/golden/schemes/cases.json is refused by `ferry validate` with its JSON path and reason, and by
 * `ferry run` with the very same lines — never exit 70 (unexpected error), never a call to a vendor.
 */
interface Case {
  name: string;
  base?: 'seed' | 'http';
  patch?: [string, unknown][];
  delete?: string[];
  replace?: [string, string][];
  text?: string;
  bytesReplace?: [string, string];
  appendHex?: string;
  manyFields?: number;
  longDescription?: number;
  problems: string[];
}

const CASES = JSON.parse(readFileSync(join(ROOT, 'test/golden/schemes/cases.json'), 'utf8')) as Case[];
const BASES = { seed: 'examples/shop-to-customer.json', http: 'examples/http-to-http.json' };
const dir = tempDir('ferry-golden-');
// Connections the schemes name; nothing listens on port 9, and nothing may be called.
const CONNECTIONS = writeJson(dir, 'connections.json', {
  wdt: { platform: 'wdt', transport: 'qimen', baseUrl: 'http://127.0.0.1:9/', sid: 's', appKey: 'k', appSecret: 'golden-secret', targetAppKey: 't' },
  kingdee: { platform: 'kingdee', mode: 'signed', baseUrl: 'http://127.0.0.1:9/k3cloud/', acctId: 'a', username: 'u', appId: 'i', appSecret: 'golden-secret' },
  emu: { platform: 'http', baseUrl: 'http://127.0.0.1:9' },
});

function walk(doc: unknown, path: string): [Record<string, unknown> | unknown[], string] {
  const parts = path.split('.');
  let cur = doc as Record<string, unknown>;
  for (const p of parts.slice(0, -1)) cur = (cur[p] ??= {}) as Record<string, unknown>;
  return [cur, parts[parts.length - 1]!];
}

/** The bytes of a case's scheme file. */
function schemeBytes(c: Case): Buffer {
  if (c.text !== undefined) return Buffer.from(c.text, 'utf8');
  const baseText = readFileSync(join(ROOT, BASES[c.base ?? 'seed']), 'utf8');
  let text = baseText;
  for (const [from, to] of c.replace ?? []) {
    expect(text.includes(from), `${c.name}: "${from}" not in the base`).toBe(true);
    text = text.replace(from, to);
  }
  if (c.patch || c.delete || c.manyFields || c.longDescription) {
    const doc = JSON.parse(text) as Record<string, unknown>;
    for (const [p, v] of c.patch ?? []) {
      const [obj, key] = walk(doc, p);
      (obj as Record<string, unknown>)[key] = v;
    }
    for (const p of c.delete ?? []) {
      const [obj, key] = walk(doc, p);
      if (Array.isArray(obj)) obj.splice(Number(key), 1);
      else delete obj[key];
    }
    if (c.manyFields) (doc.target as { request: unknown[] }).request = Array.from({ length: c.manyFields }, (_, i) => ({ field: `F${i}`, value: `{f${i}}` }));
    if (c.longDescription) doc.description = 'x'.repeat(c.longDescription);
    text = JSON.stringify(doc, null, 2);
  }
  let bytes = Buffer.from(text, 'utf8');
  if (c.bytesReplace) {
    const [find, hex] = c.bytesReplace;
    const at = bytes.indexOf(Buffer.from(find, 'utf8'));
    bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from(hex, 'hex'), bytes.subarray(at + Buffer.byteLength(find))]);
  }
  if (c.appendHex) bytes = Buffer.concat([bytes, Buffer.from(c.appendHex, 'hex')]);
  return bytes;
}

function writeCase(c: Case, i: number): string {
  const file = join(dir, `case-${String(i).padStart(2, '0')}.json`);
  writeFileSync(file, schemeBytes(c));
  return file;
}

/** The problem lines `ferry validate` printed (without the file prefix and the count line). */
function validateLines(stdout: string, file: string): string[] {
  return stdout
    .split('\n')
    .filter((l) => l.startsWith(`${file}: `) && !l.startsWith(`${file}: warning: `))
    .map((l) => l.slice(file.length + 2));
}

/** The problem lines `ferry run` refused the scheme with. */
function runLines(stderr: string): string[] {
  return stderr
    .split('\n')
    .filter((l) => l.startsWith('  '))
    .map((l) => l.slice(2));
}

describe('malformed schemes: validate refuses what run would refuse, with the same message', () => {
  it('has at least 50 cases, each with a distinct name', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(50);
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
  });

  CASES.forEach((c, i) => {
    it(c.name, async () => {
      const file = writeCase(c, i);
      const v = await ferryInProcess(['validate', file, ...(c.base === 'http' ? ['--connections', CONNECTIONS] : [])]);
      const lines = validateLines(v.stdout, file);
      expect(v.code, v.stdout + v.stderr).toBe(1);
      for (const want of c.problems) expect(lines.some((l) => l.startsWith(want) || (want.startsWith('$') ? false : l.includes(want))), `${want}\n got:\n${lines.join('\n')}`).toBe(true);

      const r = await ferryInProcess(['run', file, '--connections', CONNECTIONS, '--data', join(dir, `data-${i}`)]);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toContain(`scheme ${file} is not valid; nothing was run`);
      expect(runLines(r.stderr)).toEqual(lines);
      expect(r.stderr + r.stdout).not.toMatch(/unexpected error|\n\s+at /);
    });
  });

  it('the real CLI agrees (spawned processes: validate of two cases, run of one)', async () => {
    const at = (name: string) => {
      const i = CASES.findIndex((c) => c.name === name);
      expect(i, name).toBeGreaterThanOrEqual(0);
      return { i, file: writeCase(CASES[i]!, i) };
    };
    const gbk = at('GBK-encoded scheme name');
    const wdt = at('WDT page size over 100');
    const [v1, v2, r2] = await Promise.all([
      ferry(['validate', gbk.file]),
      ferry(['validate', wdt.file]),
      ferry(['run', wdt.file, '--connections', CONNECTIONS, '--data', join(dir, 'spawned')]),
    ]);
    expect([v1.code, v2.code, r2.code]).toEqual([1, 1, 1]);
    expect(v1.stdout).toBe((await ferryInProcess(['validate', gbk.file])).stdout);
    expect(v2.stdout).toBe((await ferryInProcess(['validate', wdt.file])).stdout);
    expect(runLines(r2.stderr)).toEqual(validateLines(v2.stdout, wdt.file));
    expect(v1.stdout).toMatch(/not UTF-8: invalid byte at offset 58/);
  }, 60_000);
});
