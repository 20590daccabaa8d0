import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, tempDir, writeJson } from './support/cli.ts';
import { ferryInProcess } from './support/in-process-cli.ts';

const SEED = JSON.parse(readFileSync(join(ROOT, 'examples/shop-to-customer.json'), 'utf8')) as Record<string, unknown>;

describe('ferry schedule list', () => {
  it('lists the good schedules in their own zone, and the bad one with its problem, never exit 70', async () => {
    const dir = tempDir();
    const bad = writeJson(dir, 'bad.json', { ...SEED, name: 'bad', schedule: { cron: '61 * * * *', timezone: 'Mars/Base' } });
    const utc = writeJson(dir, 'utc.json', { ...SEED, name: 'utc', schedule: { cron: '0 3 * * *', timezone: 'UTC' } });
    const bj = writeJson(dir, 'bj.json', { ...SEED, name: 'bj', schedule: { cron: '30 2 * * *' } });
    const r = await ferryInProcess(['schedule', 'list', bad, utc, bj, '--next', '2']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(`${bad}: not valid, not scheduled`);
    expect(r.stdout).toMatch(/\$\.schedule\.cron: "61 \* \* \* \*" is not a valid cron expression/);
    expect(r.stdout).toMatch(/\$\.schedule\.timezone: "Mars\/Base" is not an IANA time zone/);
    expect(r.stdout).toMatch(/utc: "0 3 \* \* \*" UTC[^\n]*\n {2}next \d{4}-\d\d-\d\d 03:00:00 \+00:00 \(UTC\)\n {2}next \d{4}-\d\d-\d\d 03:00:00 \+00:00 \(UTC\)/);
    expect(r.stdout).toMatch(/bj: "30 2 \* \* \*" Asia\/Shanghai[^\n]*\n {2}next \d{4}-\d\d-\d\d 02:30:00 \+08:00 \(Asia\/Shanghai\)/);
  });
});
