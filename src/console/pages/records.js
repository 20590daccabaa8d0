import { enc, withQuery } from '../api.js';
import { useApi, useDebounced } from '../components/hooks.js';
import { ErrorBox, Loading, Status, Table } from '../components/ui.js';
import { html } from '../html.js';
import { fmtTime, t } from '../i18n.js';
import { navigate } from '../router.js';
import { SchemePicker } from './scheme-picker.js';

const STATUSES = ['', 'written', 'skipped', 'rejected', 'failed'];

export const recordColumns = () => [
  { key: 'sourceNumber', label: t('records.number') },
  { key: 'sourceId', label: t('records.sourceId') },
  { label: t('common.status'), render: (r) => html`<${Status} value=${r.status} /> <span class="muted">${r.detail ? t(`detail.${r.detail}`) : ''}</span>` },
  { key: 'targetNumber', label: t('records.targetNumber') },
  { key: 'targetId', label: t('records.targetId') },
  { key: 'errorCode', label: t('records.code') },
  { key: 'errorField', label: t('quality.field') },
  { key: 'message', label: t('records.message'), className: 'wrap' },
  { label: t('common.updated'), render: (r) => fmtTime(r.updatedAt) },
];

/** Query state lives in the URL (`#/records?scheme=…&status=…&q=…`), so searches are links. */
export function setQuery(page, q) {
  navigate(withQuery(`/${page}`, q));
}

export function RecordsPage({ route }) {
  const { scheme, status = '', q = '' } = route.query;
  const search = useDebounced(q, 300);
  const { data, error, loading } = useApi(scheme ? withQuery('/api/records', { scheme, status, search, limit: 200 }) : undefined);
  const set = (patch) => setQuery('records', { scheme, status, q, ...patch });
  return html`<section>
    <div class="head"><h2>${t('nav.records')}</h2></div>
    <div class="filters">
      <${SchemePicker} value=${scheme} onChange=${(s) => set({ scheme: s })} />
      <select value=${status} onChange=${(e) => set({ status: e.target.value })} data-testid="status-filter">
        ${STATUSES.map((s) => html`<option value=${s}>${s ? t(`status.${s}`) : t('common.all')}</option>`)}
      </select>
      <input class="search" placeholder=${t('records.searchHint')} value=${q} onInput=${(e) => set({ q: e.target.value })} data-testid="record-search" />
    </div>
    ${data ? html`<p class="muted" data-testid="ledger-totals">${t('records.totals', data.totals)}</p>` : null}
    <${ErrorBox} error=${error} /><${Loading} when=${loading && !data && !!scheme} />
    <${Table} testid="records" rows=${data && data.rows} rowKey=${(r) => r.sourceId} onRow=${(r) => navigate(`/records/${enc(scheme)}/${enc(r.sourceId)}`)} columns=${recordColumns()} />
  </section>`;
}
