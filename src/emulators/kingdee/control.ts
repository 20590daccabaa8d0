import type { IncomingMessage, ServerResponse } from 'node:http';
import { validateFaults } from './faults.ts';
import type { Faults } from './faults.ts';
import { findForm } from './forms.ts';
import { refNumber } from './normalize.ts';
import { storedTimeText } from './store.ts';
import type { FormStore, StoredRecord } from './store.ts';

/**
 * Control endpoints for tests, reconciliation and demos (not part of Kingdee's API):
 * - `GET /__control/stats` — call counts per service, logins, faults fired, records per form;
 * - `GET /__control/store?formId=BD_Customer[&number=C001][&offset=0][&limit=1000]` — what the emulator holds;
 * - `GET|POST|DELETE /__control/faults` — read, replace, clear the fault configuration;
 * - `POST /__control/sessions/expire` — drop every live session;
 * - `POST /__control/reset` — empty the stores, sessions, counters and faults.
 */

export interface ControlDeps {
  faults: Faults;
  stores: Map<string, FormStore>;
  stats: () => unknown;
  expireSessions: () => void;
  reset: () => void;
  tzOffsetMinutes: number;
}

export interface RecordView {
  id: number;
  number: string;
  status: string;
  forbid: string;
  createDate: string;
  modifyDate: string;
  fields: Record<string, unknown>;
}

export function recordView(rec: StoredRecord, tz: number): RecordView {
  const fields: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(rec.fields)) {
    const n = typeof v === 'object' && v !== null && !Array.isArray(v) ? refNumber(v) : undefined;
    fields[k] = n !== undefined && Object.keys(v as object).length === 1 ? { FNumber: n } : v;
  }
  return {
    id: rec.id,
    number: rec.number,
    status: rec.status,
    forbid: rec.forbid,
    createDate: storedTimeText(rec.created, tz),
    modifyDate: storedTimeText(rec.modified, tz),
    fields,
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

export function handleControl(req: IncomingMessage, res: ServerResponse, url: URL, body: string, d: ControlDeps): void {
  const path = url.pathname.replace(/\/+$/, '');
  const method = req.method ?? 'GET';
  if (path === '/__control/stats' && method === 'GET') return send(res, 200, d.stats());
  if (path === '/__control/store' && method === 'GET') {
    const form = findForm(url.searchParams.get('formId') ?? '');
    const store = form ? d.stores.get(form.formId) : undefined;
    if (!store) return send(res, 404, { error: `unknown formId "${url.searchParams.get('formId') ?? ''}"` });
    const number = url.searchParams.get('number');
    if (number !== null) {
      const rec = store.getByNumber(number);
      return send(res, 200, { formId: store.form.formId, count: store.size, records: rec ? [recordView(rec, d.tzOffsetMinutes)] : [] });
    }
    const offset = Math.max(0, Number(url.searchParams.get('offset') ?? 0) || 0);
    const limit = Math.max(0, Number(url.searchParams.get('limit') ?? 10000) || 0);
    const records: RecordView[] = [];
    let i = 0;
    for (const rec of store.values()) {
      if (i++ < offset) continue;
      if (records.length >= limit) break;
      records.push(recordView(rec, d.tzOffsetMinutes));
    }
    return send(res, 200, { formId: store.form.formId, count: store.size, offset, records });
  }
  if (path === '/__control/faults') {
    if (method === 'GET') return send(res, 200, d.faults.describe());
    if (method === 'DELETE') {
      d.faults.set({});
      return send(res, 200, d.faults.describe());
    }
    if (method === 'POST' || method === 'PUT') {
      try {
        d.faults.set(validateFaults(JSON.parse(body || '{}')));
      } catch (err) {
        return send(res, 400, { error: err instanceof Error ? err.message : String(err) });
      }
      return send(res, 200, d.faults.describe());
    }
  }
  if (path === '/__control/sessions/expire' && method === 'POST') {
    d.expireSessions();
    return send(res, 200, { ok: true });
  }
  if (path === '/__control/reset' && method === 'POST') {
    d.reset();
    return send(res, 200, { ok: true });
  }
  send(res, 404, { error: `no control endpoint ${method} ${path}` });
}
