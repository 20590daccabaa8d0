import { TextDecoder } from 'node:util';

/**
 * Reads an HTTP answer's body under a size cap, for the three vendor exchange loops (WDT, Kingdee, HTTP).
 *
 * - The body is streamed and counted; at the cap the stream is cancelled (the connection is dropped), so an
 *   endless or huge answer costs at most the cap in memory. A Content-Length above the cap is refused at once.
 * - The text is decoded by the Content-Type charset (`charset=gbk`, `gb18030`, `utf-8`, …; TextDecoder's labels),
 *   UTF-8 when none is named or the name is unknown. Invalid bytes become U+FFFD; the engine rejects records that
 *   hold it. A UTF-8 byte order mark is dropped.
 * Platforms turn the outcome into their own FerryError (with API and page): see `tooLargeText`/`stillArrivingText`.
 */

/** Default cap of one answer: 8 MiB (a page of 100 WDT orders with their goods is well under 1 MiB). */
export const DEFAULT_MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

export type AnswerBody =
  | { kind: 'ok'; text: string; bytes: number; charset: string }
  /** Stopped reading at the cap; `declared` when the Content-Length already said so. */
  | { kind: 'too_large'; received: number; declared?: number }
  /** The stream failed or was aborted (timeout, caller) after `received` bytes. */
  | { kind: 'interrupted'; received: number; error: unknown };

/** The charset named by a Content-Type header, lower-cased; undefined when none. */
export function charsetOf(contentType: string | null): string | undefined {
  if (!contentType) return undefined;
  const m = /;\s*charset\s*=\s*("?)([^";\s]+)\1/i.exec(contentType);
  return m ? m[2]!.toLowerCase() : undefined;
}

function decoderFor(charset: string | undefined): { decoder: TextDecoder; charset: string } {
  if (charset) {
    try {
      const decoder = new TextDecoder(charset);
      return { decoder, charset: decoder.encoding };
    } catch {
      // An unknown label: read it as UTF-8; whatever does not decode becomes U+FFFD and is rejected per record.
    }
  }
  return { decoder: new TextDecoder('utf-8'), charset: 'utf-8' };
}

export async function readAnswerBody(res: Response, maxBytes: number): Promise<AnswerBody> {
  const declaredText = res.headers.get('content-length');
  const declared = declaredText !== null && /^\d+$/.test(declaredText.trim()) ? Number(declaredText.trim()) : undefined;
  if (declared !== undefined && declared > maxBytes) {
    await res.body?.cancel().catch(() => undefined);
    return { kind: 'too_large', received: 0, declared };
  }
  const { decoder, charset } = decoderFor(charsetOf(res.headers.get('content-type')));
  if (!res.body) return { kind: 'ok', text: '', bytes: 0, charset };
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      received += value.byteLength;
      if (received > maxBytes) {
        await reader.cancel().catch(() => undefined);
        return { kind: 'too_large', received };
      }
      chunks.push(value);
    }
  } catch (error) {
    await reader.cancel().catch(() => undefined);
    return { kind: 'interrupted', received, error };
  }
  const bytes = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, received);
  return { kind: 'ok', text: decoder.decode(bytes), bytes: received, charset };
}

/** `8 MiB`, `512 KiB`, `1.5 MiB`, `300 bytes`. */
export function showBytes(n: number): string {
  if (n >= 1024 * 1024) return `${Number((n / (1024 * 1024)).toFixed(1))} MiB`;
  if (n >= 1024) return `${Number((n / 1024).toFixed(1))} KiB`;
  return `${n} bytes`;
}

/**
 * The sentence for an answer over the cap (the platform puts API and page in front):
 * `the answer is larger than the 8 MiB cap (Content-Length 50 MiB); ferry stopped reading it. Raise
 * "maxResponseBytes" of connection 'wdt' …`.
 */
export function tooLargeText(b: { received: number; declared?: number }, maxBytes: number, connection: string, smaller: string): string {
  const seen = b.declared !== undefined ? `its Content-Length is ${showBytes(b.declared)}` : `${showBytes(b.received)} had arrived`;
  return (
    `the answer is larger than the ${showBytes(maxBytes)} cap (${seen}); ferry stopped reading it. ` +
    `Raise "maxResponseBytes" of connection '${connection}' (bytes, now ${maxBytes}) if such answers are expected, or ${smaller}`
  );
}

/** The sentence for a timeout while the body was still arriving (not "no answer"). */
export function stillArrivingText(timeoutMs: number, received: number): string {
  return `the answer was still arriving after ${timeoutMs} ms (${showBytes(received)} received)`;
}
