/* global document */
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { get, post, setUnauthorizedHandler } from './api.js';
import { html } from './html.js';
import { getLang, LANGUAGES, setLang, t } from './i18n.js';
import { useRoute } from './router.js';
import { ChangePasswordPage } from './pages/change-password.js';
import { LoginPage } from './pages/login.js';
import { PAGES, pageFor } from './pages/index.js';

function Nav({ active }) {
  return html`<nav class="side">
    <div class="brand">ferry</div>
    ${PAGES.map((p) => html`<a href=${`#/${p.id}`} class=${active === p.id ? 'active' : ''} data-testid=${`nav-${p.id}`}>${t(`nav.${p.id}`)}</a>`)}
  </nav>`;
}

function TopBar({ user, onLogout, onLang }) {
  return html`<header class="top">
    <span class="grow"></span>
    <label class="lang">
      <span class="sr">${t('common.language')}</span>
      <select data-testid="lang-switch" value=${getLang()} onChange=${(e) => onLang(e.target.value)}>
        ${Object.keys(LANGUAGES).map((l) => html`<option value=${l}>${LANGUAGES[l]['lang.name']}</option>`)}
      </select>
    </label>
    <a href="#/account" class="user" data-testid="current-user">${user.username} (${t(`role.${user.role}`)})</a>
    <button class="link" onClick=${onLogout} data-testid="logout">${t('auth.logout')}</button>
  </header>`;
}

function App() {
  const [user, setUser] = useState(undefined);
  const [, setLangState] = useState(getLang());
  const route = useRoute();
  useEffect(() => {
    setUnauthorizedHandler(() => setUser(null));
    get('/api/auth/me')
      .then((r) => setUser(r.user))
      .catch(() => setUser(null));
  }, []);
  const changeLang = (l) => {
    setLang(l);
    setLangState(l);
  };
  if (user === undefined) return html`<div class="center muted">${t('common.loading')}</div>`;
  if (user === null) return html`<${LoginPage} onLogin=${setUser} onLang=${changeLang} />`;
  if (user.mustChangePassword)
    return html`<${ChangePasswordPage} user=${user} onChanged=${setUser} onLogout=${async () => {
      await post('/api/auth/logout').catch(() => undefined);
      setUser(null);
    }} />`;
  const { id, Page } = pageFor(route);
  return html`<div class="shell">
    <${Nav} active=${id} />
    <div class="main">
      <${TopBar} user=${user} onLang=${changeLang} onLogout=${async () => {
        await post('/api/auth/logout').catch(() => undefined);
        setUser(null);
      }} />
      <main class="content" data-page=${id}><${Page} route=${route} user=${user} /></main>
    </div>
  </div>`;
}

setLang(getLang());
render(html`<${App} />`, document.getElementById('app'));
