/* global setTimeout */
import { useEffect, useState } from 'preact/hooks';
import { enc, post, put } from '../api.js';
import { useAction, useApi } from '../components/hooks.js';
import { ErrorBox, Json, Loading, Status } from '../components/ui.js';
import { html } from '../html.js';
import { fmtTime, t } from '../i18n.js';
import { href, navigate } from '../router.js';
import { codeLabel } from './scheme-quality.js';

/**
 * One record: its ledger state and lineage (source → mapped payload → target response). A rejected record
 * can be fixed — edit its stored source record, check what the current mapping makes of it, save — and
 * replayed; the page follows the replay until the record is settled again.
 */
export function RecordDetailPage({ route }) {
  const [page, scheme, sourceId] = route.segments;
  const path = `/api/records/${enc(scheme)}/${enc(sourceId)}`;
  const [replayRun, setReplayRun] = useState();
  const rec = useApi(path, { pollMs: 1000, keepPolling: (r) => !!replayRun && r.runId !== replayRun });
  const [draft, setDraft] = useState('');
  const [remap, setRemap] = useState();
  const [note, setNote] = useState('');
  const act = useAction();
  const r = rec.data;
  useEffect(() => {
    if (r && r.lineage.source) setDraft(JSON.stringify(r.lineage.source, null, 2));
  }, [r && r.updatedAt]);
  if (!r) return html`<${ErrorBox} error=${rec.error} /><${Loading} when=${rec.loading} />`;

  const parsed = () => {
    try {
      return JSON.parse(draft);
    } catch (e) {
      throw new Error(`${t('preview.badJson')}: ${e.message}`, { cause: e });
    }
  };
  const preview = () => act.run(async () => setRemap(await post(`${path}/remap`, { data: parsed() })));
  const save = () =>
    act.run(async () => {
      await put(`${path}/source`, { data: parsed() });
      setNote(t('record.savedSource'));
      await rec.reload();
    });
  const replay = () =>
    act.run(async () => {
      const run = await post(`/api/records/${enc(scheme)}/replay`, { ids: [sourceId] });
      setReplayRun(run.runId);
      setNote(t('record.replayStarted', { run: run.runId }));
      setTimeout(() => rec.reload(), 300);
    });
  const changed = r.lineage.source && draft.trim() !== JSON.stringify(r.lineage.source, null, 2).trim();
  return html`<section>
    <div class="head">
      <h2><a href=${`#/${page}?scheme=${enc(scheme)}`}>${scheme}</a> · ${r.sourceNumber || r.sourceId}</h2>
      <span data-testid="record-status"><${Status} value=${r.status} /></span>
      <span class="muted">${r.detail ? t(`detail.${r.detail}`) : ''}</span>
    </div>
    <table class="kv">
      <tr><th>${t('records.sourceId')}</th><td>${r.sourceId}</td></tr>
      <tr><th>${t('records.number')}</th><td>${r.sourceNumber || ''}</td></tr>
      <tr><th>${t('records.targetNumber')}</th><td data-testid="target-number">${r.targetNumber || ''}</td></tr>
      <tr><th>${t('records.targetId')}</th><td data-testid="target-id">${r.lineage.targetId || ''}</td></tr>
      <tr><th>${t('runs.id')}</th><td><a href=${`#/runs/${r.runId}`}>${r.runId}</a></td></tr>
      <tr><th>${t('common.updated')}</th><td>${fmtTime(r.updatedAt)}</td></tr>
      ${r.message ? html`<tr><th>${t('records.message')}</th><td class="bad-text" data-testid="record-message">${r.message}</td></tr>` : null}
      ${r.errorCode ? html`<tr><th>${t('records.code')}</th><td>${codeLabel(r.errorCode)}${r.errorField ? ` · ${r.errorField}` : ''}</td></tr>` : null}
    </table>
    <h3>${t('record.lineage')}</h3>
    <div class="lineage three" data-testid="lineage">
      <div><h5>${t('lineage.source')}</h5><${Json} value=${r.lineage.source} testid="lineage-source" /></div>
      <div><h5>${t('lineage.payload')}</h5><${Json} value=${r.lineage.payload} testid="lineage-payload" /></div>
      <div><h5>${t('lineage.response')}</h5><${Json} value=${r.lineage.response ?? (r.lineage.targetId ? { targetId: r.lineage.targetId, targetNumber: r.targetNumber } : null)} testid="lineage-response" /></div>
    </div>
    ${r.editable
      ? html`<div class="panel" data-testid="fix">
          <h3>${t('record.fix')}</h3>
          <p class="muted">${t('record.fixHelp')} <a href=${href('schemes', scheme)}>${t('record.editMapping')}</a></p>
          <textarea class="code" data-testid="source-editor" spellcheck="false" value=${draft} onInput=${(e) => setDraft(e.target.value)}></textarea>
          <div class="actions">
            <button onClick=${preview} disabled=${act.busy} data-testid="remap">${t('record.remap')}</button>
            <button onClick=${save} disabled=${act.busy || !changed} data-testid="save-source">${t('record.saveSource')}</button>
            <button class="primary" onClick=${replay} disabled=${act.busy || changed} data-testid="replay">${t('record.replay')}</button>
          </div>
          ${remap ? html`<div data-testid="remap-result">${remap.rows.map((x) => html`<div class=${x.ok ? 'ok-line' : 'bad-text'}>${x.ok ? '✓' : '✗'} ${x.errors ? x.errors.map((e) => `${e.field}: ${e.message}`).join('; ') : ''}</div><${Json} value=${x.payload} />`)}</div>` : null}
        </div>`
      : null}
    ${note ? html`<p class="ok-line" data-testid="record-note">${note}${replayRun ? html` <a href=${`#/runs/${replayRun}`} onClick=${() => navigate(`/runs/${replayRun}`)}>${t('record.openRun')}</a>` : ''}</p>` : null}
    <${ErrorBox} error=${act.error} />
  </section>`;
}
