/**
 * Finds text that did not decode: U+FFFD (the replacement character a decoder puts for bytes that are not
 * valid in the charset it was told, e.g. a GBK answer read as UTF-8). Such a record is rejected with the
 * path of the first such field instead of being written as `������`.
 */

const REPLACEMENT = '\uFFFD';

/** Path of the first string (key or value) holding U+FFFD, e.g. `shop_name` or `goods_list[2].goods_name`; undefined when none. */
export function undecodablePath(value: unknown, path = ''): string | undefined {
  if (typeof value === 'string') return value.includes(REPLACEMENT) ? path || '(the record)' : undefined;
  if (value === null || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const p = undecodablePath(value[i], `${path}[${i}]`);
      if (p !== undefined) return p;
    }
    return undefined;
  }
  for (const key of Object.keys(value)) {
    const at = path ? `${path}.${key}` : key;
    if (key.includes(REPLACEMENT)) return at;
    const p = undecodablePath((value as Record<string, unknown>)[key], at);
    if (p !== undefined) return p;
  }
  return undefined;
}

/** The rejection reason for a record whose field `path` holds U+FFFD. */
export function undecodableReason(path: string): string {
  return (
    `source field "${path}" holds U+FFFD replacement characters (�): the vendor's answer was not valid text in the charset ` +
    `it was decoded with (its Content-Type charset, UTF-8 when it names none); the record is not written — ` +
    `have the vendor declare its charset (e.g. "Content-Type: application/json; charset=GBK") and replay the record`
  );
}
