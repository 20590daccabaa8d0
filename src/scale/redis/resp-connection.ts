import { EventEmitter } from 'node:events';
import { connect as netConnect, type Socket } from 'node:net';
import { ConnectionClosedError } from 'bullmq';
import { encodeCommand, RedisReplyError, RespParser, type RespArg, type RespReply } from './resp.ts';

/** Where and how to connect; parsed from `redis://[user:password@]host:port[/db]`. */
export interface RedisTarget {
  host: string;
  port: number;
  username?: string;
  password?: string;
  db?: number;
  /** CLIENT SETNAME after every (re)connect. */
  connectionName?: string;
}

export function parseRedisUrl(url: string): RedisTarget {
  const u = new URL(url);
  if (u.protocol !== 'redis:') throw new Error(`only redis:// URLs are supported (got ${u.protocol}//…)`);
  const db = u.pathname.length > 1 ? Number(u.pathname.slice(1)) : undefined;
  if (db !== undefined && !Number.isInteger(db)) throw new Error(`the Redis database in the URL must be a number (got ${u.pathname.slice(1)})`);
  return {
    host: u.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1',
    port: u.port ? Number(u.port) : 6379,
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(db !== undefined ? { db } : {}),
  };
}

export type ConnectionStatus = 'wait' | 'connecting' | 'ready' | 'reconnecting' | 'end';

interface Pending {
  resolve(v: RespReply): void;
  reject(e: Error): void;
}

/**
 * One TCP connection to Redis with pipelining: commands are written as they come and replies matched
 * in order. Commands issued while (re)connecting wait in an offline queue, like ioredis does (BullMQ's
 * blocking connections rely on that). A connection lost without `end()` is re-established with backoff;
 * commands in flight at that moment fail with ConnectionClosedError (BullMQ treats that as transient).
 * Events: `ready`, `error`, `close`, `reconnecting`, `end`.
 */
export class RespConnection extends EventEmitter {
  status: ConnectionStatus = 'wait';
  private socket: Socket | undefined;
  private readonly parser = new RespParser();
  private inFlight: Pending[] = [];
  private offline: { cmd: Buffer; p: Pending }[] = [];
  private attempts = 0;
  private connecting: Promise<void> | undefined;
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(readonly target: RedisTarget) {
    super();
  }

  /** Resolves when the connection is ready (handshake done). */
  connect(): Promise<void> {
    if (this.status === 'ready') return Promise.resolve();
    if (this.status === 'end') this.status = 'wait';
    this.connecting ??= new Promise<void>((resolve, reject) => {
      const onReady = () => (cleanup(), resolve());
      const onEnd = () => (cleanup(), reject(new ConnectionClosedError()));
      const cleanup = () => {
        this.off('ready', onReady);
        this.off('end', onEnd);
        this.connecting = undefined;
      };
      this.once('ready', onReady);
      this.once('end', onEnd);
      if (this.status === 'wait') this.open();
    });
    return this.connecting;
  }

  send(args: readonly RespArg[]): Promise<RespReply> {
    return new Promise<RespReply>((resolve, reject) => {
      const p: Pending = {
        resolve: (v) => (v instanceof RedisReplyError ? reject(v) : resolve(v)),
        reject,
      };
      this.enqueue(encodeCommand(args), p);
    });
  }

  /** Writes several commands at once; every reply comes back (error replies as values). */
  sendMany(cmds: readonly (readonly RespArg[])[]): Promise<RespReply[]> {
    if (!cmds.length) return Promise.resolve([]);
    return Promise.all(cmds.map((args) => new Promise<RespReply>((resolve, reject) => this.enqueue(encodeCommand(args), { resolve, reject }))));
  }

  /** Closes for good: pending commands fail, no reconnect. */
  end(): void {
    if (this.status === 'end') return;
    this.status = 'end';
    clearTimeout(this.retryTimer);
    this.failAll(new ConnectionClosedError());
    this.socket?.destroy();
    this.socket = undefined;
    this.emit('close');
    this.emit('end');
  }

  /** Drops the socket and connects again (commands in flight fail). */
  reconnect(): void {
    if (this.status === 'end') return;
    this.socket?.destroy();
  }

  private enqueue(cmd: Buffer, p: Pending): void {
    if (this.status === 'end') return p.reject(new ConnectionClosedError());
    if (this.status !== 'ready' || !this.socket) {
      this.offline.push({ cmd, p });
      if (this.status === 'wait') this.connect().catch(() => undefined);
      return;
    }
    this.inFlight.push(p);
    this.socket.write(cmd);
  }

  private open(): void {
    this.status = this.attempts > 0 ? 'reconnecting' : 'connecting';
    this.parser.reset();
    const socket = netConnect({ host: this.target.host, port: this.target.port });
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 30_000);
    this.socket = socket;
    socket.on('data', (chunk: Buffer) => {
      let replies: RespReply[];
      try {
        replies = this.parser.push(chunk);
      } catch (err) {
        this.emit('error', err);
        socket.destroy();
        return;
      }
      for (const r of replies) this.inFlight.shift()?.resolve(r);
    });
    socket.on('error', (err) => {
      if (this.status !== 'end' && this.listenerCount('error')) this.emit('error', err);
    });
    socket.on('close', () => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      this.failInFlight(new ConnectionClosedError());
      if (this.status === 'end') return;
      this.emit('close');
      this.attempts++;
      this.status = 'reconnecting';
      this.emit('reconnecting');
      this.retryTimer = setTimeout(() => this.open(), Math.min(2000, 50 * 2 ** Math.min(this.attempts, 6)));
    });
    socket.on('connect', () => {
      this.handshake(socket).then(
        () => {
          this.attempts = 0;
          this.status = 'ready';
          const queued = this.offline;
          this.offline = [];
          for (const q of queued) this.enqueue(q.cmd, q.p);
          this.emit('ready');
        },
        (err: Error) => {
          if (this.listenerCount('error')) this.emit('error', err);
          socket.destroy();
        },
      );
    });
  }

  /** AUTH / SELECT / CLIENT SETNAME, sent before anything queued. */
  private async handshake(socket: Socket): Promise<void> {
    const t = this.target;
    const cmds: RespArg[][] = [];
    if (t.password) cmds.push(t.username ? ['AUTH', t.username, t.password] : ['AUTH', t.password]);
    if (t.db) cmds.push(['SELECT', t.db]);
    if (t.connectionName) cmds.push(['CLIENT', 'SETNAME', t.connectionName]);
    for (const c of cmds) {
      const reply = await new Promise<RespReply>((resolve, reject) => {
        this.inFlight.push({ resolve, reject });
        socket.write(encodeCommand(c));
      });
      if (reply instanceof RedisReplyError) throw new Error(`Redis ${String(c[0])} failed: ${reply.message}`);
    }
  }

  private failInFlight(err: Error): void {
    const pending = this.inFlight;
    this.inFlight = [];
    for (const p of pending) p.reject(err);
  }

  private failAll(err: Error): void {
    this.failInFlight(err);
    const queued = this.offline;
    this.offline = [];
    for (const q of queued) q.p.reject(err);
  }
}
