import { useState } from 'preact/hooks';
import { enc, post, withQuery } from '../api.js';
import { useAction, useApi } from '../components/hooks.js';
import { ErrorBox, Loading, Table } from '../components/ui.js';
import { html } from '../html.js';
import { t } from '../i18n.js';
import { navigate } from '../router.js';
import { recordColumns, setQuery } from './records.js';
import { SchemePicker } from './scheme-picker.js';
import { qualityColumns } from './scheme-quality.js';

/** Rejected (and failed) records of a scheme, their reasons by rule and field, and replay. */
export function RejectedPage({ route }) {
  const { scheme, status = 'rejected' } = route.query;
  const list = useApi(scheme ? withQuery('/api/records', { scheme, status, limit: 500 }) : undefined);
  const quality = useApi(scheme ? `/api/schemes/${enc(scheme)}/quality?days=30` : undefined);
  const [picked, setPicked] = useState(new Set());
  const act = useAction();
  const replay = (body) =>
    act.run(async () => {
      const r = await post(`/api/records/${enc(scheme)}/replay`, body);
      navigate(`/runs/${r.runId}`);
    });
  const toggle = (id) => {
    const next = new Set(picked);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setPicked(next);
  };
  const rows = list.data ? list.data.rows : undefined;
  return html`<section>
    <div class="head"><h2>${t('nav.rejected')}</h2></div>
    <div class="filters">
      <${SchemePicker} value=${scheme} onChange=${(s) => setQuery('rejected', { scheme: s, status })} />
      <select value=${status} onChange=${(e) => setQuery('rejected', { scheme, status: e.target.value })}>
        <option value="rejected">${t('status.rejected')}</option><option value="failed">${t('status.failed')}</option>
      </select>
      <button disabled=${act.busy || picked.size === 0} onClick=${() => replay({ ids: [...picked] })} data-testid="replay-selected">${t('rejected.replaySelected', { n: picked.size })}</button>
      <button disabled=${act.busy || !rows || rows.length === 0} onClick=${() => replay({ all: true })} data-testid="replay-all">${t('rejected.replayAll')}</button>
    </div>
    <p class="muted">${t('rejected.help')}</p>
    <${ErrorBox} error=${list.error || act.error} /><${Loading} when=${list.loading && !list.data && !!scheme} />
    ${quality.data && quality.data.summary.length ? html`<details class="panel"><summary>${t('quality.title')}</summary><${Table} rows=${quality.data.summary} columns=${qualityColumns()} /></details>` : null}
    <${Table} testid="rejected" rows=${rows} rowKey=${(r) => r.sourceId} empty=${t('rejected.none')}
      columns=${[
        { label: '', render: (r) => html`<input type="checkbox" checked=${picked.has(r.sourceId)} onClick=${(e) => e.stopPropagation()} onChange=${() => toggle(r.sourceId)} />` },
        ...recordColumns(),
        { label: '', render: (r) => html`<a href=${`#/rejected/${enc(scheme)}/${enc(r.sourceId)}`} data-testid="open-record">${t('rejected.open')}</a>` },
      ]} />
  </section>`;
}
