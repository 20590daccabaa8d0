import { useState } from 'preact/hooks';
import { del, enc, post, put } from '../api.js';
import { useAction, useApi } from '../components/hooks.js';
import { ErrorBox, Loading, Table } from '../components/ui.js';
import { html } from '../html.js';
import { fmtTime, t } from '../i18n.js';

/** Create or edit a connection: platform, settings as JSON (secrets shown as "***" keep their value). */
function ConnectionForm({ platforms, initial, onDone, onCancel }) {
  const [name, setName] = useState(initial ? initial.name : '');
  const [platform, setPlatform] = useState(initial ? initial.platform : platforms[0].name);
  const [config, setConfig] = useState(JSON.stringify(initial ? initial.config : platforms[0].template, null, 2));
  const [description, setDescription] = useState(initial ? initial.description || '' : '');
  const act = useAction();
  const pick = (p) => {
    setPlatform(p);
    if (!initial) setConfig(JSON.stringify(platforms.find((x) => x.name === p).template, null, 2));
  };
  const save = () =>
    act.run(async () => {
      let parsed;
      try {
        parsed = JSON.parse(config);
      } catch (e) {
        throw new Error(`${t('preview.badJson')}: ${e.message}`, { cause: e });
      }
      await put(`/api/connections/${enc(name)}`, { platform, config: parsed, description: description || null });
      onDone(name);
    });
  const p = platforms.find((x) => x.name === platform);
  return html`<div class="panel" data-testid="connection-form">
    <h3>${initial ? t('connections.edit', { name }) : t('connections.new')}</h3>
    <div class="form">
      <label>${t('common.name')}<input data-testid="connection-name" value=${name} disabled=${!!initial} onInput=${(e) => setName(e.target.value)} /></label>
      <label>${t('connections.platform')}<select data-testid="connection-platform" value=${platform} onChange=${(e) => pick(e.target.value)}>${platforms.map((x) => html`<option value=${x.name}>${t(`platform.${x.name}`)}</option>`)}</select></label>
      <label>${t('connections.description')}<input value=${description} onInput=${(e) => setDescription(e.target.value)} /></label>
    </div>
    <label>${t('connections.settings')} <span class="muted">${t('connections.secretKeys')}: ${p ? p.secretKeys.join(', ') : ''}</span>
      <textarea class="code" data-testid="connection-config" spellcheck="false" value=${config} onInput=${(e) => setConfig(e.target.value)}></textarea>
    </label>
    <p class="muted">${t('connections.secretHelp')}</p>
    <${ErrorBox} error=${act.error} />
    <div class="actions">
      <button class="primary" disabled=${act.busy || !name} onClick=${save} data-testid="save-connection">${t('common.save')}</button>
      <button onClick=${onCancel}>${t('common.cancel')}</button>
    </div>
  </div>`;
}

export function ConnectionsPage() {
  const list = useApi('/api/connections');
  const platforms = useApi('/api/platforms');
  const [editing, setEditing] = useState();
  const [results, setResults] = useState({});
  const act = useAction();
  const test = (name) =>
    act.run(async () => {
      setResults((r) => ({ ...r, [name]: { pending: true } }));
      const res = await post(`/api/connections/${enc(name)}/test`);
      setResults((r) => ({ ...r, [name]: res }));
    });
  const remove = (name) =>
    act.run(async () => {
      if (!globalThis.confirm(t('connections.confirmDelete', { name }))) return;
      await del(`/api/connections/${enc(name)}`);
      await list.reload();
    });
  return html`<section>
    <div class="head"><h2>${t('nav.connections')}</h2><button class="primary" onClick=${() => setEditing('new')} data-testid="new-connection">${t('connections.new')}</button></div>
    <${ErrorBox} error=${list.error || act.error} /><${Loading} when=${list.loading && !list.data} />
    ${editing && platforms.data
      ? html`<${ConnectionForm} key=${editing === 'new' ? 'new' : editing.name} platforms=${platforms.data} initial=${editing === 'new' ? undefined : editing}
          onCancel=${() => setEditing(undefined)} onDone=${async () => { setEditing(undefined); await list.reload(); }} />`
      : null}
    <${Table} testid="connections" rows=${list.data} rowKey=${(c) => c.name}
      columns=${[
        { key: 'name', label: t('common.name') },
        { label: t('connections.platform'), render: (c) => t(`platform.${c.platform}`) },
        { label: t('connections.description'), render: (c) => html`${c.description || ''}${c.problem ? html`<div class="bad-text">${t('connections.unreadable')}</div>` : ''}` },
        { label: t('connections.secrets'), render: (c) => Object.keys(c.secrets).map((k) => `${k}: ${t('connections.set')}`).join(', ') },
        { label: t('common.updated'), render: (c) => fmtTime(c.updatedAt) },
        {
          label: t('connections.test'),
          render: (c) => {
            const r = results[c.name];
            if (!r) return '';
            if (r.pending) return html`<span class="muted">${t('connections.testing')}</span>`;
            return html`<span class=${r.ok ? 'ok-line' : 'bad-text'} data-testid="test-result" data-ok=${String(r.ok)}>${r.ok ? '✓' : '✗'} ${r.message} <span class="muted">(${r.durationMs} ms)</span></span>`;
          },
        },
        {
          label: '',
          render: (c) => html`<span class="row-actions">
            <button onClick=${() => test(c.name)} data-testid="test-connection">${t('connections.test')}</button>
            <button onClick=${() => setEditing(c)}>${t('common.edit')}</button>
            <button class="danger" onClick=${() => remove(c.name)}>${t('common.delete')}</button></span>`,
        },
      ]} />
  </section>`;
}
