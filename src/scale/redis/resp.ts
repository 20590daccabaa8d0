/**
 * RESP2, the Redis wire protocol: commands go out as arrays of bulk strings; replies are simple strings,
 * errors, integers, bulk strings (null when absent) and arrays (null when absent), nested.
 * Bulk strings are decoded as UTF-8 text (what BullMQ and the rate limiter expect); arguments may be
 * Buffers (BullMQ sends msgpack-packed arguments), which travel byte for byte.
 */

export type RespArg = string | number | Buffer;
export type RespReply = string | number | null | RedisReplyError | RespReply[];

/** An error reply of the server (`-ERR …`, `-NOSCRIPT …`). Inside an array it is a value, not a throw. */
export class RedisReplyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RedisReplyError';
  }
}

const CRLF = Buffer.from('\r\n');

/** Encodes one command. */
export function encodeCommand(args: readonly RespArg[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const a of args) {
    const b = Buffer.isBuffer(a) ? a : Buffer.from(String(a), 'utf8');
    parts.push(Buffer.from(`$${b.length}\r\n`), b, CRLF);
  }
  return Buffer.concat(parts);
}

const INCOMPLETE = Symbol('incomplete');
type Parsed = { value: RespReply; end: number } | typeof INCOMPLETE;

/**
 * Incremental reply parser: `push` bytes as they arrive, get every complete reply back in order.
 * A reply split across chunks is parsed again once the rest has arrived.
 */
export class RespParser {
  private buf: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): RespReply[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const out: RespReply[] = [];
    let pos = 0;
    for (;;) {
      const r = parseAt(this.buf, pos);
      if (r === INCOMPLETE) break;
      out.push(r.value);
      pos = r.end;
    }
    this.buf = pos >= this.buf.length ? Buffer.alloc(0) : this.buf.subarray(pos);
    return out;
  }

  reset(): void {
    this.buf = Buffer.alloc(0);
  }
}

function lineEnd(buf: Buffer, from: number): number {
  const i = buf.indexOf(CRLF, from);
  return i;
}

function parseAt(buf: Buffer, pos: number): Parsed {
  if (pos >= buf.length) return INCOMPLETE;
  const eol = lineEnd(buf, pos + 1);
  if (eol < 0) return INCOMPLETE;
  const type = buf[pos];
  const line = buf.toString('utf8', pos + 1, eol);
  const next = eol + 2;
  switch (type) {
    case 0x2b: // '+'
      return { value: line, end: next };
    case 0x2d: // '-'
      return { value: new RedisReplyError(line), end: next };
    case 0x3a: // ':'
      return { value: Number(line), end: next };
    case 0x24: {
      // '$'
      const len = Number(line);
      if (len < 0) return { value: null, end: next };
      if (buf.length < next + len + 2) return INCOMPLETE;
      return { value: buf.toString('utf8', next, next + len), end: next + len + 2 };
    }
    case 0x2a: {
      // '*'
      const n = Number(line);
      if (n < 0) return { value: null, end: next };
      const items: RespReply[] = [];
      let at = next;
      for (let i = 0; i < n; i++) {
        const r = parseAt(buf, at);
        if (r === INCOMPLETE) return INCOMPLETE;
        items.push(r.value);
        at = r.end;
      }
      return { value: items, end: at };
    }
    default:
      throw new Error(`Redis protocol error: unexpected reply type ${JSON.stringify(String.fromCharCode(type ?? 0))}`);
  }
}
