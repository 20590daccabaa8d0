import { createHash } from 'node:crypto';

/** JSON with object keys sorted, so equal payloads hash equal whatever their key order. */
export function stableStringify(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map(stableStringify).join(',')}]`;
  const keys = Object.keys(v as object).sort();
  const parts: string[] = [];
  for (const k of keys) {
    const x = (v as Record<string, unknown>)[k];
    if (x !== undefined) parts.push(`${JSON.stringify(k)}:${stableStringify(x)}`);
  }
  return `{${parts.join(',')}}`;
}

/** Hash of a mapped payload, for idCheck (skip unchanged records). */
export function payloadHash(payload: unknown): string {
  return createHash('sha1').update(stableStringify(payload)).digest('base64url');
}
