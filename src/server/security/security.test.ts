import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from './passwords.ts';
import { loadSecretKey } from './secret-key.ts';
import { seal, unseal } from '../../core/seal.ts';

describe('server security primitives', () => {
  it('hashes passwords with a per-user salt and verifies them', async () => {
    const a = await hashPassword('correct horse');
    const b = await hashPassword('correct horse');
    expect(a).not.toBe(b);
    expect(a).not.toContain('correct horse');
    expect(await verifyPassword('correct horse', a)).toBe(true);
    expect(await verifyPassword('correct horsE', a)).toBe(false);
    expect(await verifyPassword('x', 'garbage')).toBe(false);
  });

  it('creates a 0600 key file once and reads it back; FERRY_SECRET_KEY wins', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ferry-key-'));
    const first = loadSecretKey(dir, {});
    expect(first.source).toBe('created');
    expect(statSync(join(dir, 'secret.key')).mode & 0o777).toBe(0o600);
    const again = loadSecretKey(dir, {});
    expect(again.source).toBe('file');
    expect(again.key.equals(first.key)).toBe(true);
    const env = Buffer.alloc(32, 7).toString('base64');
    expect(loadSecretKey(dir, { FERRY_SECRET_KEY: env }).key.equals(Buffer.alloc(32, 7))).toBe(true);
    expect(() => loadSecretKey(dir, { FERRY_SECRET_KEY: 'c2hvcnQ=' })).toThrow(/32-byte/);
    expect(readFileSync(join(dir, 'secret.key'), 'utf8').trim()).toBe(first.key.toString('base64'));
  });

  it('seals with AES-256-GCM bound to the connection name', () => {
    const key = Buffer.alloc(32, 1);
    const s = seal(key, '{"appSecret":"s3cr3t"}', 'wdt');
    expect(s).not.toContain('s3cr3t');
    expect(unseal(key, s, 'wdt')).toBe('{"appSecret":"s3cr3t"}');
    expect(() => unseal(key, s, 'other')).toThrow(/cannot open/);
    expect(() => unseal(Buffer.alloc(32, 2), s, 'wdt')).toThrow(/cannot open/);
    const parts = s.split('.');
    parts[3] = parts[3]!.slice(0, -2) + (parts[3]!.endsWith('AA') ? 'BB' : 'AA');
    expect(() => unseal(key, parts.join('.'), 'wdt')).toThrow();
  });
});
