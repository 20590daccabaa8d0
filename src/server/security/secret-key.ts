import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeSecretKey as decode } from '../../core/seal.ts';

/**
 * The key that seals connection credentials (AES-256-GCM): FERRY_SECRET_KEY (base64 of 32 bytes) when set,
 * else `<data>/secret.key`, created with mode 0600 on first start. Losing it makes the stored credentials
 * unreadable (they must be entered again); it is never logged or returned by the API.
 */
export function loadSecretKey(dataDir: string, env: NodeJS.ProcessEnv = process.env): { key: Buffer; source: 'env' | 'file' | 'created'; file?: string } {
  const fromEnv = env.FERRY_SECRET_KEY;
  if (fromEnv !== undefined && fromEnv !== '') return { key: decode(fromEnv, 'FERRY_SECRET_KEY'), source: 'env' };
  const file = join(dataDir, 'secret.key');
  if (existsSync(file)) {
    const mode = statSync(file).mode & 0o777;
    if (mode & 0o077) chmodSync(file, 0o600);
    return { key: decode(readFileSync(file, 'utf8').trim(), file), source: 'file', file };
  }
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32);
  // `wx`: never overwrite a key another process created a moment ago.
  writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  return { key, source: 'created', file };
}
