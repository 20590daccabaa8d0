import { AccountPage } from './account.js';
import { AlertsPage } from './alerts.js';
import { ApisPage } from './apis.js';
import { ConnectionsPage } from './connections.js';
import { DashboardPage } from './dashboard.js';
import { LogsPage } from './logs.js';
import { RecordDetailPage } from './record-detail.js';
import { RecordsPage } from './records.js';
import { RejectedPage } from './rejected.js';
import { RunDetailPage } from './run-detail.js';
import { RunsPage } from './runs.js';
import { SchemeEditorPage } from './scheme-editor.js';
import { SchemesPage } from './schemes.js';

/** The pages in the navigation, in order. */
export const PAGES = [
  { id: 'dashboard', Page: DashboardPage },
  { id: 'schemes', Page: SchemesPage },
  { id: 'runs', Page: RunsPage },
  { id: 'records', Page: RecordsPage },
  { id: 'rejected', Page: RejectedPage },
  { id: 'connections', Page: ConnectionsPage },
  { id: 'apis', Page: ApisPage },
  { id: 'alerts', Page: AlertsPage },
  { id: 'logs', Page: LogsPage },
  { id: 'account', Page: AccountPage },
];

/** `#/schemes/<name>` → the scheme editor, `#/runs/<id>` → run detail, `#/records/<scheme>/<id>` → record. */
export function pageFor(route) {
  const [first = 'dashboard', second, third] = route.segments;
  if (first === 'schemes' && second) return { id: 'schemes', Page: SchemeEditorPage };
  if (first === 'runs' && second) return { id: 'runs', Page: RunDetailPage };
  if ((first === 'records' || first === 'rejected') && second && third) return { id: first, Page: RecordDetailPage };
  return PAGES.find((p) => p.id === first) ?? PAGES[0];
}
