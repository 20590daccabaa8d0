// `npm run build` (and `prepare`, which `npm ci` runs): compiles src/ to dist/ with tsc (no type check here —
// `npm test` does that), copies the console's static files beside it, and writes dist/.built last, so
// bin/ferry.js never starts a half-written build. Without TypeScript installed (`npm ci --omit=dev`) it
// says so and leaves bin/ferry.js running the sources through tsx.
import { spawnSync } from 'node:child_process';
import { cpSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');
let tsc;
try {
  tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
} catch {
  console.log('ferry build: TypeScript is not installed; bin/ferry.js will run the sources through tsx');
  process.exit(0);
}
rmSync(dist, { recursive: true, force: true });
const r = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
if (r.status !== 0) {
  rmSync(dist, { recursive: true, force: true });
  console.error('ferry build: tsc failed; bin/ferry.js will run the sources through tsx');
  process.exit(r.status ?? 1);
}
cpSync(join(root, 'src', 'console'), join(dist, 'console'), { recursive: true });
writeFileSync(join(dist, '.built'), `${new Date().toISOString()}\n`);
console.log('ferry build: dist/ is ready');
