import { useState } from 'preact/hooks';
import { post } from '../api.js';
import { ErrorBox } from '../components/ui.js';
import { html } from '../html.js';
import { getLang, LANGUAGES, t } from '../i18n.js';

export function LoginPage({ onLogin, onLang }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState();
  const [busy, setBusy] = useState(false);
  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const r = await post('/api/auth/login', { username, password });
      onLogin(r.user);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return html`<div class="login">
    <form onSubmit=${submit} class="panel">
      <h1>ferry</h1>
      <p class="muted">${t('login.tagline')}</p>
      <label>${t('login.username')}<input data-testid="login-username" autocomplete="username" value=${username} onInput=${(e) => setUsername(e.target.value)} /></label>
      <label>${t('login.password')}<input data-testid="login-password" type="password" autocomplete="current-password" value=${password} onInput=${(e) => setPassword(e.target.value)} /></label>
      <${ErrorBox} error=${error} />
      <button type="submit" class="primary" disabled=${busy} data-testid="login-submit">${t('login.submit')}</button>
      <select class="lang-login" data-testid="lang-switch" value=${getLang()} onChange=${(e) => onLang(e.target.value)}>
        ${Object.keys(LANGUAGES).map((l) => html`<option value=${l}>${LANGUAGES[l]['lang.name']}</option>`)}
      </select>
    </form>
  </div>`;
}
