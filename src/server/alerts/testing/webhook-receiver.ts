import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local HTTP receiver for alert tests (and the end-to-end test): records every request and answers
 * like the vendor would — WeCom/DingTalk `{"errcode":0,"errmsg":"ok"}` on /cgi-bin/webhook/send and
 * /robot/send, Feishu `{"code":0,"msg":"success"}` on /open-apis/bot/v2/hook/…, `{"ok":true}` elsewhere —
 * unless `respond` says otherwise. Listens on 127.0.0.1, ephemeral port.
 */
export interface ReceivedRequest {
  method: string;
  /** Path and query as sent. */
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  json: unknown;
}

export interface WebhookReceiver {
  url: string;
  requests: ReceivedRequest[];
  /** Replace the answer (status + JSON body) for the following requests; undefined restores the default. */
  respond: ((req: ReceivedRequest) => { status: number; body: unknown } | undefined) | undefined;
  close(): Promise<void>;
}

function vendorAnswer(url: string): unknown {
  if (url.startsWith('/cgi-bin/webhook/send') || url.startsWith('/robot/send')) return { errcode: 0, errmsg: 'ok' };
  if (url.startsWith('/open-apis/bot/v2/hook/')) return { code: 0, msg: 'success', data: {} };
  return { ok: true };
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const requests: ReceivedRequest[] = [];
  const receiver: WebhookReceiver = { url: '', requests, respond: undefined, close: async () => {} };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let json: unknown;
      try {
        json = JSON.parse(body);
      } catch {
        json = undefined;
      }
      const r: ReceivedRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body, json };
      requests.push(r);
      const answer = receiver.respond?.(r) ?? { status: 200, body: vendorAnswer(r.url) };
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  receiver.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return receiver;
}
