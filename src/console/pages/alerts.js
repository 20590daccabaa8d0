import { useState } from 'preact/hooks';
import { del, enc, post } from '../api.js';
import { useAction, useApi } from '../components/hooks.js';
import { ErrorBox, Json, Table } from '../components/ui.js';
import { html } from '../html.js';
import { fmtTime, t } from '../i18n.js';
import { AnomalyRuleForm } from './anomaly-form.js';

/** Columns from the objects themselves: the alert service owns their shape. */
function columnsOf(rows, skip = []) {
  const keys = [];
  for (const r of (rows || []).slice(0, 20)) for (const k of Object.keys(r)) if (!keys.includes(k) && !skip.includes(k)) keys.push(k);
  return keys.slice(0, 8).map((k) => ({
    key: k,
    label: k,
    render: (r) => {
      const v = r[k];
      if (v === null || v === undefined) return '';
      if (/(At|Until|at|time)$/.test(k) && typeof v === 'number') return fmtTime(v);
      return typeof v === 'object' ? JSON.stringify(v) : String(v);
    },
  }));
}

function Creator({ kind, onDone }) {
  const [text, setText] = useState('');
  const act = useAction();
  const create = () =>
    act.run(async () => {
      let body;
      try {
        body = JSON.parse(text);
      } catch (e) {
        throw new Error(`${t('preview.badJson')}: ${e.message}`, { cause: e });
      }
      await post(`/api/alerts/${kind}`, body);
      setText('');
      onDone();
    });
  return html`<details class="panel"><summary>${t(`alerts.new.${kind}`)}</summary>
    <textarea class="code small" value=${text} onInput=${(e) => setText(e.target.value)} placeholder=${t(`alerts.example.${kind}`)}></textarea>
    <${ErrorBox} error=${act.error} />
    <button class="primary" disabled=${act.busy || !text.trim()} onClick=${create}>${t('common.create')}</button>
  </details>`;
}

/** Alert rules, channels (with a test-send button) and history, through the alert service's endpoints. */
export function AlertsPage() {
  const meta = useApi('/api/alerts/meta');
  const rules = useApi('/api/alerts/rules');
  const channels = useApi('/api/alerts/channels');
  const history = useApi('/api/alerts/history', { pollMs: 10_000 });
  const act = useAction();
  const [tested, setTested] = useState({});
  const list = (d) => (Array.isArray(d) ? d : d && Array.isArray(d.items) ? d.items : d && Array.isArray(d.rows) ? d.rows : []);
  const configured = !(meta.data && meta.data.configured === false);
  const remove = (kind, id, reload) =>
    act.run(async () => {
      await del(`/api/alerts/${kind}/${enc(id)}`);
      await reload();
    });
  const test = (id) =>
    act.run(async () => {
      const r = await post(`/api/alerts/channels/${enc(id)}/test`, {});
      setTested((x) => ({ ...x, [id]: r }));
      await history.reload();
    });
  return html`<section data-testid="alerts-page">
    <div class="head"><h2>${t('nav.alerts')}</h2></div>
    ${!configured ? html`<p class="warn" data-testid="alerts-off">${t('alerts.notConfigured')}</p>` : null}
    <${ErrorBox} error=${rules.error || channels.error || history.error || act.error} />
    <h3>${t('alerts.rules')}</h3>
    <${Table} testid="alert-rules" rows=${list(rules.data)} empty=${t('alerts.noRules')}
      columns=${[...columnsOf(list(rules.data)), { label: '', render: (r) => html`<button class="danger" onClick=${() => remove('rules', r.id, rules.reload)}>${t('common.delete')}</button>` }]} />
    ${configured ? html`<${AnomalyRuleForm} channels=${list(channels.data)} onDone=${rules.reload} />` : null}
    ${configured ? html`<${Creator} kind="rules" onDone=${rules.reload} />` : null}
    <h3>${t('alerts.channels')}</h3>
    <${Table} testid="alert-channels" rows=${list(channels.data)} empty=${t('alerts.noChannels')}
      columns=${[
        ...columnsOf(list(channels.data)),
        { label: t('alerts.testResult'), render: (c) => (tested[c.id] ? html`<${Json} value=${tested[c.id]} />` : '') },
        { label: '', render: (c) => html`<span class="row-actions"><button onClick=${() => test(c.id)} data-testid="test-send">${t('alerts.testSend')}</button><button class="danger" onClick=${() => remove('channels', c.id, channels.reload)}>${t('common.delete')}</button></span>` },
      ]} />
    ${configured ? html`<${Creator} kind="channels" onDone=${channels.reload} />` : null}
    <h3>${t('alerts.history')}</h3>
    <${Table} testid="alert-history" rows=${list(history.data)} empty=${t('alerts.noHistory')} columns=${columnsOf(list(history.data))} />
  </section>`;
}
