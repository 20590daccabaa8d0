import { enc } from '../api.js';
import { useApi } from '../components/hooks.js';
import { Table } from '../components/ui.js';
import { html } from '../html.js';
import { fmtTime, t } from '../i18n.js';
import { navigate } from '../router.js';

/** `quality:<rule>` → the rule's name; mapping and vendor codes as they are. */
export function codeLabel(code) {
  if (code.startsWith('quality:')) return `${t('quality.rule')}: ${code.slice(8)}`;
  if (code === 'mapping') return t('quality.mapping');
  return `${t('quality.vendor')}: ${code}`;
}

export const qualityColumns = () => [
  { label: t('quality.code'), render: (r) => codeLabel(r.errorCode) },
  { label: t('quality.field'), render: (r) => r.errorField || '—' },
  { key: 'count', label: t('quality.count'), className: 'num' },
];

/** Data quality of a scheme: rejections by rule/code and field over 30 days, per recent run, open now. */
export function SchemeQuality({ name }) {
  const { data } = useApi(`/api/schemes/${enc(name)}/quality?days=30`);
  if (!data) return null;
  return html`<div class="panel" data-testid="scheme-quality">
    <h3>${t('quality.title')}</h3>
    <p class="muted">${t('quality.ledgerNow', data.ledger)}</p>
    <${Table} rows=${data.summary} columns=${qualityColumns()} empty=${t('quality.none')} />
    <h4>${t('quality.byRun')}</h4>
    <${Table} rows=${data.byRun} onRow=${(r) => navigate(`/runs/${r.runId}`)}
      columns=${[
        { label: t('runs.started'), render: (r) => fmtTime(r.startedAt) },
        { label: t('count.read'), key: 'read', className: 'num' },
        { label: t('count.rejected'), key: 'rejected', className: 'num' },
        { label: t('quality.top'), render: (r) => r.rows.slice(0, 3).map((x) => `${codeLabel(x.errorCode)} / ${x.errorField || '—'} ×${x.count}`).join('; ') },
      ]} />
  </div>`;
}
