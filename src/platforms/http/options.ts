import type { z } from 'zod';
import { FerryFailure } from '../../core/errors.ts';

/**
 * Parses a scheme's `extra` block with a profile schema, once per object (specs are reused for every
 * page and batch). A bad block stops the run with the zod paths in the message.
 */
const cache = new WeakMap<object, Map<z.ZodType, unknown>>();
const EMPTY = {};

export function parseExtra<T>(schema: z.ZodType<T>, extra: object | undefined, where: string): T {
  const key = extra ?? EMPTY;
  let byKey = cache.get(key);
  if (!byKey) cache.set(key, (byKey = new Map()));
  if (byKey.has(schema)) return byKey.get(schema) as T;
  const r = schema.safeParse(extra ?? {});
  if (!r.success) {
    const issues = r.error.issues.map((i) => `${[where, ...i.path.map(String)].join('.')}: ${i.message}`).join('; ');
    throw new FerryFailure({ kind: 'config', action: 'fail_run', message: `invalid HTTP settings — ${issues}` });
  }
  byKey.set(schema, r.data);
  return r.data;
}
