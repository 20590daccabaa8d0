import { useState } from 'preact/hooks';
import { BarChart } from '../components/chart.js';
import { useApi } from '../components/hooks.js';
import { Card, ErrorBox, Loading, Status, Table } from '../components/ui.js';
import { html } from '../html.js';
import { fmtDuration, fmtNumber, fmtTime, getLang, t } from '../i18n.js';
import { navigate } from '../router.js';

function label(ms, bucketMs) {
  const d = new Date(ms);
  const pad = (n) => String(n).padStart(2, '0');
  return bucketMs >= 86_400_000 ? `${pad(d.getMonth() + 1)}-${pad(d.getDate())}` : `${pad(d.getHours())}:00`;
}

/** Fills every bucket of the period (a chart with gaps would hide that nothing ran). */
function series(rows, since, until, bucketMs, keys) {
  const byStart = new Map(rows.map((r) => [r.bucketStart, r]));
  const out = [];
  for (let b = since; b <= until; b += bucketMs) {
    const r = byStart.get(b) || {};
    const x = { label: label(b, bucketMs) };
    for (const k of keys) x[k] = r[k] || 0;
    out.push(x);
  }
  return out;
}

export function DashboardPage() {
  const [hours, setHours] = useState(24);
  const { data, error, loading } = useApi(`/api/dashboard?hours=${hours}`, { pollMs: 5000 });
  void getLang();
  if (!data) return html`<${ErrorBox} error=${error} /><${Loading} when=${loading} />`;
  const k = data.totals;
  const tp = series(data.throughput, data.since, data.until, data.bucketMs, ['read', 'written', 'rejected', 'failed', 'runs', 'failedRuns']);
  const apiS = series(data.api, data.since, data.until, data.bucketMs, ['calls', 'errors']);
  const failures = tp.map((x, i) => ({ ...x, apiErrors: apiS[i] ? apiS[i].errors : 0 }));
  return html`<section>
    <div class="head"><h2>${t('nav.dashboard')}</h2>
      <select value=${hours} onChange=${(e) => setHours(Number(e.target.value))} data-testid="dashboard-hours">
        ${[24, 72, 168, 720].map((h) => html`<option value=${h}>${t('dashboard.lastHours', { n: h })}</option>`)}
      </select>
    </div>
    <div class="cards">
      <${Card} label=${t('dashboard.runs')} value=${fmtNumber(k.runs)} />
      <${Card} label=${t('dashboard.failedRuns')} value=${fmtNumber(k.failedRuns)} tone=${k.failedRuns ? 'bad' : ''} />
      <${Card} label=${t('count.read')} value=${fmtNumber(k.read)} />
      <${Card} label=${t('dashboard.written')} value=${fmtNumber(k.written)} tone="ok" />
      <${Card} label=${t('count.rejected')} value=${fmtNumber(k.rejected)} tone=${k.rejected ? 'warn' : ''} />
      <${Card} label=${t('dashboard.openRejected')} value=${fmtNumber(k.openRejected)} tone=${k.openRejected ? 'warn' : ''} testid="open-rejected" />
      <${Card} label=${t('dashboard.schemes')} value=${`${k.enabledSchemes}/${k.schemes}`} />
      <${Card} label=${t('nav.connections')} value=${k.connections} />
    </div>
    <div class="charts">
      <${BarChart} testid="chart-throughput" label=${t('dashboard.throughput')} buckets=${tp}
        series=${[{ key: 'read', label: t('count.read'), color: '#8aa4c8' }, { key: 'written', label: t('dashboard.written'), color: '#3a9a5b' }, { key: 'rejected', label: t('count.rejected'), color: '#d99a1e' }]} />
      <${BarChart} testid="chart-failures" label=${t('dashboard.failures')} buckets=${failures}
        series=${[{ key: 'failedRuns', label: t('dashboard.failedRuns'), color: '#c94141' }, { key: 'failed', label: t('count.failed'), color: '#8e3b8e' }, { key: 'apiErrors', label: t('dashboard.apiErrors'), color: '#e07b39' }]} />
    </div>
    <h3>${t('dashboard.running')}</h3>
    <${Table} testid="running-runs" rows=${data.running} onRow=${(r) => navigate(`/runs/${r.runId}`)} empty=${t('dashboard.nothingRunning')}
      columns=${[
        { key: 'scheme', label: t('common.scheme') },
        { key: 'trigger', label: t('runs.trigger') },
        { label: t('count.read'), render: (r) => fmtNumber(r.counts.read) },
        { label: t('runs.elapsed'), render: (r) => fmtDuration(r.elapsedMs) },
      ]} />
    <h3>${t('dashboard.recentRuns')}</h3>
    <${Table} rows=${data.recentRuns} onRow=${(r) => navigate(`/runs/${r.id}`)} rowKey=${(r) => r.id}
      columns=${[
        { key: 'scheme', label: t('common.scheme') },
        { label: t('common.status'), render: (r) => html`<${Status} value=${r.status} />` },
        { label: t('runs.started'), render: (r) => fmtTime(r.startedAt) },
        { label: t('runs.duration'), render: (r) => fmtDuration(r.durationMs) },
        { label: t('count.read'), render: (r) => fmtNumber(r.counts.read) },
        { label: t('dashboard.written'), render: (r) => fmtNumber(r.counts.created + r.counts.updated) },
        { label: t('count.rejected'), render: (r) => fmtNumber(r.counts.rejected) },
      ]} />
  </section>`;
}
