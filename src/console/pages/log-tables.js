import { Table } from '../components/ui.js';
import { html } from '../html.js';
import { fmtTime, t } from '../i18n.js';
import { navigate } from '../router.js';

export function EventTable({ rows, withRun }) {
  return html`<${Table} testid="events" rows=${rows} empty=${t('logs.noEvents')}
    columns=${[
      { label: t('logs.at'), render: (e) => fmtTime(e.at) },
      ...(withRun ? [{ label: t('runs.id'), render: (e) => html`<a href=${`#/runs/${e.runId}`}>${e.runId}</a>` }, { key: 'scheme', label: t('common.scheme') }] : []),
      { label: t('logs.level'), render: (e) => html`<span class=${`level ${e.level}`}>${e.level}</span>` },
      { key: 'type', label: t('logs.type') },
      { key: 'message', label: t('records.message'), className: 'wrap' },
    ]} />`;
}

export function CallTable({ rows, withRun }) {
  return html`<${Table} testid="calls" rows=${rows} empty=${t('logs.noCalls')} onRow=${withRun ? (c) => navigate(`/runs/${c.runId}?tab=calls`) : undefined}
    columns=${[
      { label: t('logs.at'), render: (c) => fmtTime(c.at) },
      ...(withRun ? [{ key: 'runId', label: t('runs.id') }] : []),
      { key: 'connection', label: t('apis.connection') },
      { key: 'api', label: t('apis.api') },
      { label: t('logs.ok'), render: (c) => (c.ok ? '✓' : html`<span class="bad-text">✗</span>`) },
      { key: 'durationMs', label: t('logs.ms'), className: 'num' },
      { key: 'status', label: 'HTTP' },
      { key: 'code', label: t('records.code') },
      { key: 'message', label: t('records.message'), className: 'wrap' },
    ]} />`;
}
