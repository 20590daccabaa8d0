/**
 * The direction of dependencies (see ../shared/design/architecture.md):
 * cli/server/scale -> engine -> core; platforms -> core; store -> core; core imports nothing of ours;
 * emulators import nothing from platforms, engine or store (they are the independent truth).
 */
module.exports = {
  forbidden: [
    { name: 'core-is-pure', severity: 'error',
      from: { path: '^src/core' }, to: { path: '^src/(?!core)' } },
    { name: 'engine-knows-contracts-only', severity: 'error',
      from: { path: '^src/engine' }, to: { path: '^src/(platforms|store|emulators|cli|server|scale|console)' } },
    { name: 'platforms-depend-on-core-only', severity: 'error',
      from: { path: '^src/platforms' }, to: { path: '^src/(engine|store|emulators|cli|server|scale|console)' } },
    { name: 'platforms-are-independent', severity: 'error',
      from: { path: '^src/platforms/([^/]+)/' }, to: { path: '^src/platforms/', pathNot: '^src/platforms/($1|shared)/' } },
    { name: 'store-depends-on-core-only', severity: 'error',
      from: { path: '^src/store' }, to: { path: '^src/(engine|platforms|emulators|cli|server|scale|console)' } },
    { name: 'emulators-are-independent', severity: 'error',
      from: { path: '^src/emulators' }, to: { path: '^src/(?!emulators)' } },
    { name: 'nothing-imports-the-composition-roots', severity: 'error',
      from: { path: '^src/(core|engine|platforms|store|emulators)' }, to: { path: '^src/(cli|server|scale)' } },
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.test\\.ts$' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
  },
};
