import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/** Both dictionaries hold the same keys, and every literal key the console asks for exists. */
const DIR = fileURLToPath(new URL('../src/console/', import.meta.url));

/** The dictionaries are browser ES modules (plain JS, no types): loaded by URL. */
async function dict(name: string): Promise<Record<string, string>> {
  return ((await import(new URL(`../src/console/i18n/${name}.js`, import.meta.url).href)) as { default: Record<string, string> }).default;
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : n.endsWith('.js') ? [join(dir, n)] : []));
}

describe('console dictionaries (zh-CN, English)', () => {
  it('have the same keys and no empty strings', async () => {
    const en = await dict('en');
    const zh = await dict('zh-CN');
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
    for (const [k, v] of [...Object.entries(en), ...Object.entries(zh)]) expect(v.trim(), k).not.toBe('');
    // Placeholders match between the languages.
    for (const k of Object.keys(en)) expect((zh[k]!.match(/\{\w+\}/g) ?? []).sort(), k).toEqual((en[k]!.match(/\{\w+\}/g) ?? []).sort());
  });

  it('contain every key the pages use', async () => {
    const en = await dict('en');
    const used = new Set<string>();
    for (const f of files(DIR).filter((f) => !f.includes(`${join('i18n', '')}`))) for (const m of readFileSync(f, 'utf8').matchAll(/\bt\('([\w.]+)'/g)) used.add(m[1]!);
    expect(used.size).toBeGreaterThan(150);
    expect([...used].filter((k) => !(k in en))).toEqual([]);
    for (const s of ['succeeded', 'partial', 'running', 'failed', 'aborted', 'cancelled', 'interrupted', 'written', 'skipped', 'rejected']) expect(en[`status.${s}`], s).toBeTruthy();
  });
});
