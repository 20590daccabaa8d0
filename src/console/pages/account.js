import { useState } from 'preact/hooks';
import { del, enc, patch, post } from '../api.js';
import { useAction, useApi } from '../components/hooks.js';
import { ErrorBox, Table } from '../components/ui.js';
import { html } from '../html.js';
import { fmtTime, t } from '../i18n.js';

/** Token lifetimes offered; 90 days is the default (the API's too): a forgotten token stops working. */
const TOKEN_DAYS = [7, 30, 90, 365, 730];

function Tokens() {
  const list = useApi('/api/tokens');
  const [name, setName] = useState('');
  const [days, setDays] = useState('90');
  const [created, setCreated] = useState();
  const act = useAction();
  const create = () =>
    act.run(async () => {
      setCreated(await post('/api/tokens', { name, expiresInDays: Number(days) }));
      setName('');
      await list.reload();
    });
  return html`<div class="panel"><h3>${t('account.tokens')}</h3>
    <p class="muted">${t('account.tokensHelp')}</p>
    <div class="filters">
      <input placeholder=${t('common.name')} value=${name} onInput=${(e) => setName(e.target.value)} />
      <label>${t('account.expiresIn')}<select data-testid="token-expiry" value=${days} onChange=${(e) => setDays(e.target.value)}>
        ${TOKEN_DAYS.map((d) => html`<option value=${String(d)}>${t('account.days', { n: d })}</option>`)}
      </select></label>
      <button disabled=${!name || act.busy} onClick=${create} data-testid="create-token">${t('common.create')}</button>
    </div>
    ${created ? html`<p class="warn">${t('account.tokenOnce')} <code data-testid="new-token">${created.token}</code></p>` : null}
    <${ErrorBox} error=${act.error || list.error} />
    <${Table} rows=${list.data} columns=${[
      { key: 'name', label: t('common.name') },
      { label: t('account.prefix'), render: (x) => html`<code>${x.prefix}…</code>` },
      { label: t('account.created'), render: (x) => fmtTime(x.createdAt) },
      { label: t('account.lastUsed'), render: (x) => fmtTime(x.lastUsedAt) },
      { label: t('account.expires'), render: (x) => (x.expiresAt ? fmtTime(x.expiresAt) : t('account.never')) },
      { label: '', render: (x) => html`<button class="danger" onClick=${() => act.run(async () => { await del(`/api/tokens/${enc(x.id)}`); await list.reload(); })}>${t('account.revoke')}</button>` },
    ]} />
  </div>`;
}

function Users() {
  const list = useApi('/api/users');
  const [form, setForm] = useState({ username: '', password: '', role: 'operator' });
  const act = useAction();
  const create = () =>
    act.run(async () => {
      await post('/api/users', form);
      setForm({ username: '', password: '', role: 'operator' });
      await list.reload();
    });
  return html`<div class="panel"><h3>${t('account.users')}</h3>
    <div class="filters">
      <input placeholder=${t('login.username')} value=${form.username} onInput=${(e) => setForm({ ...form, username: e.target.value })} />
      <input type="password" placeholder=${t('login.password')} value=${form.password} onInput=${(e) => setForm({ ...form, password: e.target.value })} />
      <select value=${form.role} onChange=${(e) => setForm({ ...form, role: e.target.value })}>${['viewer', 'operator', 'admin'].map((r) => html`<option value=${r}>${t(`role.${r}`)}</option>`)}</select>
      <button disabled=${act.busy} onClick=${create}>${t('common.create')}</button>
    </div>
    <${ErrorBox} error=${act.error || list.error} />
    <${Table} rows=${list.data} columns=${[
      { key: 'username', label: t('login.username') },
      { label: t('account.role'), render: (u) => t(`role.${u.role}`) },
      { label: t('account.created'), render: (u) => fmtTime(u.createdAt) },
      { label: t('common.status'), render: (u) => (u.disabled ? t('account.disabled') : t('account.active')) },
      { label: '', render: (u) => html`<button onClick=${() => act.run(async () => { await patch(`/api/users/${enc(u.id)}`, { disabled: !u.disabled }); await list.reload(); })}>${u.disabled ? t('schemes.enable') : t('schemes.disable')}</button>` },
    ]} />
  </div>`;
}

export function AccountPage({ user }) {
  const [pw, setPw] = useState({ current: '', next: '' });
  const [done, setDone] = useState(false);
  const act = useAction();
  const change = () =>
    act.run(async () => {
      await post('/api/auth/password', pw);
      // The server ended the other sessions and revoked this user's API tokens.
      setDone(true);
      setPw({ current: '', next: '' });
    });
  return html`<section>
    <div class="head"><h2>${t('nav.account')}</h2><span class="muted">${user.username} · ${t(`role.${user.role}`)}</span></div>
    <div class="panel"><h3>${t('account.password')}</h3>
      <div class="filters">
        <input type="password" placeholder=${t('account.current')} value=${pw.current} onInput=${(e) => setPw({ ...pw, current: e.target.value })} />
        <input type="password" placeholder=${t('account.next')} value=${pw.next} onInput=${(e) => setPw({ ...pw, next: e.target.value })} />
        <button disabled=${act.busy || !pw.current || !pw.next} onClick=${change}>${t('common.save')}</button>
      </div>
      ${done ? html`<p class="ok-line">${t('account.passwordChanged')}</p>` : null}
      <${ErrorBox} error=${act.error} />
    </div>
    <${Tokens} />
    ${user.role === 'admin' ? html`<${Users} />` : null}
    <p class="muted"><a href="/docs" target="_blank">${t('account.apiDocs')}</a> · <a href="/metrics" target="_blank">/metrics</a></p>
  </section>`;
}
