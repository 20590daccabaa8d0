import { withQuery } from '../api.js';
import { useApi, useDebounced } from '../components/hooks.js';
import { ErrorBox, Tabs } from '../components/ui.js';
import { html } from '../html.js';
import { t } from '../i18n.js';
import { navigate } from '../router.js';
import { CallTable, EventTable } from './log-tables.js';

/** Searchable run events and vendor API calls of every run; filters live in the URL. */
export function LogsPage({ route }) {
  const q = route.query;
  const tab = q.tab || 'events';
  const search = useDebounced(q.q || '', 300);
  const set = (patch) => navigate(withQuery('/logs', { ...q, ...patch }));
  const events = useApi(tab === 'events' ? withQuery('/api/logs/events', { scheme: q.scheme, runId: q.runId, level: q.level, type: q.type, search, limit: 500 }) : undefined);
  const calls = useApi(tab === 'calls' ? withQuery('/api/logs/calls', { runId: q.runId, connection: q.connection, api: q.api, ok: q.ok, search, limit: 500 }) : undefined);
  return html`<section>
    <div class="head"><h2>${t('nav.logs')}</h2></div>
    <${Tabs} active=${tab} onChange=${(x) => set({ tab: x })} tabs=${[{ id: 'events', label: t('run.events') }, { id: 'calls', label: t('run.calls') }]} />
    <div class="filters">
      <input placeholder=${t('runs.id')} value=${q.runId || ''} onInput=${(e) => set({ runId: e.target.value })} />
      ${tab === 'events'
        ? html`<input placeholder=${t('common.scheme')} value=${q.scheme || ''} onInput=${(e) => set({ scheme: e.target.value })} />
            <select value=${q.level || ''} onChange=${(e) => set({ level: e.target.value })}>
              <option value="">${t('logs.anyLevel')}</option>${['info', 'warn', 'error'].map((l) => html`<option value=${l}>${l}</option>`)}
            </select>`
        : html`<input placeholder=${t('apis.connection')} value=${q.connection || ''} onInput=${(e) => set({ connection: e.target.value })} />
            <input placeholder=${t('apis.api')} value=${q.api || ''} onInput=${(e) => set({ api: e.target.value })} />
            <select value=${q.ok || ''} onChange=${(e) => set({ ok: e.target.value })}>
              <option value="">${t('logs.anyResult')}</option><option value="false">${t('logs.failedOnly')}</option><option value="true">${t('logs.okOnly')}</option>
            </select>`}
      <input class="search" placeholder=${t('common.search')} value=${q.q || ''} onInput=${(e) => set({ q: e.target.value })} data-testid="logs-search" />
    </div>
    <${ErrorBox} error=${events.error || calls.error} />
    ${tab === 'events' ? html`<${EventTable} rows=${events.data} withRun=${true} />` : html`<${CallTable} rows=${calls.data} withRun=${true} />`}
  </section>`;
}
