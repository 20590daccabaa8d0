import { createServer, type Socket } from 'node:net';

/**
 * A hostile server on 127.0.0.1 that records every connection and every byte sent to it. It speaks just
 * enough HTTP to answer `200 {}` (so a call that does reach it completes quickly); an SMTP client, which
 * waits for a greeting, is recorded on connect and then dropped.
 */
export interface Attacker {
  url: string;
  host: string;
  port: number;
  /** Connections accepted (any protocol). */
  connections: number;
  /** Everything received, per connection. */
  received: string[];
  /** What received says, as one string (to grep for secrets). */
  text(): string;
  close(): Promise<void>;
}

export async function startAttacker(): Promise<Attacker> {
  const sockets = new Set<Socket>();
  const a = {
    connections: 0,
    received: [] as string[],
    text: () => a.received.join('\n'),
  };
  const server = createServer((socket) => {
    sockets.add(socket);
    a.connections++;
    const index = a.received.push('') - 1;
    socket.on('data', (chunk) => {
      a.received[index] += chunk.toString('latin1');
      if (/\r\n\r\n/.test(a.received[index]!)) socket.end('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}');
    });
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    setTimeout(() => socket.destroy(), 300).unref();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return Object.assign(a, {
    url: `http://127.0.0.1:${port}`,
    host: '127.0.0.1',
    port,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  });
}
