import { createHash, randomBytes } from 'node:crypto';

/** Opaque bearer secrets (session cookies and API tokens). Only their SHA-256 is stored. */
export function newSecret(prefix: string): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

export const API_TOKEN_PREFIX = 'fry_';
