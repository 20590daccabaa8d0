/**
 * RFC 8288 Link header: `<https://api/x?page=2>; rel="next", <…?page=9>; rel="last"`.
 * Returns the target of the first link whose rel list contains `rel` (case-insensitive), resolved against `base`.
 */
export function linkTarget(header: string | null, rel: string, base: URL): URL | undefined {
  if (!header) return undefined;
  const wanted = rel.toLowerCase();
  for (const m of header.matchAll(/<([^>]*)>((?:\s*;\s*[^;,]+(?:=(?:"[^"]*"|[^;,]*))?)*)/g)) {
    const params = m[2] ?? '';
    for (const p of params.matchAll(/;\s*rel\s*=\s*(?:"([^"]*)"|([^;,\s]+))/gi)) {
      const rels = (p[1] ?? p[2] ?? '').toLowerCase().split(/\s+/);
      if (rels.includes(wanted)) return new URL(m[1] ?? '', base);
    }
  }
  return undefined;
}
