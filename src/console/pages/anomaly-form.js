import { useState } from 'preact/hooks';
import { post } from '../api.js';
import { useAction } from '../components/hooks.js';
import { ErrorBox } from '../components/ui.js';
import { html } from '../html.js';
import { t } from '../i18n.js';

const METRICS = ['records_read', 'rejection_rate', 'api_latency'];

/**
 * A form for the anomaly rule (a run's volume, rejection rate or API latency against the median of the
 * scheme's last N runs); the other rule types are entered as JSON. Empty number fields take the server's defaults.
 */
export function AnomalyRuleForm({ channels, onDone }) {
  const [f, setF] = useState({ name: '', schemes: '', metric: 'records_read', lookbackRuns: '10', minHistory: '5', belowRatio: '0.2', aboveRatio: '5', minDelta: '', channels: [] });
  const act = useAction();
  const set = (k) => (e) => setF({ ...f, [k]: e.target.value });
  const num = (v) => (v.trim() === '' ? undefined : Number(v));
  const toggle = (id) => setF({ ...f, channels: f.channels.includes(id) ? f.channels.filter((c) => c !== id) : [...f.channels, id] });
  const create = () =>
    act.run(async () => {
      const schemes = f.schemes.split(',').map((s) => s.trim()).filter(Boolean);
      const body = { type: 'anomaly', name: f.name, metric: f.metric, channels: f.channels, schemes: schemes.length ? schemes : 'all' };
      for (const k of ['lookbackRuns', 'minHistory', 'aboveRatio', 'minDelta']) if (num(f[k]) !== undefined) body[k] = num(f[k]);
      if (f.metric === 'records_read') body.belowRatio = num(f.belowRatio) ?? null;
      await post('/api/alerts/rules', body);
      setF({ ...f, name: '' });
      onDone();
    });
  return html`<details class="panel" data-testid="anomaly-form"><summary>${t('alerts.anomaly.new')}</summary>
    <p class="muted">${t('alerts.anomaly.help')}</p>
    <div class="form">
      <label>${t('common.name')}<input data-testid="anomaly-name" value=${f.name} onInput=${set('name')} /></label>
      <label>${t('alerts.anomaly.schemes')}<input value=${f.schemes} placeholder=${t('alerts.anomaly.allSchemes')} onInput=${set('schemes')} /></label>
      <label>${t('alerts.anomaly.metric')}<select data-testid="anomaly-metric" value=${f.metric} onChange=${set('metric')}>${METRICS.map((m) => html`<option value=${m}>${t(`alerts.metric.${m}`)}</option>`)}</select></label>
      <label>${t('alerts.anomaly.lookbackRuns')}<input type="number" min="2" value=${f.lookbackRuns} onInput=${set('lookbackRuns')} /></label>
      <label>${t('alerts.anomaly.minHistory')}<input type="number" min="1" value=${f.minHistory} onInput=${set('minHistory')} /></label>
      ${f.metric === 'records_read' ? html`<label>${t('alerts.anomaly.belowRatio')}<input type="number" step="0.05" value=${f.belowRatio} onInput=${set('belowRatio')} /></label>` : null}
      <label>${t('alerts.anomaly.aboveRatio')}<input type="number" step="0.5" value=${f.aboveRatio} onInput=${set('aboveRatio')} /></label>
      <label>${t('alerts.anomaly.minDelta')}<input type="number" min="0" value=${f.minDelta} placeholder=${t(`alerts.anomaly.minDeltaDefault.${f.metric}`)} onInput=${set('minDelta')} /></label>
    </div>
    <div>${t('alerts.anomaly.channels')}: ${(channels || []).map((c) => html`<label class="inline"><input type="checkbox" checked=${f.channels.includes(c.id)} onChange=${() => toggle(c.id)} /> ${c.name}</label>`)}</div>
    <${ErrorBox} error=${act.error} />
    <button class="primary" data-testid="anomaly-create" disabled=${act.busy || !f.name.trim() || !f.channels.length} onClick=${create}>${t('common.create')}</button>
  </details>`;
}
