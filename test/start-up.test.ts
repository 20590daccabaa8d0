import { mkdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error plain JavaScript module without types (bin/ is not compiled)
import { chooseEntry } from '../bin/entry.js';
import { FERRY, ROOT, SEED_SCHEME, tempDir } from './support/cli.ts';

const choose = chooseEntry as (root: string, env?: Record<string, string | undefined>) => 'dist' | 'source';

function layout(withGit: boolean): string {
  const root = tempDir('ferry-entry-');
  mkdirSync(join(root, 'src', 'cli'), { recursive: true });
  writeFileSync(join(root, 'src', 'cli', 'main.ts'), '');
  if (withGit) mkdirSync(join(root, '.git'));
  return root;
}

function build(root: string, at: Date): void {
  mkdirSync(join(root, 'dist', 'cli'), { recursive: true });
  writeFileSync(join(root, 'dist', 'cli', 'main.js'), '');
  writeFileSync(join(root, 'dist', '.built'), '');
  utimesSync(join(root, 'dist', '.built'), at, at);
}

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('bin/ferry.js starts the build in dist/ only when it is complete and up to date', () => {
  it('without a build, or with FERRY_FROM_SOURCE, runs the sources', () => {
    const root = layout(true);
    dirs.push(root);
    expect(choose(root, {})).toBe('source');
    build(root, new Date(Date.now() + 60_000));
    expect(choose(root, {})).toBe('dist');
    expect(choose(root, { FERRY_FROM_SOURCE: '1' })).toBe('source');
  });

  it('in a checkout, a source newer than the build (edited, merged) means the sources run', () => {
    const root = layout(true);
    dirs.push(root);
    const t = new Date(Date.now() - 60_000);
    build(root, t);
    writeFileSync(join(root, 'src', 'cli', 'new-file.ts'), '');
    expect(choose(root, {})).toBe('source');
    utimesSync(join(root, 'src', 'cli', 'new-file.ts'), t, t);
    utimesSync(join(root, 'src', 'cli', 'main.ts'), t, t);
    expect(choose(root, {})).toBe('dist');
  });

  it('an installed copy (no .git) trusts its build without walking src/', () => {
    const root = layout(false);
    dirs.push(root);
    build(root, new Date(Date.now() - 60_000));
    expect(choose(root, {})).toBe('dist');
  });

  it('the test suite itself always spawns the sources, whatever dist/ holds', () => {
    expect(choose(ROOT)).toBe('source');
  });
});

// Runs only where `npm ci`/`npm run build` left an up-to-date build (CI does): the built product starts.
const built = choose(ROOT, { ...process.env, FERRY_FROM_SOURCE: undefined }) === 'dist';
describe.skipIf(!built)('the built ferry (dist/)', () => {
  const run = (args: string[]) =>
    new Promise<{ code: number | null; out: string }>((resolve) => {
      const env = { ...process.env };
      delete env.FERRY_FROM_SOURCE;
      const p = spawn(process.execPath, [FERRY, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      p.stdout.on('data', (d) => (out += d));
      p.stderr.on('data', (d) => (out += d));
      p.on('close', (code) => resolve({ code, out }));
    });

  it('prints its version and validates the seed scheme', async () => {
    expect(await run(['--version'])).toEqual({ code: 0, out: '0.1.0\n' });
    const v = await run(['validate', SEED_SCHEME]);
    expect(v.code).toBe(0);
    expect(v.out).toContain('valid scheme "店铺同步客户"');
  });
});
