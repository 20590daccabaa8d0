import { useState } from 'preact/hooks';
import { enc, post, withQuery } from '../api.js';
import { useAction, useApi } from '../components/hooks.js';
import { Counts, ErrorBox, Loading, Status, Table, Tabs } from '../components/ui.js';
import { html } from '../html.js';
import { fmtDuration, fmtTime, t } from '../i18n.js';
import { href, navigate } from '../router.js';
import { EventTable, CallTable } from './log-tables.js';
import { qualityColumns } from './scheme-quality.js';

function Reconciliation({ report }) {
  if (!report) return null;
  const r = report.reconciliation;
  const rows = [
    ['source', r.source],
    ['skippedUnchanged', r.skippedUnchanged],
    ['written', r.written],
    ['created', r.created],
    ['updated', r.updated],
    ['rejected', r.rejected],
    ['failed', r.failed],
    ['checkedInTarget', r.checkedInTarget],
    ['heldByTarget', r.heldByTarget],
  ].filter(([, v]) => v !== undefined);
  return html`<div class="panel" data-testid="reconciliation">
    <h3>${t('run.reconciliation')}</h3>
    <table class="kv">${rows.map(([k, v]) => html`<tr><th>${t(`recon.${k}`)}</th><td data-testid=${`recon-${k}`}>${v}</td></tr>`)}</table>
    ${r.missingInTarget && r.missingInTarget.length ? html`<p class="warn">${t('run.missing')}: ${r.missingInTarget.join(', ')}</p>` : null}
    <p class="muted">${t('run.speed', { n: report.recordsPerSecond })}</p>
  </div>`;
}

export function RunDetailPage({ route }) {
  const id = route.segments[1];
  const [tab, setTab] = useState(route.query.tab || 'summary');
  const [search, setSearch] = useState('');
  const run = useApi(`/api/runs/${enc(id)}`, { pollMs: 1000, keepPolling: (r) => r.status === 'running' });
  const quality = useApi(run.data && run.data.status !== 'running' ? `/api/runs/${enc(id)}/quality` : undefined);
  const events = useApi(tab === 'events' ? withQuery(`/api/runs/${enc(id)}/events`, { search, limit: 1000 }) : undefined);
  const calls = useApi(tab === 'calls' ? withQuery(`/api/runs/${enc(id)}/calls`, { search, limit: 1000 }) : undefined);
  const act = useAction();
  const r = run.data;
  if (!r) return html`<${ErrorBox} error=${run.error} /><${Loading} when=${run.loading} />`;
  const report = r.report;
  return html`<section>
    <div class="head">
      <h2><a href=${href('schemes', r.scheme)}>${r.scheme}</a> · <code>${r.id}</code></h2>
      <span data-testid="run-status"><${Status} value=${r.status} /></span>
      <span class="grow"></span>
      ${r.status === 'running' && r.live ? html`<button class="danger" disabled=${act.busy} onClick=${() => act.run(() => post(`/api/runs/${enc(id)}/cancel`))} data-testid="cancel-run">${t('run.cancel')}</button>` : null}
    </div>
    <p class="muted">${t(`trigger.${r.trigger}`)} · ${fmtTime(r.startedAt)} · ${fmtDuration(r.durationMs)}${r.reason ? html` · <span class="bad-text" data-testid="run-reason">${r.reason}</span>` : ''}</p>
    ${r.status === 'running' ? html`<div class="progress"><div style=${`width:${r.totalEstimate ? Math.min(100, (100 * r.counts.read) / r.totalEstimate) : 100}%`} class=${r.totalEstimate ? '' : 'indeterminate'}></div></div>` : null}
    <${Counts} counts=${r.counts} />
    <${ErrorBox} error=${act.error} />
    <${Tabs} active=${tab} onChange=${setTab} tabs=${[{ id: 'summary', label: t('run.summary') }, { id: 'events', label: t('run.events') }, { id: 'calls', label: t('run.calls') }]} />
    ${tab === 'summary'
      ? html`<${Reconciliation} report=${report} />
          ${report && report.rejected && report.rejected.length
            ? html`<div class="panel"><h3>${t('run.firstRejected')}</h3>
                <${Table} testid="run-rejected" rows=${report.rejected} onRow=${(x) => navigate(`/rejected/${enc(r.scheme)}/${enc(x.sourceId)}`)}
                  columns=${[{ key: 'sourceNumber', label: t('records.number') }, { key: 'sourceId', label: t('records.sourceId') }, { key: 'code', label: t('records.code') }, { key: 'message', label: t('records.message') }]} />
                <a class="button" href=${`#/rejected?scheme=${enc(r.scheme)}`}>${t('run.allRejected')}</a></div>`
            : null}
          ${quality.data && quality.data.length ? html`<div class="panel"><h3>${t('quality.title')}</h3><${Table} testid="run-quality" rows=${quality.data} columns=${qualityColumns()} /></div>` : null}`
      : html`<input class="search" placeholder=${t('common.search')} value=${search} onInput=${(e) => setSearch(e.target.value)} data-testid="log-search" />`}
    ${tab === 'events' ? html`<${EventTable} rows=${events.data} />` : null}
    ${tab === 'calls' ? html`<${CallTable} rows=${calls.data} />` : null}
  </section>`;
}
