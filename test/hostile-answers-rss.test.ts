import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { startKingdeeEmulator } from '../src/emulators/kingdee/index.ts';
import { startHostileWdt, type HostileOptions } from './support/hostile-wdt.ts';
import { FERRY, ROOT, SEED_SCHEME, tempDir, writeJson } from './support/cli.ts';

/**
 * Issue 12: peak memory of `ferry run` (a child process, measured by /usr/bin/time -v) against a hostile WDT.
 * Measured on the dev box (2026-12-01): a plain 5-shop run of the seed scheme peaks at 189 MB; with the cap the
 * endless stream peaks at 210 MB, the 50 MB field at 198 MB, 200,000 records at 212 MB (each fails in seconds).
 * Before the cap: 50 MB field 318 MB (and a 50 MB name sent on to Kingdee), 200,000 records 354 MB and accepted,
 * the endless stream 752 MB per the issue (buffered until the timeout, 8 times).
 */

const BOUND_MB = 260;

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

async function peakRss(mode: HostileOptions): Promise<{ rssMb: number; code: number | null; output: string }> {
  const wdt = await startHostileWdt(mode);
  const kingdee = await startKingdeeEmulator({ orgs: ['100', '101'] });
  cleanup.push(() => wdt.close(), () => kingdee.close());
  const dir = tempDir();
  const c = kingdee.credentials;
  const connections = writeJson(dir, 'connections.json', {
    wdt: { platform: 'wdt', transport: 'qimen', baseUrl: wdt.url, sid: 'hostile', appKey: 'k', appSecret: 's3cret-key', targetAppKey: 't', timeoutMs: 10_000 },
    kingdee: { platform: 'kingdee', mode: 'signed', baseUrl: kingdee.url, acctId: c.acctId, username: c.username, appId: c.appId, appSecret: c.appSecret },
  });
  const child = spawn('/usr/bin/time', ['-v', process.execPath, FERRY, 'run', SEED_SCHEME, '--connections', connections, '--data', join(dir, 'data')], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, FORCE_COLOR: '0' },
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const kb = /Maximum resident set size \(kbytes\): (\d+)/.exec(output);
  if (!kb) throw new Error(`no RSS figure in:\n${output}`);
  const rssMb = Math.round(Number(kb[1]) / 1024);
  console.log(`ferry run against a hostile WDT (${mode.mode}): peak RSS ${rssMb} MB, exit ${code}`);
  return { rssMb, code, output };
}

describe('peak memory of ferry run against a hostile WDT', () => {
  it.each([
    ['endless 200 stream', { mode: 'endless' }],
    ['50 MB field', { mode: 'bigField' }],
    ['200,000 records when 100 were asked', { mode: 'tooMany' }],
  ] as [string, HostileOptions][])('%s: the run fails cleanly with bounded memory', async (_name, mode) => {
    const r = await peakRss(mode);
    expect(r.output).toContain('wdt.shop.query page 0');
    expect(r.output).toContain('larger than the 8 MiB cap');
    expect(r.output).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/); // no stack trace
    expect(r.code).not.toBe(0);
    expect(r.code).not.toBe(70);
    expect(r.rssMb).toBeLessThan(BOUND_MB);
  }, 90_000);
});
