import { useState } from 'preact/hooks';
import { post } from '../api.js';
import { ErrorBox } from '../components/ui.js';
import { html } from '../html.js';
import { t } from '../i18n.js';

/**
 * Shown instead of the console after a login with a generated (printed) password: the server refuses
 * every other call (code `password_change_required`) until a new password is set.
 */
export function ChangePasswordPage({ user, onChanged, onLogout }) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [error, setError] = useState();
  const [busy, setBusy] = useState(false);
  const submit = async (e) => {
    e.preventDefault();
    setError(undefined);
    if (next !== again) return setError(new Error(t('forced.mismatch')));
    setBusy(true);
    try {
      await post('/api/auth/password', { current, next });
      onChanged({ ...user, mustChangePassword: false });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return html`<div class="login">
    <form onSubmit=${submit} class="panel" data-testid="forced-password">
      <h1>ferry</h1>
      <h3>${t('forced.title')}</h3>
      <p class="muted">${t('forced.help', { user: user.username })}</p>
      <label>${t('account.current')}<input data-testid="forced-current" type="password" autocomplete="current-password" value=${current} onInput=${(e) => setCurrent(e.target.value)} /></label>
      <label>${t('account.next')}<input data-testid="forced-next" type="password" autocomplete="new-password" value=${next} onInput=${(e) => setNext(e.target.value)} /></label>
      <label>${t('forced.again')}<input data-testid="forced-again" type="password" autocomplete="new-password" value=${again} onInput=${(e) => setAgain(e.target.value)} /></label>
      <${ErrorBox} error=${error} />
      <button type="submit" class="primary" disabled=${busy || !current || !next} data-testid="forced-submit">${t('forced.submit')}</button>
      <button type="button" class="link" onClick=${onLogout}>${t('auth.logout')}</button>
    </form>
  </div>`;
}
