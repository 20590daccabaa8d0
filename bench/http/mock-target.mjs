// Mock target API of the generic HTTP bench (plain Node, imports nothing of ferry's), run as its own process.
// POST /shops with a bare JSON array of rows → {"code": 0, "saved": n}. GET /__stats → {"rows", "distinct"};
// POST /__reset forgets every row. Prints {"url": "..."} on stdout once listening; stops on SIGTERM.
import { createServer } from 'node:http';

let rows = 0;
let ids = new Set();

const json = (res, status, v) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(v));

const server = createServer((req, res) => {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (d) => (body += d));
  req.on('end', () => {
    if (req.method === 'GET' && req.url === '/__stats') return json(res, 200, { rows, distinct: ids.size });
    if (req.method === 'POST' && req.url === '/__reset') {
      rows = 0;
      ids = new Set();
      return json(res, 200, { ok: true });
    }
    if (req.method !== 'POST' || !req.url.startsWith('/shops')) return json(res, 404, { code: 404, message: 'not found' });
    let list;
    try {
      list = JSON.parse(body);
    } catch {
      return json(res, 400, { code: 400, message: 'bad json' });
    }
    if (!Array.isArray(list)) return json(res, 400, { code: 400, message: 'body must be a JSON array' });
    for (const r of list) {
      rows++;
      ids.add(r.id);
    }
    json(res, 200, { code: 0, saved: list.length });
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${server.address().port}` })}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)) && server.closeAllConnections());
