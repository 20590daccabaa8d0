import { useState } from 'preact/hooks';
import { useApi } from '../components/hooks.js';
import { ErrorBox, Loading, Table } from '../components/ui.js';
import { html } from '../html.js';
import { fmtNumber, fmtTime, t } from '../i18n.js';
import { navigate } from '../router.js';

const pct = (x) => `${(100 * x).toFixed(1)}%`;
const ms = (x) => (x === null || x === undefined ? '—' : `${x} ms`);

const figures = () => [
  { label: t('apis.calls'), render: (a) => fmtNumber(a.calls), className: 'num' },
  { label: t('apis.errors'), render: (a) => fmtNumber(a.errors), className: 'num' },
  { label: t('apis.errorRate'), render: (a) => html`<span class=${a.errorRate > 0.05 ? 'bad-text' : ''}>${pct(a.errorRate)}</span>`, className: 'num' },
  { label: 'p50', render: (a) => ms(a.p50Ms), className: 'num' },
  { label: 'p95', render: (a) => ms(a.p95Ms), className: 'num' },
  { label: t('apis.avg'), render: (a) => ms(a.avgMs), className: 'num' },
  { label: t('apis.last'), render: (a) => fmtTime(a.lastHour) },
];

/** API assets: every API the schemes use, per connection, with calls, errors and latency. */
export function ApisPage() {
  const [hours, setHours] = useState(24);
  const { data, error, loading } = useApi(`/api/apis?hours=${hours}`);
  return html`<section>
    <div class="head"><h2>${t('nav.apis')}</h2>
      <select value=${hours} onChange=${(e) => setHours(Number(e.target.value))}>${[1, 24, 168, 720].map((h) => html`<option value=${h}>${t('dashboard.lastHours', { n: h })}</option>`)}</select>
    </div>
    <${ErrorBox} error=${error} /><${Loading} when=${loading && !data} />
    ${data
      ? html`<h3>${t('apis.byConnection')}</h3>
          <${Table} testid="api-connections" rows=${data.connections} columns=${[{ key: 'connection', label: t('apis.connection') }, { label: t('connections.platform'), render: (c) => t(`platform.${c.platform}`) }, ...figures()]} />
          <h3>${t('apis.byApi')}</h3>
          <${Table} testid="apis" rows=${data.apis} rowKey=${(a) => `${a.connection}/${a.api}`} onRow=${(a) => navigate(`/logs?tab=calls&connection=${encodeURIComponent(a.connection)}&api=${encodeURIComponent(a.api)}`)}
            columns=${[
              { key: 'connection', label: t('apis.connection') },
              { label: t('connections.platform'), render: (a) => t(`platform.${a.platform}`) },
              { key: 'api', label: t('apis.api') },
              ...figures(),
              { label: t('apis.usedBy'), render: (a) => a.usedBy.map((u) => `${u.scheme} (${t(`side.${u.side}`)})`).join(', ') },
            ]} />`
      : null}
  </section>`;
}
