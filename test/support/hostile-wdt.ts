import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A hostile WDT (Qimen router) for the tests of issue 12: it answers wdt.shop.query the way a broken or
 * malicious vendor would. Signatures are not checked; every page is built by `mode`.
 * - endless:   HTTP 200 and a shop list that never ends (written with back-pressure until the client hangs up);
 * - bigField:  one shop whose name is `bigFieldBytes` long (50 MB by default), chunked, no Content-Length;
 * - tooMany:   `tooMany` records on page 0 whatever page_size was asked;
 * - types:     shops 1–3 fine, shop 4 has an object shop_no, shop 5 an array shop_name;
 * - gbk:       the shops' names in GBK bytes, with `charset=GBK` in Content-Type when `gbkHeader` is set.
 */
export type HostileMode = 'endless' | 'bigField' | 'tooMany' | 'types' | 'gbk';

export interface HostileOptions {
  mode: HostileMode;
  tooMany?: number;
  bigFieldBytes?: number;
  gbkHeader?: boolean;
  /** Number of shops for `gbk` (one page when ≤ 100). */
  shops?: number;
}

export interface HostileWdt {
  url: string;
  /** Calls answered so far. */
  calls: number;
  /** Bytes written to clients so far. */
  bytesSent: number;
  close(): Promise<void>;
}

export function shop(i: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { shop_id: i, shop_no: `HS${String(i).padStart(5, '0')}`, shop_name: `测试店铺${i}`, platform_id: 1, is_disabled: 0, remark: '100', ...extra };
}

const HEAD = '{"response":{"errorcode":0,"message":"","total_count":';

/** GBK bytes of `text` (the inverse of TextDecoder('gbk') over its two-byte range; ASCII as is). */
export function encodeGbk(text: string): Buffer {
  const table = gbkTable();
  const out: number[] = [];
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code < 0x80) out.push(code);
    else {
      const pair = table.get(ch);
      if (pair === undefined) throw new Error(`no GBK code for ${ch}`);
      out.push(pair >> 8, pair & 0xff);
    }
  }
  return Buffer.from(out);
}

let cachedTable: Map<string, number> | undefined;
function gbkTable(): Map<string, number> {
  if (cachedTable) return cachedTable;
  const d = new TextDecoder('gbk');
  const t = new Map<string, number>();
  for (let lead = 0x81; lead <= 0xfe; lead++)
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      if (trail === 0x7f) continue;
      const ch = d.decode(Uint8Array.of(lead, trail));
      if (ch.length === 1 && ch !== '\uFFFD' && !t.has(ch)) t.set(ch, (lead << 8) | trail);
    }
  cachedTable = t;
  return t;
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  let body = '';
  for await (const chunk of req) body += String(chunk);
  const params = new URLSearchParams(body);
  for (const [k, v] of new URL(req.url ?? '/', 'http://x').searchParams) params.set(k, v);
  return params;
}

function write(res: ServerResponse, chunk: string | Buffer): Promise<boolean> {
  if (res.destroyed) return Promise.resolve(false);
  if (res.write(chunk)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      res.off('drain', onDrain);
      res.off('close', onClose);
      resolve(ok);
    };
    const onDrain = () => done(true);
    const onClose = () => done(false);
    res.on('drain', onDrain);
    res.on('close', onClose);
  });
}

export async function startHostileWdt(o: HostileOptions): Promise<HostileWdt> {
  const state = { calls: 0, bytesSent: 0 };
  const send = async (res: ServerResponse, chunk: string | Buffer) => {
    state.bytesSent += Buffer.byteLength(chunk);
    return write(res, chunk);
  };
  const server = createServer((req, res) => {
    void (async () => {
      const form = await readForm(req);
      state.calls++;
      const pageNo = Number(form.get('page_no') ?? 0);
      const json = (doc: unknown, contentType = 'application/json;charset=utf-8') => {
        const text = JSON.stringify(doc);
        state.bytesSent += Buffer.byteLength(text);
        res.writeHead(200, { 'content-type': contentType });
        res.end(text);
      };
      const page = (shops: unknown[], total = shops.length) => json({ response: { errorcode: 0, message: '', total_count: total, shoplist: shops } });
      switch (o.mode) {
        case 'endless': {
          res.writeHead(200, { 'content-type': 'application/json;charset=utf-8' });
          if (!(await send(res, `${HEAD}1000000000,"shoplist":[`))) return;
          for (let i = 1; ; i++) {
            const rows = Array.from({ length: 100 }, (_, k) => JSON.stringify(shop(i * 100 + k))).join(',');
            if (!(await send(res, `${rows},`))) return;
          }
        }
        case 'bigField': {
          if (pageNo > 0) return page([], 1);
          res.writeHead(200, { 'content-type': 'application/json;charset=utf-8' });
          const prefix = JSON.stringify(shop(1)).replace(/"shop_name":"[^"]*"/, '"shop_name":"');
          if (!(await send(res, `${HEAD}1,"shoplist":[${prefix}`))) return;
          const block = '大'.repeat(1024 * 1024 / 3);
          const total = o.bigFieldBytes ?? 50 * 1024 * 1024;
          for (let sent = 0; sent < total; sent += Buffer.byteLength(block)) if (!(await send(res, block))) return;
          await send(res, '"}]}}');
          res.end();
          return;
        }
        case 'tooMany': {
          if (pageNo > 0) return page([], 0);
          const n = o.tooMany ?? 200_000;
          res.writeHead(200, { 'content-type': 'application/json;charset=utf-8' });
          if (!(await send(res, `${HEAD}${n},"shoplist":[`))) return;
          for (let i = 0; i < n; i += 1000) {
            const rows = Array.from({ length: Math.min(1000, n - i) }, (_, k) => JSON.stringify(shop(i + k + 1))).join(',');
            if (!(await send(res, i + 1000 < n ? `${rows},` : rows))) return;
          }
          await send(res, ']}}');
          res.end();
          return;
        }
        case 'types': {
          if (pageNo > 0) return page([], 5);
          return page([shop(1), shop(2), shop(3), shop(4, { shop_no: { no: 'HS00005' } }), shop(5, { shop_name: ['数组', '名字'] })]);
        }
        case 'gbk': {
          const n = o.shops ?? 3;
          const shops = Array.from({ length: Math.min(100, Math.max(0, n - pageNo * 100)) }, (_, k) => shop(pageNo * 100 + k + 1, { shop_name: `测试对象${pageNo * 100 + k + 1}` }));
          const bytes = encodeGbk(JSON.stringify({ response: { errorcode: 0, message: '', total_count: n, shoplist: shops } }));
          state.bytesSent += bytes.length;
          res.writeHead(200, { 'content-type': o.gbkHeader ? 'application/json; charset=GBK' : 'application/json' });
          res.end(bytes);
          return;
        }
      }
    })().catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/router/qm`,
    get calls() {
      return state.calls;
    },
    get bytesSent() {
      return state.bytesSent;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
