import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM sealing of a text (a connection's config JSON). Format: `v1.<iv>.<tag>.<ciphertext>`
 * (base64url). The associated data (the connection name) binds a sealed value to its row, so a sealed
 * blob copied onto another connection does not open.
 */
export function seal(key: Buffer, plaintext: string, aad: string): string {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, iv);
  c.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([c.update(plaintext, 'utf8'), c.final()]);
  return ['v1', iv.toString('base64url'), c.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
}

export function unseal(key: Buffer, sealed: string, aad: string): string {
  const [v, iv, tag, body] = sealed.split('.');
  if (v !== 'v1' || !iv || !tag || body === undefined) throw new Error('sealed value has an unknown format');
  const d = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  d.setAAD(Buffer.from(aad, 'utf8'));
  d.setAuthTag(Buffer.from(tag, 'base64url'));
  try {
    return Buffer.concat([d.update(Buffer.from(body, 'base64url')), d.final()]).toString('utf8');
  } catch {
    throw new Error('cannot open sealed credentials: wrong FERRY_SECRET_KEY / secret.key, or the value was altered');
  }
}

/**
 * The sealing key from its text form (base64 of 32 bytes), as held in FERRY_SECRET_KEY or `<data>/secret.key`.
 * `where` names the origin in the error; the key itself is never echoed.
 */
export function decodeSecretKey(text: string, where: string): Buffer {
  const key = Buffer.from(text.trim(), 'base64');
  if (key.length !== 32) throw new Error(`${where} must hold a base64-encoded 32-byte key (got ${key.length} bytes); create one with: openssl rand -base64 32`);
  return key;
}
