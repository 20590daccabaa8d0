/* global URL, Blob */
import { useEffect, useState } from 'preact/hooks';
import { enc, get, post, put, del } from '../api.js';
import { useAction, useApi, useDebounced } from '../components/hooks.js';
import { ErrorBox, Loading } from '../components/ui.js';
import { html } from '../html.js';
import { t } from '../i18n.js';
import { navigate } from '../router.js';
import { SchemePreview } from './scheme-preview.js';
import { SchemeQuality } from './scheme-quality.js';

/** Problems and warnings from the validate endpoint, with their JSON paths. */
function Problems({ check }) {
  if (!check) return html`<div class="muted">${t('editor.checking')}</div>`;
  return html`<div data-testid="validation" data-ok=${String(check.ok)}>
    ${check.ok ? html`<div class="ok-line">✓ ${t('editor.valid')}</div>` : null}
    ${check.problems.length ? html`<ul class="problems">${check.problems.map((p) => html`<li><code>${p.path}</code> ${p.message}${p.suggestion ? html` <em>— ${p.suggestion}</em>` : ''}</li>`)}</ul>` : null}
    ${check.warnings.length ? html`<ul class="warnings">${check.warnings.map((p) => html`<li><code>${p.path}</code> ${p.message}${p.suggestion ? html` <em>— ${p.suggestion}</em>` : ''}</li>`)}</ul>` : null}
  </div>`;
}

export function SchemeEditorPage({ route, user }) {
  const name = route.segments[1];
  const isNew = name === 'new';
  const stored = useApi(isNew ? undefined : `/api/schemes/${enc(name)}`);
  const templates = useApi(isNew ? '/api/schemes/templates' : undefined);
  const [text, setText] = useState('');
  const [check, setCheck] = useState();
  const [saved, setSaved] = useState(false);
  const act = useAction();
  const debounced = useDebounced(text, 350);

  useEffect(() => {
    if (stored.data) setText(stored.data.text);
  }, [stored.data && stored.data.version]);
  useEffect(() => {
    if (!debounced.trim()) return setCheck(undefined);
    let live = true;
    post('/api/schemes/validate', { text: debounced })
      .then((r) => live && setCheck(r))
      .catch((e) => live && setCheck({ ok: false, problems: [{ path: '$', message: e.message }], warnings: [] }));
    return () => {
      live = false;
    };
  }, [debounced]);

  const save = () =>
    act.run(async () => {
      if (isNew) {
        const r = await post('/api/schemes', { text });
        navigate(`/schemes/${enc(r.name)}`);
      } else {
        await put(`/api/schemes/${enc(name)}`, { text });
        await stored.reload();
      }
      setSaved(true);
    });
  const runNow = () =>
    act.run(async () => {
      const r = await post(`/api/schemes/${enc(name)}/run`);
      navigate(`/runs/${r.runId}`);
    });
  const remove = () =>
    act.run(async () => {
      if (!globalThis.confirm(t('editor.confirmDelete', { name }))) return;
      await del(`/api/schemes/${enc(name)}`);
      navigate('/schemes');
    });
  const toggle = () =>
    act.run(async () => {
      await post(`/api/schemes/${enc(name)}/enabled`, { enabled: !stored.data.enabled });
      await stored.reload();
    });
  const loadJsonSchema = () => act.run(async () => globalThis.open(URL.createObjectURL(new Blob([JSON.stringify(await get('/api/schemes/json-schema'), null, 2)], { type: 'application/json' }))));

  if (!isNew && !stored.data) return html`<${ErrorBox} error=${stored.error} /><${Loading} when=${stored.loading} />`;
  const dirty = !isNew && stored.data && text !== stored.data.text;
  return html`<section>
    <div class="head">
      <h2>${isNew ? t('schemes.new') : name}</h2>
      ${!isNew
        ? html`<span class=${`badge ${stored.data.enabled ? 'ok' : 'muted'}`}>${stored.data.enabled ? t('schemes.enabledState') : t('schemes.disabledState')}</span>
            <span class="muted">v${stored.data.version}</span>`
        : null}
      <span class="grow"></span>
      ${isNew && templates.data
        ? html`<select data-testid="template" onChange=${(e) => {
            const tpl = templates.data.find((x) => x.file === e.target.value);
            if (tpl) setText(tpl.text);
          }}>
            <option value="">${t('editor.loadExample')}</option>
            ${templates.data.map((x) => html`<option value=${x.file}>${x.name} (${x.file})</option>`)}
          </select>`
        : null}
      <button class="link" onClick=${loadJsonSchema}>${t('editor.jsonSchema')}</button>
    </div>
    <div class="editor">
      <textarea data-testid="scheme-text" spellcheck="false" value=${text} onInput=${(e) => { setText(e.target.value); setSaved(false); }} placeholder=${t('editor.placeholder')}></textarea>
      <aside><h4>${t('editor.validation')}</h4><${Problems} check=${text.trim() ? check : { ok: false, problems: [], warnings: [] }} /></aside>
    </div>
    <${ErrorBox} error=${act.error} />
    <div class="actions">
      <button class="primary" disabled=${act.busy || !check || !check.ok || (!isNew && !dirty)} onClick=${save} data-testid="save-scheme">${t('common.save')}</button>
      ${saved && !dirty ? html`<span class="ok-line" data-testid="saved">${t('common.saved')}</span>` : null}
      ${!isNew
        ? html`<button disabled=${act.busy || dirty || !stored.data.enabled || stored.data.problems.length > 0} onClick=${runNow} data-testid="run-now">${t('schemes.runNow')}</button>
            <button onClick=${toggle} disabled=${act.busy} data-testid="toggle-enabled">${stored.data.enabled ? t('schemes.disable') : t('schemes.enable')}</button>
            <a class="button" href=${`#/runs?scheme=${enc(name)}`}>${t('schemes.runs')}</a>
            <button class="danger" onClick=${remove} disabled=${act.busy}>${t('common.delete')}</button>`
        : null}
    </div>
    <${SchemePreview} text=${text} enabled=${!!(check && check.ok)} canReadLive=${!user || user.role !== 'viewer'} />
    ${!isNew ? html`<${SchemeQuality} name=${name} />` : null}
  </section>`;
}
