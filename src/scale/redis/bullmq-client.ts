import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { Readable } from 'node:stream';
import type { IRedisClient, IRedisTransaction } from 'bullmq';
import { RedisReplyError, type RespArg, type RespReply } from './resp.ts';
import { RespConnection, type RedisTarget } from './resp-connection.ts';

interface Script {
  sha: string;
  lua: string;
  numberOfKeys: number;
}

type Transform = (r: RespReply) => unknown;
const same: Transform = (r) => r;
const asHash: Transform = (r) => {
  const out: Record<string, string> = {};
  const a = (r ?? []) as string[];
  for (let i = 0; i + 1 < a.length; i += 2) out[a[i]!] = a[i + 1]!;
  return out;
};

/**
 * BullMQ's Redis client interface (IRedisClient) over our RESP connection. bullmq 6 no longer ships a
 * Redis driver (ioredis became an optional peer dependency that this project does not install), so the
 * scale-out mode brings this small one. Lua scripts are cached by SHA: EVALSHA first, EVAL on NOSCRIPT;
 * inside MULTI the scripts are loaded first, since a NOSCRIPT there cannot be retried.
 */
export class BullRedisClient extends EventEmitter implements IRedisClient {
  readonly isCluster = false;
  options: Record<string, unknown>;
  private readonly conn: RespConnection;
  private readonly scripts = new Map<string, Script>();
  private readonly loaded = new Set<string>();

  constructor(readonly target: RedisTarget) {
    super();
    this.options = { host: target.host, port: target.port, ...(target.db ? { db: target.db } : {}) };
    this.conn = new RespConnection(target);
    for (const ev of ['ready', 'close', 'end', 'reconnecting'] as const) this.conn.on(ev, (...a: unknown[]) => this.emit(ev, ...a));
    this.conn.on('error', (err: Error) => {
      if (this.listenerCount('error')) this.emit('error', err);
    });
    // A restarted server forgets its script cache.
    this.conn.on('reconnecting', () => this.loaded.clear());
  }

  get status(): string {
    return this.conn.status;
  }
  set status(v: string) {
    if (v === 'end') this.conn.end();
  }

  connect(): Promise<void> {
    return this.conn.connect();
  }
  disconnect(reconnect = false): void {
    if (reconnect) this.conn.reconnect();
    else this.conn.end();
  }
  async quit(): Promise<string> {
    if (this.conn.status === 'ready') await this.conn.send(['QUIT']).catch(() => undefined);
    this.conn.end();
    return 'OK';
  }
  duplicate(o?: { connectionName?: string }): BullRedisClient {
    const copy = new BullRedisClient({ ...this.target, ...(o?.connectionName ? { connectionName: o.connectionName } : {}) });
    for (const [name, s] of this.scripts) copy.defineCommand(name, { numberOfKeys: s.numberOfKeys, lua: s.lua });
    return copy;
  }

  /** Any command, for the callers outside BullMQ (rate limiter). */
  call(...args: RespArg[]): Promise<RespReply> {
    return this.conn.send(args);
  }

  defineCommand(name: string, d: { numberOfKeys: number; lua: string; readOnly?: boolean }): void {
    this.scripts.set(name, { sha: createHash('sha1').update(d.lua).digest('hex'), lua: d.lua, numberOfKeys: d.numberOfKeys });
    // BullMQ checks `client[name]` to learn whether a command is defined.
    (this as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => this.runCommand(name, args);
  }

  async runCommand(name: string, args: unknown[]): Promise<unknown> {
    const s = this.script(name);
    const rest = scriptArgs(args);
    try {
      return await this.conn.send(['EVALSHA', s.sha, s.numberOfKeys, ...rest]);
    } catch (err) {
      if (!(err instanceof RedisReplyError) || !err.message.startsWith('NOSCRIPT')) throw err;
      this.loaded.add(s.sha);
      return this.conn.send(['EVAL', s.lua, s.numberOfKeys, ...rest]);
    }
  }

  script(name: string): Script {
    const s = this.scripts.get(name);
    if (!s) throw new Error(`BullMQ: unknown command "${name}"`);
    return s;
  }

  /** SCRIPT LOAD the scripts a transaction will EVALSHA, once per connection. */
  async ensureLoaded(shas: Script[]): Promise<void> {
    for (const s of shas) {
      if (this.loaded.has(s.sha)) continue;
      await this.conn.send(['SCRIPT', 'LOAD', s.lua]);
      this.loaded.add(s.sha);
    }
  }

  /** Sends queued commands, wrapped in MULTI/EXEC when `atomic`; replies as [error, result] pairs. */
  async execQueued(cmds: QueuedCommand[], atomic: boolean): Promise<[Error | null, unknown][] | null> {
    if (!cmds.length) return [];
    await this.ensureLoaded(cmds.flatMap((c) => (c.script ? [c.script] : [])));
    if (!atomic) {
      const replies = await this.conn.sendMany(cmds.map((c) => c.args));
      return replies.map((r, i) => (r instanceof RedisReplyError ? [r, null] : [null, cmds[i]!.transform(r)]));
    }
    const replies = await this.conn.sendMany([['MULTI'], ...cmds.map((c) => c.args), ['EXEC']]);
    const exec = replies[replies.length - 1];
    if (exec instanceof RedisReplyError) throw exec;
    if (exec === null) return null;
    return (exec as RespReply[]).map((r, i) => (r instanceof RedisReplyError ? [r, null] : [null, cmds[i]!.transform(r)]));
  }

  multi(): IRedisTransaction {
    return new Transaction(this, true);
  }
  pipeline(): IRedisTransaction {
    return new Transaction(this, false);
  }

  async hgetall(key: string): Promise<Record<string, string>> {
    return asHash(await this.call('HGETALL', key)) as Record<string, string>;
  }
  async hget(key: string, field: string): Promise<string | null> {
    return (await this.call('HGET', key, field)) as string | null;
  }
  async hmget(key: string, ...fields: string[]): Promise<(string | null)[]> {
    return (await this.call('HMGET', key, ...fields)) as (string | null)[];
  }
  async hset(key: string, data: Record<string, string | number>): Promise<number> {
    return (await this.call('HSET', key, ...flatPairs(data))) as number;
  }
  async hdel(key: string, ...fields: string[]): Promise<number> {
    return (await this.call('HDEL', key, ...fields)) as number;
  }
  async hexists(key: string, field: string): Promise<number> {
    return (await this.call('HEXISTS', key, field)) as number;
  }
  async get(key: string): Promise<string | null> {
    return (await this.call('GET', key)) as string | null;
  }
  async set(key: string, value: string | number, o?: { PX?: number; EX?: number }): Promise<string | null> {
    const extra: RespArg[] = o?.PX != null ? ['PX', o.PX] : o?.EX != null ? ['EX', o.EX] : [];
    return (await this.call('SET', key, value, ...extra)) as string | null;
  }
  async del(...keys: string[]): Promise<number> {
    return keys.length ? ((await this.call('DEL', ...keys)) as number) : 0;
  }
  async zrange(key: string, start: number, end: number, o?: { WITHSCORES?: boolean }): Promise<string[]> {
    return (await this.call('ZRANGE', key, start, end, ...(o?.WITHSCORES ? ['WITHSCORES'] : []))) as string[];
  }
  async zrevrange(key: string, start: number, end: number, o?: { WITHSCORES?: boolean }): Promise<string[]> {
    return (await this.call('ZREVRANGE', key, start, end, ...(o?.WITHSCORES ? ['WITHSCORES'] : []))) as string[];
  }
  async zcard(key: string): Promise<number> {
    return (await this.call('ZCARD', key)) as number;
  }
  async zscore(key: string, member: string): Promise<string | null> {
    return (await this.call('ZSCORE', key, member)) as string | null;
  }
  async lrange(key: string, start: number, end: number): Promise<string[]> {
    return (await this.call('LRANGE', key, start, end)) as string[];
  }
  async llen(key: string): Promise<number> {
    return (await this.call('LLEN', key)) as number;
  }
  async ltrim(key: string, start: number, end: number): Promise<string> {
    return (await this.call('LTRIM', key, start, end)) as string;
  }
  async lpos(key: string, value: string): Promise<number | null> {
    return (await this.call('LPOS', key, value)) as number | null;
  }
  async smembers(key: string): Promise<string[]> {
    return (await this.call('SMEMBERS', key)) as string[];
  }
  async xadd(key: string, id: string, fields: Record<string, string | number>, o?: { MAXLEN?: number; approximate?: boolean }): Promise<string> {
    const trim: RespArg[] = o?.MAXLEN != null ? ['MAXLEN', ...(o.approximate ? ['~'] : []), o.MAXLEN] : [];
    return (await this.call('XADD', key, ...trim, id, ...flatPairs(fields))) as string;
  }
  async xread(streams: { key: string; id: string }[], o?: { BLOCK?: number; COUNT?: number }): Promise<unknown> {
    const opts: RespArg[] = [...(o?.COUNT != null ? ['COUNT', o.COUNT] : []), ...(o?.BLOCK != null ? ['BLOCK', o.BLOCK] : [])];
    return this.call('XREAD', ...opts, 'STREAMS', ...streams.map((s) => s.key), ...streams.map((s) => s.id));
  }
  async xtrim(key: string, strategy: 'MAXLEN', threshold: number, o?: { approximate?: boolean }): Promise<number> {
    return (await this.call('XTRIM', key, strategy, ...(o?.approximate ? ['~'] : []), threshold)) as number;
  }
  async bzpopmin(key: string, timeout: number): Promise<[string, string, string] | null> {
    return (await this.call('BZPOPMIN', key, timeout)) as [string, string, string] | null;
  }
  async info(): Promise<string> {
    return (await this.call('INFO')) as string;
  }
  clientSetName(name: string): Promise<unknown> {
    return this.call('CLIENT', 'SETNAME', name);
  }
  async clientList(): Promise<string> {
    return (await this.call('CLIENT', 'LIST')) as string;
  }
  async clientInfo(): Promise<string> {
    return (await this.call('CLIENT', 'INFO')) as string;
  }
  async scan(cursor: string | number, o: { MATCH?: string; COUNT?: number }): Promise<[string, string[]]> {
    const opts: RespArg[] = [...(o.MATCH ? ['MATCH', o.MATCH] : []), ...(o.COUNT ? ['COUNT', o.COUNT] : [])];
    return (await this.call('SCAN', cursor, ...opts)) as [string, string[]];
  }
  scanStream(o: { match: string; count?: number }): Readable {
    return Readable.from(this.scanAll(o.match, o.count), { objectMode: true });
  }
  private async *scanAll(match: string, count?: number): AsyncGenerator<string[]> {
    let cursor = '0';
    do {
      const [next, keys] = await this.scan(cursor, { MATCH: match, ...(count ? { COUNT: count } : {}) });
      cursor = next;
      if (keys.length) yield keys;
    } while (cursor !== '0');
  }
}

interface QueuedCommand {
  args: RespArg[];
  transform: Transform;
  script?: Script;
}

class Transaction implements IRedisTransaction {
  private readonly cmds: QueuedCommand[] = [];
  constructor(
    private readonly client: BullRedisClient,
    private readonly atomic: boolean,
  ) {}
  private add(args: RespArg[], transform: Transform = same, script?: Script): this {
    this.cmds.push({ args, transform, ...(script ? { script } : {}) });
    return this;
  }
  hgetall(key: string): this {
    return this.add(['HGETALL', key], asHash);
  }
  hset(key: string, data: Record<string, string | number>): this {
    return this.add(['HSET', key, ...flatPairs(data)]);
  }
  hscan(key: string, cursor: string | number, o?: { COUNT?: number }): this {
    return this.add(['HSCAN', key, cursor, ...(o?.COUNT ? ['COUNT', o.COUNT] : [])]);
  }
  smembers(key: string): this {
    return this.add(['SMEMBERS', key]);
  }
  sscan(key: string, cursor: string | number, o?: { COUNT?: number }): this {
    return this.add(['SSCAN', key, cursor, ...(o?.COUNT ? ['COUNT', o.COUNT] : [])]);
  }
  zrange(key: string, start: number, end: number): this {
    return this.add(['ZRANGE', key, start, end]);
  }
  lrange(key: string, start: number, end: number): this {
    return this.add(['LRANGE', key, start, end]);
  }
  llen(key: string): this {
    return this.add(['LLEN', key]);
  }
  del(...keys: string[]): this {
    return this.add(['DEL', ...keys]);
  }
  runCommand(name: string, args: unknown[]): this {
    const s = this.client.script(name);
    return this.add(['EVALSHA', s.sha, s.numberOfKeys, ...scriptArgs(args)], same, s);
  }
  exec(): Promise<[Error | null, unknown][] | null> {
    return this.client.execQueued(this.cmds, this.atomic);
  }
}

/** Script arguments as BullMQ passes them (one array, or spread); null/undefined keep their slot as ''. */
function scriptArgs(args: unknown[]): RespArg[] {
  const list = args.length === 1 && Array.isArray(args[0]) ? (args[0] as unknown[]) : args;
  return list.map((a) => (Buffer.isBuffer(a) ? a : a === undefined || a === null ? '' : typeof a === 'number' ? a : String(a)));
}

function flatPairs(data: Record<string, string | number>): RespArg[] {
  return Object.entries(data).flatMap(([k, v]) => [k, v]);
}
