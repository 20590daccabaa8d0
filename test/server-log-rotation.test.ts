import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createFerryServer, type FerryServer } from '../src/server/app.ts';
import { until } from './server-support.ts';

/** ferry serve's log files rotate by size (and daily) through pino-roll, keep a bounded number of files, 0600. */
describe('ferry serve log rotation', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-logs-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const logs = join(dir, 'logs');
  const serverFiles = () => readdirSync(logs).filter((f) => /^server\.\d{4}-\d\d-\d\d\.\d+\.log$/.test(f)).sort((a, b) => Number(a.split('.')[2]) - Number(b.split('.')[2]));
  const start = () => createFerryServer({ dataDir: dir, port: 0, env: {}, defaultMetrics: false, alertsOff: true, schedules: false, logs: { rotation: { maxSize: '2k', keep: 3 } } });
  const fill = async (s: FerryServer, lines: number) => {
    for (let i = 0; i < lines; i++) {
      s.logger.info({ event: 'test.line', i, pad: 'x'.repeat(150) }, `line ${i}`);
      // Lines spread over time, as a server writes them (pino-roll rolls when the stream has drained).
      if (i % 10 === 9) await new Promise((r) => setTimeout(r, 5));
    }
    await new Promise((r) => setTimeout(r, 50));
  };

  it('rotates at the size limit, keeps 3 rotated files (+ the current one) across restarts, each 0600 in a 0700 directory', { timeout: 60_000 }, async () => {
    const first = await start();
    const url = await first.listen();
    // A request the server logs (a failed login's audit line) goes to the rotating file.
    await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'nobody', password: 'wrong-password-1' }) });
    await new Promise((r) => setTimeout(r, 50));
    expect(serverFiles().map((f) => readFileSync(join(logs, f), 'utf8')).join('')).toContain('nobody');
    await fill(first, 200); // ~45 KB of lines: about 20 rotations at 2 KB
    await until(async () => (serverFiles().length <= 4 ? true : undefined), 50);
    const files = serverFiles();
    expect(files.length).toBe(4); // 3 rotated + the current one
    expect(Number(files.at(-1)!.split('.')[2])).toBeGreaterThan(10); // it did rotate, many times
    for (const f of files) {
      // A file is rotated once it reaches the limit and the stream drained: a burst of lines (here 10) may go over it.
      expect(statSync(join(logs, f)).size).toBeLessThan(3 * 2048);
      expect(statSync(join(logs, f)).mode & 0o777).toBe(0o600);
    }
    expect(statSync(logs).mode & 0o777).toBe(0o700);
    expect(files.map((f) => readFileSync(join(logs, f), 'utf8')).join('')).toContain('"event":"test.line","i":199');
    expect(readdirSync(logs).some((f) => /^ferry\.\d{4}-\d\d-\d\d\.\d+\.log$/.test(f))).toBe(true); // the runs' log
    await first.close();

    // A restart continues the numbering and counts the earlier process's files against the limit.
    const last = Number(files.at(-1)!.split('.')[2]);
    const second = await start();
    await fill(second, 100);
    await until(async () => (serverFiles().length <= 4 ? true : undefined), 50);
    const after = serverFiles();
    expect(after.length).toBe(4);
    expect(Number(after[0]!.split('.')[2])).toBeGreaterThanOrEqual(last);
    expect(Number(after.at(-1)!.split('.')[2])).toBeGreaterThan(last + 3);
    await second.close();
  });
});
