/** Kingdee K3Cloud WebAPI emulator: see server.ts and docs/connectors/kingdee.md. */
export { startKingdeeEmulator, DEFAULT_CREDENTIALS } from './server.ts';
export type { KingdeeEmulator, KingdeeEmulatorOptions, KingdeeEmulatorCredentials, KingdeeEmulatorStats } from './server.ts';
export type { FaultConfig, FaultRule, FaultKind } from './faults.ts';
export { FAULT_KINDS } from './faults.ts';
export type { RecordView } from './control.ts';
export type { EmulatorUser, EmulatorApp } from './auth.ts';
export type { NamedNumber, BaseDataOptions } from './base-data.ts';
export type { QueryPaging } from './query-paging.ts';
