/**
 * Dotted paths into JSON responses, as users write them in a scheme: `data.items`, `results[0].id`,
 * `error.message`. An empty path, `$` or `.` is the whole value. Keys containing dots are not supported
 * (none of the APIs we have met use them); a missing step yields `undefined`, never an exception.
 */

export type PathStep = string | number;

export function parsePath(path: string): PathStep[] {
  const p = path.trim().replace(/^\$\.?/, '');
  if (p === '' || p === '.') return [];
  const steps: PathStep[] = [];
  for (const part of p.split('.')) {
    const m = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
    if (!m) throw new Error(`"${path}" is not a valid path (use a.b[0].c)`);
    if (m[1]) steps.push(m[1]);
    for (const idx of (m[2] ?? '').matchAll(/\[(\d+)\]/g)) steps.push(Number(idx[1]));
  }
  return steps;
}

export function getPath(value: unknown, path: string | undefined): unknown {
  if (path === undefined) return value;
  let cur: unknown = value;
  for (const step of parsePath(path)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[step];
  }
  return cur;
}

/** Sets `value` at `path`, creating objects on the way; returns the (possibly new) root. */
export function setPath(root: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const steps = parsePath(path);
  if (steps.length === 0) throw new Error('cannot set the root of a request body');
  let cur: Record<string | number, unknown> = root;
  for (const [i, step] of steps.entries()) {
    if (i === steps.length - 1) {
      cur[step] = value;
      break;
    }
    const next = cur[step];
    if (next === null || typeof next !== 'object') cur[step] = {};
    cur = cur[step] as Record<string | number, unknown>;
  }
  return root;
}

/** Text form of a scalar found in a response (ids, codes, cursors); undefined for objects, null and ''. */
export function scalarText(v: unknown): string | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'string') return v === '' ? undefined : v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return undefined;
}
