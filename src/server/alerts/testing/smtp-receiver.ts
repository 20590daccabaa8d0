import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A tiny SMTP server for tests: EHLO/HELO, AUTH PLAIN and LOGIN, MAIL, RCPT, DATA (with dot-unstuffing),
 * RSET, NOOP, QUIT. No TLS (clients must not require it). Records each message with its envelope and
 * the credentials presented. Listens on 127.0.0.1, ephemeral port.
 */
export interface ReceivedMail {
  from: string;
  to: string[];
  /** Raw message (headers + body) as received. */
  data: string;
  auth?: { user: string; pass: string };
}

export interface SmtpReceiver {
  host: string;
  port: number;
  messages: ReceivedMail[];
  close(): Promise<void>;
}

const b64 = (s: string) => Buffer.from(s, 'base64').toString('utf8');

export async function startSmtpReceiver(): Promise<SmtpReceiver> {
  const messages: ReceivedMail[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.setEncoding('utf8');
    let buffer = '';
    let mode: 'cmd' | 'data' | 'auth-plain' | 'auth-user' | 'auth-pass' = 'cmd';
    let from = '';
    let to: string[] = [];
    let data: string[] = [];
    let auth: { user: string; pass: string } | undefined;
    let user = '';
    const say = (line: string) => socket.write(`${line}\r\n`);
    const plain = (token: string) => {
      const [, u = '', p = ''] = b64(token).split('\u0000');
      auth = { user: u, pass: p };
      say('235 2.7.0 Authentication successful');
    };
    const onLine = (line: string) => {
      if (mode === 'data') {
        if (line === '.') {
          messages.push({ from, to, data: data.join('\r\n'), ...(auth ? { auth } : {}) });
          mode = 'cmd';
          data = [];
          say('250 2.0.0 OK queued');
        } else data.push(line.startsWith('..') ? line.slice(1) : line);
        return;
      }
      if (mode === 'auth-plain') return ((mode = 'cmd'), plain(line));
      if (mode === 'auth-user') return ((user = b64(line)), (mode = 'auth-pass'), say('334 UGFzc3dvcmQ6'));
      if (mode === 'auth-pass') return ((auth = { user, pass: b64(line) }), (mode = 'cmd'), say('235 2.7.0 Authentication successful'));
      const [verb = '', ...rest] = line.split(' ');
      const arg = rest.join(' ');
      switch (verb.toUpperCase()) {
        case 'EHLO':
          return say('250-localhost\r\n250-AUTH PLAIN LOGIN\r\n250-8BITMIME\r\n250 SIZE 10485760');
        case 'HELO':
          return say('250 localhost');
        case 'AUTH': {
          const [kind = '', token] = arg.split(' ');
          if (kind.toUpperCase() === 'PLAIN') return token ? plain(token) : ((mode = 'auth-plain'), say('334 '));
          if (kind.toUpperCase() === 'LOGIN') return token ? ((user = b64(token)), (mode = 'auth-pass'), say('334 UGFzc3dvcmQ6')) : ((mode = 'auth-user'), say('334 VXNlcm5hbWU6'));
          return say('504 5.5.4 Unrecognized authentication type');
        }
        case 'MAIL':
          from = /<([^>]*)>/.exec(arg)?.[1] ?? '';
          to = [];
          return say('250 2.1.0 OK');
        case 'RCPT':
          to.push(/<([^>]*)>/.exec(arg)?.[1] ?? '');
          return say('250 2.1.5 OK');
        case 'DATA':
          mode = 'data';
          return say('354 End data with <CR><LF>.<CR><LF>');
        case 'RSET':
          from = '';
          to = [];
          return say('250 2.0.0 OK');
        case 'NOOP':
          return say('250 2.0.0 OK');
        case 'QUIT':
          say('221 2.0.0 Bye');
          return void socket.end();
        default:
          return say('502 5.5.2 Command not recognized');
      }
    };
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      let i: number;
      while ((i = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, i);
        buffer = buffer.slice(i + 2);
        onLine(line);
      }
    });
    socket.on('error', () => {});
    say('220 localhost ESMTP ferry-test');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    host: '127.0.0.1',
    port,
    messages,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Minimal MIME reading for assertions: decoded Subject and the decoded text/plain and text/html parts. */
export function readMail(raw: string): { headers: Record<string, string>; subject: string; text: string; html: string } {
  const [head = '', ...rest] = raw.split('\r\n\r\n');
  const headers = parseHeaders(head);
  const parts: { type: string; body: string }[] = [];
  const walk = (hdrs: Record<string, string>, body: string) => {
    const type = hdrs['content-type'] ?? 'text/plain';
    const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
    if (boundary) {
      for (const chunk of body.split(`--${boundary}`).slice(1)) {
        if (chunk.startsWith('--')) break;
        const [h = '', ...b] = chunk.replace(/^\r\n/, '').split('\r\n\r\n');
        walk(parseHeaders(h), b.join('\r\n\r\n'));
      }
      return;
    }
    parts.push({ type: type.split(';')[0]!.trim().toLowerCase(), body: decodeBody(body, hdrs['content-transfer-encoding'] ?? '7bit') });
  };
  walk(headers, rest.join('\r\n\r\n'));
  return {
    headers,
    subject: decodeWords(headers['subject'] ?? ''),
    text: parts.find((p) => p.type === 'text/plain')?.body ?? '',
    html: parts.find((p) => p.type === 'text/html')?.body ?? '',
  };
}

function parseHeaders(head: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const i = line.indexOf(':');
    if (i > 0) out[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  return out;
}

function decodeBody(body: string, encoding: string): string {
  const e = encoding.toLowerCase();
  if (e === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (e === 'quoted-printable') return decodeQp(body.replace(/=\r\n/g, ''));
  return body;
}

function decodeQp(s: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '=' && /^[0-9A-F]{2}$/i.test(s.slice(i + 1, i + 3))) {
      bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...Buffer.from(s[i]!, 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

function decodeWords(s: string): string {
  return s
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([BQ])\?([^?]*)\?=/gi, (_m, _cs: string, enc: string, text: string) =>
      enc.toUpperCase() === 'B' ? Buffer.from(text, 'base64').toString('utf8') : decodeQp(text.replace(/_/g, ' ')),
    );
}
