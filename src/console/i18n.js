/* global window, navigator */
import en from './i18n/en.js';
import zhCN from './i18n/zh-CN.js';

/** Two dictionaries, one key space. The choice is kept in localStorage; the default follows the browser. */
export const LANGUAGES = { 'zh-CN': zhCN, en };
const KEY = 'ferry.lang';

function initial() {
  try {
    const saved = window.localStorage.getItem(KEY);
    if (saved && LANGUAGES[saved]) return saved;
  } catch {
    // storage may be blocked
  }
  return (navigator.language || '').toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

let lang = initial();

export function getLang() {
  return lang;
}

export function setLang(next) {
  if (!LANGUAGES[next]) return;
  lang = next;
  try {
    window.localStorage.setItem(KEY, next);
  } catch {
    // ignore
  }
  window.document.documentElement.lang = next;
}

/** `t('runs.count', {n: 3})` → text with `{n}` replaced; falls back to English, then to the key. */
export function t(key, vars) {
  const s = LANGUAGES[lang][key] ?? en[key] ?? key;
  return vars ? s.replace(/\{(\w+)\}/g, (_, k) => (vars[k] === undefined ? `{${k}}` : String(vars[k]))) : s;
}

export function fmtTime(ms) {
  if (!ms) return '';
  return new Date(ms).toLocaleString(lang === 'zh-CN' ? 'zh-CN' : 'en-GB', { hour12: false });
}

export function fmtDuration(ms) {
  if (ms === null || ms === undefined) return '';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m} min ${Math.round(s % 60)} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

export function fmtNumber(n) {
  return n === null || n === undefined ? '' : Number(n).toLocaleString(lang === 'zh-CN' ? 'zh-CN' : 'en-US');
}
