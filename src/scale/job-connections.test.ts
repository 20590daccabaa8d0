import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseConnections } from '../cli/connections.ts';
import { jobKeyFromEnv, sealJobConnections, unsealJobConnections } from './job-connections.ts';

const SECRET = 'job-conn-Secret-4f7a9c';
const resolved = () =>
  parseConnections(
    { kingdee: { platform: 'kingdee', mode: 'signed', baseUrl: 'http://127.0.0.1:1', acctId: 'a1', username: 'u', appId: '100001_x', appSecret: SECRET } },
    'test',
  );

describe('job connections', () => {
  const key = randomBytes(32);

  it('seals every config (no plain secret in the job) and opens it with the same key', () => {
    const sealed = sealJobConnections(key, resolved().values());
    expect(sealed).toEqual([{ name: 'kingdee', platform: 'kingdee', sealed: expect.stringMatching(/^v1\./) }]);
    expect(JSON.stringify(sealed)).not.toContain(SECRET);
    const opened = unsealJobConnections(key, sealed).get('kingdee')!;
    expect(opened.profile.name).toBe('kingdee');
    expect((opened.config as { appSecret: string }).appSecret).toBe(SECRET);
    expect(opened.secrets).toContain(SECRET);
  });

  it('does not open with another key, nor a blob moved to another connection name', () => {
    const [s] = sealJobConnections(key, resolved().values());
    expect(() => unsealJobConnections(randomBytes(32), [s!])).toThrow(/cannot open sealed credentials/);
    expect(() => unsealJobConnections(key, [{ ...s!, name: 'other' }])).toThrow(/cannot open/);
  });

  it('never expands ${ENV} references of a carried config', () => {
    const c = [...resolved().values()][0]!;
    const sealed = sealJobConnections(key, [{ ...c, config: { ...(c.config as object), username: '${HOME}' } }]);
    expect((unsealJobConnections(key, sealed).get('kingdee')!.config as { username: string }).username).toBe('${HOME}');
  });

  it('reads the key from FERRY_SECRET_KEY (32 bytes, base64)', () => {
    expect(jobKeyFromEnv({ FERRY_SECRET_KEY: key.toString('base64') })!.equals(key)).toBe(true);
    expect(jobKeyFromEnv({})).toBeUndefined();
    expect(() => jobKeyFromEnv({ FERRY_SECRET_KEY: 'c2hvcnQ=' })).toThrow(/32-byte key/);
  });
});
