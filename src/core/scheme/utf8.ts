/**
 * Scheme files are UTF-8 (a BOM is allowed). A file in another encoding (GBK is common on Chinese Windows
 * desktops) would otherwise be read with replacement characters, and the mojibake become the scheme's name.
 */

/** Byte offset of the first byte that is not part of a well-formed UTF-8 sequence, or -1. */
export function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  const n = b.length;
  while (i < n) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (c >= 0xc2 && c <= 0xdf) [need, min] = [1, 0x80];
    else if (c >= 0xe0 && c <= 0xef) [need, min] = [2, 0x800];
    else if (c >= 0xf0 && c <= 0xf4) [need, min] = [3, 0x10000];
    else return i;
    let cp = c & (need === 1 ? 0x1f : need === 2 ? 0x0f : 0x07);
    for (let k = 1; k <= need; k++) {
      const x = b[i + k];
      if (x === undefined || (x & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (x & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

const FATAL = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export type DecodedText = { ok: true; text: string } | { ok: false; offset: number; message: string };

/** Decodes a scheme file: UTF-8, BOM dropped; anything else is refused with the offset of the first bad byte. */
export function decodeSchemeBytes(b: Uint8Array): DecodedText {
  const start = b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0;
  const body = start ? b.subarray(start) : b;
  try {
    return { ok: true, text: FATAL.decode(body) }; // native fast path; the byte scan only finds where it fails
  } catch {
    // not UTF-8: find the first bad byte below
  }
  const bad = firstInvalidUtf8(body);
  if (bad >= 0) {
    const offset = bad + start;
    const bytes = [...b.subarray(offset, offset + 4)].map((x) => x.toString(16).padStart(2, '0')).join(' ');
    return {
      ok: false,
      offset,
      message: `not UTF-8: invalid byte at offset ${offset} (bytes ${bytes}); save the file as UTF-8 (it may be GBK/GB18030)`,
    };
  }
  return { ok: true, text: new TextDecoder('utf-8').decode(start ? b.subarray(start) : b) };
}

/**
 * A scheme that arrives as text (the server's JSON body, a browser upload) was decoded already: a file that
 * was not UTF-8 shows as U+FFFD replacement characters. Refused with the position of the first one.
 */
export function replacementCharProblem(text: string): { path: string; message: string; suggestion: string } | undefined {
  const at = text.indexOf('\uFFFD');
  if (at < 0) return undefined;
  const before = text.slice(0, at);
  const line = before.split('\n').length;
  const column = at - before.lastIndexOf('\n');
  return {
    path: '$',
    message: `not UTF-8: a replacement character (U+FFFD) at line ${line}, column ${column} (character ${at}) shows the file was decoded from another encoding`,
    suggestion: 'save the file as UTF-8 (it may be GBK/GB18030) and upload it again',
  };
}
