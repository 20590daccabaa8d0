import https from 'node:https';
import { Readable } from 'node:stream';
import type { HttpTls } from './connection.ts';

/**
 * A minimal `fetch` over node:https for connections with TLS options. Node's built-in fetch takes no
 * per-call TLS settings (it would need an undici Agent as `dispatcher`, and undici is not a dependency),
 * so a connection with `tls.ca` or `tls.rejectUnauthorized: false` is served by this transport instead.
 * It supports what the profile uses: method, headers, a string body, AbortSignal; the body streams.
 * Plain http:// URLs go to the fallback fetch (TLS options do not apply to them).
 */
export interface TlsFetch {
  fetch: typeof fetch;
  close(): void;
}

export function needsTlsTransport(tls: HttpTls | undefined): tls is HttpTls {
  return tls !== undefined && (tls.ca !== undefined || tls.rejectUnauthorized === false);
}

export function makeTlsFetch(tls: HttpTls, fallback: typeof fetch): TlsFetch {
  const agent = new https.Agent({ keepAlive: true, rejectUnauthorized: tls.rejectUnauthorized, ...(tls.ca ? { ca: tls.ca } : {}) });
  const tlsFetch = (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : input.toString());
    if (url.protocol !== 'https:') return fallback(input, init);
    const headers = new Headers(init.headers);
    const body = typeof init.body === 'string' ? init.body : init.body == null ? undefined : String(init.body);
    if (body !== undefined) headers.set('content-length', String(Buffer.byteLength(body)));
    return new Promise<Response>((resolve, reject) => {
      const req = https.request(
        url,
        { method: init.method ?? 'GET', headers: Object.fromEntries(headers), agent, ...(init.signal ? { signal: init.signal } : {}) },
        (res) => {
          // The body streams (the caller reads it under its size cap and may cancel it: that destroys the socket).
          const h = new Headers();
          for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) h.append(res.rawHeaders[i]!, res.rawHeaders[i + 1]!);
          const status = res.statusCode ?? 502;
          const nullBody = status === 204 || status === 304 || (status >= 100 && status < 200);
          if (nullBody) res.resume();
          const body = nullBody ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>);
          resolve(new Response(body, { status, statusText: res.statusMessage ?? '', headers: h }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  };
  return { fetch: tlsFetch as typeof fetch, close: () => agent.destroy() };
}
