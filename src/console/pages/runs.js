import { withQuery } from '../api.js';
import { useApi } from '../components/hooks.js';
import { ErrorBox, Loading, Status, Table } from '../components/ui.js';
import { html } from '../html.js';
import { fmtDuration, fmtNumber, fmtTime, t } from '../i18n.js';
import { navigate } from '../router.js';

export const runColumns = () => [
  { label: t('runs.id'), render: (r) => html`<code>${r.id}</code>` },
  { key: 'scheme', label: t('common.scheme') },
  { label: t('common.status'), render: (r) => html`<${Status} value=${r.status} />` },
  { label: t('runs.trigger'), render: (r) => t(`trigger.${r.trigger}`) },
  { label: t('runs.started'), render: (r) => fmtTime(r.startedAt) },
  { label: t('runs.duration'), render: (r) => fmtDuration(r.durationMs) },
  { label: t('count.read'), render: (r) => fmtNumber(r.counts.read), className: 'num' },
  { label: t('count.created'), render: (r) => fmtNumber(r.counts.created), className: 'num' },
  { label: t('count.updated'), render: (r) => fmtNumber(r.counts.updated), className: 'num' },
  { label: t('count.skipped'), render: (r) => fmtNumber(r.counts.skipped), className: 'num' },
  { label: t('count.rejected'), render: (r) => fmtNumber(r.counts.rejected), className: 'num' },
  { label: t('count.failed'), render: (r) => fmtNumber(r.counts.failed), className: 'num' },
];

export function RunsPage({ route }) {
  const scheme = route.query.scheme;
  const { data, error, loading } = useApi(withQuery('/api/runs', { scheme, limit: 100 }), { pollMs: 2000, keepPolling: (rows) => rows.some((r) => r.status === 'running') });
  return html`<section>
    <div class="head"><h2>${t('nav.runs')}${scheme ? ` · ${scheme}` : ''}</h2>${scheme ? html`<a href="#/runs" class="link">${t('common.all')}</a>` : null}</div>
    <${ErrorBox} error=${error} /><${Loading} when=${loading && !data} />
    <${Table} testid="runs" rows=${data} rowKey=${(r) => r.id} onRow=${(r) => navigate(`/runs/${r.id}`)} columns=${runColumns()} />
  </section>`;
}
