/* global window */
import { useEffect, useState } from 'preact/hooks';

/**
 * Hash routing (`#/runs/<id>?tab=events`): deep links work without any server-side fallback route,
 * so the server serves exactly one page.
 */
export function parseHash(hash) {
  const raw = (hash || '').replace(/^#/, '') || '/';
  const [path, qs = ''] = raw.split('?');
  const query = {};
  for (const part of qs.split('&')) {
    if (!part) continue;
    const [k, v = ''] = part.split('=');
    query[decodeURIComponent(k)] = decodeURIComponent(v);
  }
  const segments = path.split('/').filter(Boolean).map((s) => decodeURIComponent(s));
  return { path, segments, query };
}

export function useRoute() {
  const [route, setRoute] = useState(parseHash(window.location.hash));
  useEffect(() => {
    const on = () => setRoute(parseHash(window.location.hash));
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return route;
}

export function href(...segments) {
  return `#/${segments.map((s) => encodeURIComponent(s)).join('/')}`;
}

export function navigate(to) {
  window.location.hash = to.startsWith('#') ? to : `#${to}`;
}
