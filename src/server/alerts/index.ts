/**
 * Alerting for `ferry serve` (issue 6, item 6). The composition root builds one AlertService:
 *
 *   const alerts = await AlertService.create({ store: new SqliteAlertStore(db, cipher), consoleBaseUrl, log });
 *   alerts.prime(await stateStore.listRuns({ limit: 500 }));   // optional: remember the past after a restart
 *   alerts.startTicker();                                       // long-run / no-records / api-window checks
 *   // per run: onEvent: (e) => { alerts.onRunEvent(e); … }  and after it: alerts.onRunFinished(report)
 *   for (const r of alertRoutes(alerts)) …mount r.method r.url r.handle…
 *
 * See docs/alerts.md.
 */
export { AlertService, type AlertServiceOptions, type RunFinishedInput } from './service.ts';
export { AlertConfig, type TestSendResult } from './alert-config.ts';
export { alertRoutes, type AlertRoute, type AlertRouteInput, type AlertRouteResult } from './routes.ts';
export type { AlertStore, SecretCipher } from './alert-store.ts';
export { MemoryAlertStore } from './memory-alert-store.ts';
export { SqliteAlertStore } from './sqlite-alert-store.ts';
export { AlertRuleInput, type AlertRule, type AlertRuleType, RULE_TYPES } from './rule-schema.ts';
export { AlertChannelInput, type AlertChannel, type AlertChannelView, CHANNEL_TYPES, SECRET_MASK, secretKeysOf } from './channel-schema.ts';
export { AlertInputError, HistoryQuerySchema, IncidentQuerySchema, SilenceInput, TestSendBody, IdParams } from './api-schemas.ts';
export { CHANNEL_DRIVERS } from './channels/index.ts';
export type { DeliveryPolicy } from './delivery.ts';
export type { AlertLogger } from './dispatcher.ts';
export type { PrimeRun } from './activity.ts';
export type { Alert, AlertHistoryEntry, AlertIncident, AlertSilence, AlertLanguage, HistoryQuery } from './types.ts';
