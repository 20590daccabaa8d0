import { useEffect } from 'preact/hooks';
import { useApi } from '../components/hooks.js';
import { html } from '../html.js';
import { t } from '../i18n.js';

/** Select of the stored schemes; picks the first one when none is chosen. */
export function SchemePicker({ value, onChange }) {
  const { data } = useApi('/api/schemes');
  useEffect(() => {
    if (!value && data && data.length) onChange(data[0].name);
  }, [data, value]);
  return html`<select data-testid="scheme-picker" value=${value || ''} onChange=${(e) => onChange(e.target.value)}>
    ${!data || !data.length ? html`<option value="">${t('records.noSchemes')}</option>` : null}
    ${(data || []).map((s) => html`<option value=${s.name}>${s.name}</option>`)}
  </select>`;
}
