import { html } from '../html.js';
import { t } from '../i18n.js';

export function ErrorBox({ error }) {
  if (!error) return null;
  const details = Array.isArray(error.details) ? error.details : [];
  return html`<div class="error" role="alert" data-testid="error">
    <strong>${error.message || String(error)}</strong>
    ${details.length ? html`<ul>${details.map((d) => html`<li><code>${d.path}</code> ${d.message}</li>`)}</ul>` : null}
  </div>`;
}

export function Loading({ when }) {
  return when ? html`<div class="muted">${t('common.loading')}</div>` : null;
}

const STATUS_CLASS = { succeeded: 'ok', written: 'ok', running: 'info', partial: 'warn', interrupted: 'bad', skipped: 'muted', rejected: 'warn', failed: 'bad', aborted: 'bad', cancelled: 'muted', sent: 'ok', suppressed: 'muted' };

export function Status({ value }) {
  return html`<span class=${`badge ${STATUS_CLASS[value] || ''}`} data-status=${value}>${t(`status.${value}`)}</span>`;
}

export function Json({ value, testid }) {
  if (value === null || value === undefined) return html`<div class="muted">—</div>`;
  return html`<pre class="json" data-testid=${testid}>${typeof value === 'string' ? value : JSON.stringify(value, null, 2)}</pre>`;
}

/**
 * A table from column definitions `{key, label, render?(row), className?}`; `onRow` makes rows clickable.
 */
export function Table({ columns, rows, onRow, empty, testid, rowKey }) {
  if (!rows || rows.length === 0) return html`<div class="muted empty" data-testid=${testid ? `${testid}-empty` : undefined}>${empty || t('common.none')}</div>`;
  return html`<table class="grid" data-testid=${testid}>
    <thead><tr>${columns.map((c) => html`<th class=${c.className}>${c.label}</th>`)}</tr></thead>
    <tbody>
      ${rows.map(
        (r, i) => html`<tr key=${rowKey ? rowKey(r) : i} class=${onRow ? 'clickable' : ''} onClick=${onRow ? () => onRow(r) : undefined} data-row=${rowKey ? rowKey(r) : undefined}>
          ${columns.map((c) => html`<td class=${c.className}>${c.render ? c.render(r) : cell(r[c.key])}</td>`)}
        </tr>`,
      )}
    </tbody>
  </table>`;
}

function cell(v) {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

export function Tabs({ tabs, active, onChange }) {
  return html`<div class="tabs" role="tablist">
    ${tabs.map((x) => html`<button role="tab" class=${x.id === active ? 'tab active' : 'tab'} onClick=${() => onChange(x.id)} data-testid=${`tab-${x.id}`}>${x.label}</button>`)}
  </div>`;
}

export function Card({ label, value, tone, testid }) {
  return html`<div class=${`card ${tone || ''}`} data-testid=${testid}><div class="card-value">${value}</div><div class="card-label">${label}</div></div>`;
}

export function Counts({ counts }) {
  if (!counts) return null;
  const keys = ['read', 'created', 'updated', 'skipped', 'rejected', 'failed'];
  return html`<div class="cards" data-testid="counts">
    ${keys.map((k) => html`<${Card} label=${t(`count.${k}`)} value=${counts[k] ?? 0} tone=${k === 'rejected' && counts[k] ? 'warn' : k === 'failed' && counts[k] ? 'bad' : ''} testid=${`count-${k}`} />`)}
  </div>`;
}
