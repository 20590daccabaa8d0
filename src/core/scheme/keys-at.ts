import type { z } from 'zod';

/* Walks a zod schema along a document path to list the keys an object accepts there (for "did you mean"). */

interface Def {
  type: string;
  innerType?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
  getter?: () => z.ZodType;
  shape?: Record<string, z.ZodType>;
  in?: z.ZodType;
}

function def(s: z.ZodType): Def {
  return (s as unknown as { _zod: { def: Def } })._zod.def;
}

function unwrap(s: z.ZodType): z.ZodType[] {
  const d = def(s);
  switch (d.type) {
    case 'optional':
    case 'default':
    case 'nullable':
    case 'prefault':
    case 'readonly':
    case 'catch':
      return unwrap(d.innerType!);
    case 'lazy':
      return unwrap(d.getter!());
    case 'pipe':
      return unwrap(d.in!);
    case 'union':
      return d.options!.flatMap(unwrap);
    default:
      return [s];
  }
}

function step(s: z.ZodType, key: PropertyKey): z.ZodType[] {
  const out: z.ZodType[] = [];
  for (const u of unwrap(s)) {
    const d = def(u);
    if (d.type === 'object' && typeof key === 'string' && d.shape?.[key]) out.push(d.shape[key]);
    if (d.type === 'array' && typeof key === 'number') out.push(d.element!);
  }
  return out;
}

export function keysAt(root: z.ZodType, path: readonly PropertyKey[]): string[] {
  let current = [root];
  for (const key of path) current = current.flatMap((s) => step(s, key));
  const keys = new Set<string>();
  for (const s of current)
    for (const u of unwrap(s)) {
      const d = def(u);
      if (d.type === 'object' && d.shape) for (const k of Object.keys(d.shape)) keys.add(k);
    }
  return [...keys];
}
