/** The WangDianTong emulator: see server.ts. Imports nothing outside src/emulators. */
export { startWdtEmulator, type WdtEmulator } from './server.ts';
export type { WdtEmulatorControl } from './control.ts';
export type { EmulatorStats, ApiStats } from './stats.ts';
export type { WdtEmulatorOptions, WdtAccount, QimenApp, FaultOptions, FaultKind, ChurnOptions } from './options.ts';
export { DEFAULT_ACCOUNT, DEFAULT_QIMEN_APP, DEFAULT_TARGET_APP_KEY } from './options.ts';
export { formatBeijing as formatBeijingTime, parseBeijing as parseBeijingTime } from './beijing-time.ts';
export { GOODS, WAREHOUSES } from './china-data.ts';
