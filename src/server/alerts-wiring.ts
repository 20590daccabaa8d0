import Database from 'better-sqlite3';
import type { Logger } from 'pino';
import { AlertService, SqliteAlertStore, alertRoutes } from './alerts/index.ts';
import type { AlertsHook } from './alerts-hook.ts';
import { seal, unseal } from '../core/seal.ts';
import type { StateStore } from '../core/contracts/state-store.ts';

/**
 * The alert service of `ferry serve`: rules, channels (secrets sealed with the server key, AES-256-GCM),
 * history and incidents in the server's SQLite file; fed by every run's events and reports.
 */
export async function createAlertsHook(o: { file: string; key: Buffer; logger: Logger; state: StateStore; consoleBaseUrl?: string }): Promise<AlertsHook> {
  const db = new Database(o.file);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  const store = new SqliteAlertStore(db, {
    encrypt: (plain) => seal(o.key, plain, 'alert-channel'),
    decrypt: (sealed) => unseal(o.key, sealed, 'alert-channel'),
  });
  const service = await AlertService.create({ store, log: o.logger, ...(o.consoleBaseUrl ? { consoleBaseUrl: o.consoleBaseUrl } : {}) });
  service.prime(await o.state.listRuns({ limit: 500 }));
  return {
    onRunEvent: (e) => service.onRunEvent(e),
    onRunFinished: (r) => service.onRunFinished(r),
    routes: () => alertRoutes(service) as ReturnType<AlertsHook['routes']>,
    start: () => service.startTicker(),
    close: async () => {
      await service.close();
      db.close();
    },
  };
}
