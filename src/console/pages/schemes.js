import { post, enc } from '../api.js';
import { useAction, useApi } from '../components/hooks.js';
import { ErrorBox, Loading, Table } from '../components/ui.js';
import { html } from '../html.js';
import { fmtTime, t } from '../i18n.js';
import { href, navigate } from '../router.js';

export function SchemesPage() {
  const { data, error, loading, reload } = useApi('/api/schemes');
  const act = useAction();
  const runNow = (name) =>
    act.run(async () => {
      const r = await post(`/api/schemes/${enc(name)}/run`);
      navigate(`/runs/${r.runId}`);
    });
  const toggle = (s) => act.run(async () => {
    await post(`/api/schemes/${enc(s.name)}/enabled`, { enabled: !s.enabled });
    await reload();
  });
  return html`<section>
    <div class="head"><h2>${t('nav.schemes')}</h2><a class="button primary" href="#/schemes/new" data-testid="new-scheme">${t('schemes.new')}</a></div>
    <${ErrorBox} error=${error || act.error} /><${Loading} when=${loading && !data} />
    <${Table} testid="schemes" rows=${data} rowKey=${(s) => s.name}
      columns=${[
        { label: t('common.name'), render: (s) => html`<a href=${href('schemes', s.name)} data-testid="scheme-link">${s.name}</a>${s.valid ? '' : html` <span class="badge bad">${t('schemes.invalid')}</span>`}` },
        { label: t('schemes.source'), render: (s) => (s.source ? `${s.source.connection} · ${s.source.api}` : '') },
        { label: t('schemes.target'), render: (s) => (s.target ? `${s.target.connection} · ${s.target.api}` : '') },
        { key: 'schedule', label: t('schemes.schedule') },
        { label: t('schemes.enabled'), render: (s) => html`<label class="switch"><input type="checkbox" checked=${s.enabled} onChange=${() => toggle(s)} data-testid="scheme-enabled" /> ${s.enabled ? t('common.on') : t('common.off')}</label>` },
        { key: 'version', label: t('schemes.version') },
        { label: t('common.updated'), render: (s) => fmtTime(s.updatedAt) },
        { label: '', render: (s) => html`<button disabled=${act.busy || !s.valid || !s.enabled} onClick=${() => runNow(s.name)} data-testid="run-now">${t('schemes.runNow')}</button>` },
      ]} />
  </section>`;
}
