import { useState } from 'preact/hooks';
import { post } from '../api.js';
import { useAction } from '../components/hooks.js';
import { ErrorBox, Json } from '../components/ui.js';
import { html } from '../html.js';
import { t } from '../i18n.js';

/** Mapping preview: sample records pasted as JSON, or (operators) a few read live from the source; nothing is written. */
export function SchemePreview({ text, enabled, canReadLive = true }) {
  const [samples, setSamples] = useState('');
  const [result, setResult] = useState();
  const act = useAction();
  const preview = (live) =>
    act.run(async () => {
      let body = { text, sample: 5 };
      if (!live) {
        let records;
        try {
          records = JSON.parse(samples);
        } catch (e) {
          throw new Error(`${t('preview.badJson')}: ${e.message}`, { cause: e });
        }
        body = { text, records: Array.isArray(records) ? records : [records] };
      }
      setResult(await post('/api/schemes/preview', body));
    });
  return html`<details class="panel" data-testid="preview">
    <summary>${t('preview.title')}</summary>
    <p class="muted">${t('preview.help')}</p>
    <textarea class="small" value=${samples} onInput=${(e) => setSamples(e.target.value)} placeholder='[{"shop_id": 1, "shop_no": "S001", "shop_name": "…", "remark": "100"}]'></textarea>
    <div class="actions">
      <button disabled=${!enabled || act.busy || !samples.trim()} onClick=${() => preview(false)}>${t('preview.withSamples')}</button>
      ${canReadLive
        ? html`<button disabled=${!enabled || act.busy} onClick=${() => preview(true)} data-testid="preview-live">${t('preview.live')}</button>`
        : html`<span class="muted">${t('preview.liveNeedsOperator')}</span>`}
    </div>
    <${ErrorBox} error=${act.error} />
    ${result && !result.ok ? html`<div class="error">${t('preview.invalid')}</div>` : null}
    ${result && result.ok
      ? html`<div data-testid="preview-result">
          <p>${t('preview.summary', { ok: result.clean, bad: result.withErrors })}</p>
          ${result.rows.map(
            (r) => html`<div class=${`preview-row ${r.ok ? '' : 'bad'}`}>
              <div><strong>${r.sourceNumber || r.sourceId}</strong> ${r.ok ? '✓' : '✗'}</div>
              <div class="lineage">
                <div><h5>${t('lineage.source')}</h5><${Json} value=${r.source} /></div>
                <div><h5>${t('lineage.payload')}</h5><${Json} value=${r.payload} /></div>
              </div>
              ${r.errors ? html`<ul class="problems">${r.errors.map((e) => html`<li><code>${e.field}</code> ${e.message}${e.rule ? ` [${e.rule}]` : ''}</li>`)}</ul>` : null}
            </div>`,
          )}
        </div>`
      : null}
  </details>`;
}
