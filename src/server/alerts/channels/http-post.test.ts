import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_ANSWER_BYTES, postJson } from './http-post.ts';
import type { SendContext } from './driver.ts';

/** A robot or webhook that answers without end must not hold the server's memory (issue 12: every answer is bounded). */
let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
  server = undefined;
});

async function listen(handler: Parameters<typeof createServer>[1]): Promise<string> {
  server = createServer(handler);
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/robot?key=secret-key`;
}

const ctx = (): SendContext => ({ fetch, timeoutMs: 10_000, now: () => Date.now() });

describe('postJson answers', () => {
  it('stops reading an endless answer at the cap, says so, and does not retry (the message may have arrived)', async () => {
    let sent = 0;
    const url = await listen((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const pump = () => {
        while (sent < 64 * 1024 * 1024 && res.write(chunk)) sent += chunk.length;
        if (sent < 64 * 1024 * 1024) res.once('drain', pump);
        else res.end();
      };
      pump();
    });
    const err = (await postJson(url, { msg: 'hi' }, ctx()).then(
      () => new Error('no error'),
      (e: unknown) => e,
    )) as Error & { retryable?: boolean };
    expect(err.name).toBe('DeliveryError');
    expect(err.message).toContain('larger than 256 KiB');
    expect(err.message).not.toContain('secret-key');
    expect(err.retryable).toBe(false);
    expect(sent).toBeLessThan(64 * 1024 * 1024); // the connection was dropped long before the end
  });

  it('reads a normal robot answer', async () => {
    const url = await listen((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errcode: 0, errmsg: 'ok' }));
    });
    const r = await postJson(url, { msg: 'hi' }, ctx());
    expect(r.json).toEqual({ errcode: 0, errmsg: 'ok' });
    expect(MAX_ANSWER_BYTES).toBe(256 * 1024);
  });
});
