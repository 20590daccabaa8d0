// Mock source API of the generic HTTP bench (plain Node, imports nothing of ferry's), run as its own process.
// POST /shops with {"page_no": 1, "page_size": 100} → {"code": 0, "total_count": N, "shoplist": [...]}.
// Args: <N>. Prints {"url": "..."} on stdout once listening; stops on SIGTERM.
import { createServer } from 'node:http';

const total = Number(process.argv[2] ?? 10_000);
const platforms = ['tmall', 'jd', 'pdd', 'douyin', 'kuaishou'];
const base = Date.UTC(2026, 0, 1);

function shop(i) {
  return {
    shop_id: `S${String(i).padStart(8, '0')}`,
    shop_name: `店铺 ${i} 旗舰店`,
    platform: platforms[i % platforms.length],
    status: i % 10 === 0 ? 0 : 1,
    created: new Date(base + i * 60_000).toISOString(),
    owner: { name: `店长${i % 977}`, phone: `138${String(i).padStart(8, '0')}` },
    remark: 'generated for the bench',
  };
}

const server = createServer((req, res) => {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (d) => (body += d));
  req.on('end', () => {
    if (req.method !== 'POST' || !req.url.startsWith('/shops')) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"code":404,"message":"not found"}');
      return;
    }
    let p;
    try {
      p = JSON.parse(body || '{}');
    } catch {
      res.writeHead(400, { 'content-type': 'application/json' }).end('{"code":400,"message":"bad json"}');
      return;
    }
    const pageNo = Number(p.page_no ?? 1);
    const size = Math.min(Number(p.page_size ?? 100), 1000);
    const list = [];
    for (let i = (pageNo - 1) * size; i < Math.min(pageNo * size, total); i++) list.push(shop(i));
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 0, total_count: total, shoplist: list }));
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${server.address().port}` })}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)) && server.closeAllConnections());
