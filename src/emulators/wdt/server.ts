import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { QimenApp, WdtAccount, WdtEmulatorOptions } from './options.ts';
import type { WdtEmulatorControl } from './control.ts';
import type { Answer } from './http-util.ts';
import { serveApiCall } from './api-call.ts';
import { createControl, handleControl } from './control.ts';
import { collectParams, readBody, send } from './http-util.ts';
import { openApiTransport } from './openapi.ts';
import { qimenTransport } from './qimen.ts';
import { createState, resolveOptions } from './state.ts';

/**
 * A local WangDianTong server speaking both the enterprise open API (`/openapi2/<name>.php`) and Qimen
 * (`/router/qm`, `/router/rest`), with generated data, signature and timestamp checks, a per-sid rate limit,
 * fault injection and a control API. Plain node:http; runs in-process for tests or from `ferry emulate wdt`.
 */

export interface WdtEmulator {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** Enterprise base up to `/openapi2/` (append `shop.php`). */
  openapiUrl: string;
  /** Qimen router URL. */
  qimenUrl: string;
  accounts: WdtAccount[];
  qimenApps: QimenApp[];
  targetAppKey: string;
  control: WdtEmulatorControl;
  close(): Promise<void>;
}

export async function startWdtEmulator(options: WdtEmulatorOptions = {}): Promise<WdtEmulator> {
  const opts = resolveOptions(options);
  const state = createState(opts);
  const control = createControl(state);

  async function route(req: IncomingMessage): Promise<Answer> {
    const url = new URL(req.url ?? '/', 'http://emulator.local');
    const body = await readBody(req);
    if (url.pathname.startsWith('/__control/')) return handleControl(state, control, req.method ?? 'GET', url, body);
    const { params, nonFormBody } = collectParams(url, body, req.headers['content-type']);
    const enterprise = /^\/openapi2\/([A-Za-z0-9_]+)\.php$/.exec(url.pathname);
    if (enterprise) return serveApiCall(state, openApiTransport(state, enterprise[1]!, params));
    if (url.pathname === '/router/qm' || url.pathname === '/router/rest')
      return serveApiCall(state, qimenTransport(state, url.pathname, params, nonFormBody));
    return { kind: 'raw', status: 404, body: 'not found', contentType: 'text/plain' };
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    route(req).then(
      (answer) => send(res, answer),
      (err: unknown) =>
        send(res, { kind: 'raw', status: 500, body: `emulator error: ${err instanceof Error ? err.message : String(err)}`, contentType: 'text/plain' }),
    );
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  const url = `http://${host}:${port}`;
  return {
    url,
    openapiUrl: `${url}/openapi2/`,
    qimenUrl: `${url}/router/qm`,
    accounts: opts.accounts,
    qimenApps: opts.qimenApps,
    targetAppKey: opts.targetAppKey,
    control,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
