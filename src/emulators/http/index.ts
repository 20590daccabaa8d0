/** The HTTP/JSON emulator: an independent JSON API for tests, demos and rehearsing schemes. Imports nothing outside src/emulators. */
export { startHttpEmulator } from './server.ts';
export type { HttpEmulator, HttpEmulatorOptions, EmulatorStats, Faults } from './server.ts';
export type { EmulatorAuth } from './auth.ts';
export type { RejectHook } from './writes.ts';
export type { Row } from './store.ts';
