// The plain loop a person would write without ferry: plain Node fetch, imports nothing from src/.
// Read page after page (POST {page_no, page_size}), map 6 fields, POST the rows as a bare JSON array.
// Args: <sourceUrl> <targetUrl>. Prints {"records": n} on stdout.
const [sourceUrl, targetUrl] = process.argv.slice(2);
const pageSize = 100;
const headers = { 'content-type': 'application/json' };
let records = 0;
for (let page = 1; ; page++) {
  const res = await fetch(`${sourceUrl}/shops`, { method: 'POST', headers, body: JSON.stringify({ page_no: page, page_size: pageSize }) });
  if (!res.ok) throw new Error(`source answered ${res.status}`);
  const body = await res.json();
  if (body.code !== 0) throw new Error(`source code ${body.code}`);
  const rows = body.shoplist.map((s) => ({
    id: s.shop_id,
    name: s.shop_name,
    platform: s.platform,
    active: s.status === 1,
    created_at: s.created,
    owner_name: s.owner?.name,
  }));
  if (rows.length) {
    const w = await fetch(`${targetUrl}/shops`, { method: 'POST', headers, body: JSON.stringify(rows) });
    if (!w.ok) throw new Error(`target answered ${w.status}`);
    const out = await w.json();
    if (out.code !== 0) throw new Error(`target code ${out.code}`);
    records += rows.length;
  }
  if (rows.length < pageSize || page * pageSize >= body.total_count) break;
}
process.stdout.write(`${JSON.stringify({ records })}\n`);
