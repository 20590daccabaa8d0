/**
 * RFC 8288 Link header: `<https://api/x?page=2>; rel="next", <…?page=9>; rel="last"`.
 * Returns the target of the first link whose rel list contains `rel` (case-insensitive), resolved against
 * `base`. Quoted parameter values may contain commas and semicolons.
 */
export function linkTarget(header: string | null, rel: string, base: URL): URL | undefined {
  if (!header) return undefined;
  const wanted = rel.toLowerCase();
  let i = 0;
  while (i < header.length) {
    const open = header.indexOf('<', i);
    if (open < 0) break;
    const close = header.indexOf('>', open);
    if (close < 0) break;
    const target = header.slice(open + 1, close);
    // Parameters run to the next comma outside quotes.
    let j = close + 1;
    let quoted = false;
    while (j < header.length && (quoted || header[j] !== ',')) {
      if (header[j] === '"') quoted = !quoted;
      j += 1;
    }
    const params = header.slice(close + 1, j);
    for (const p of params.matchAll(/;\s*([^=;\s]+)\s*=\s*(?:"([^"]*)"|([^;\s]+))/g)) {
      if (p[1]!.toLowerCase() !== 'rel') continue;
      if ((p[2] ?? p[3] ?? '').toLowerCase().split(/\s+/).includes(wanted)) return new URL(target, base);
    }
    i = j + 1;
  }
  return undefined;
}
