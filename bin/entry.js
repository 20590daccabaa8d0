// Chooses how bin/ferry.js starts: the compiled JavaScript in dist/ (built by `npm ci`/`npm run build`, no
// TypeScript compiled at start) when it is complete and, in a git checkout, at least as new as every file
// under src/; otherwise the TypeScript sources through tsx (a fresh clone without a build, a source edited or
// merged since the build, or FERRY_FROM_SOURCE=1, which the test suite sets so it always runs src/).
// An installed copy (no .git) skips the walk over src/: its sources do not change after the build.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const STAMP = '.built';

/** Newest modification time (ms) of any file under dir. */
function newest(dir) {
  let max = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    const t = e.isDirectory() ? newest(p) : statSync(p).mtimeMs;
    if (t > max) max = t;
  }
  return max;
}

/** `dist` when root/dist holds a complete build not older than root/src, else `source`. */
export function chooseEntry(root, env = process.env) {
  if (env.FERRY_FROM_SOURCE) return 'source';
  let built;
  try {
    built = statSync(join(root, 'dist', STAMP)).mtimeMs;
  } catch {
    return 'source';
  }
  if (!existsSync(join(root, '.git'))) return 'dist';
  return newest(join(root, 'src')) <= built ? 'dist' : 'source';
}
