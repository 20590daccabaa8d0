/**
 * The plain WDT → Kingdee loop a person would write without ferry, for `npm run bench`: plain Node fetch,
 * node:crypto and a loop; it imports NOTHING from src/. Page after page of wdt.shop.query over Qimen
 * (md5 sign, wdt-api.md §2.2–2.3), the seed scheme's mapping, one BD_Customer BatchSave per page with
 * IsAutoSubmitAndAudit, authenticated with the official SDKs' signed headers (kingdee-webapi.md §3b) and the
 * session cookie the server hands back. No state, no look-ups, no retries.
 * Args: <connections.json> (the `wdt` and `kingdee` entries written by bench/lib/emulator-process.ts).
 * Prints {records, ms, peakRss}.
 */
import { createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';

let peakRss = process.memoryUsage.rss();
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 50);
const { wdt, kingdee } = JSON.parse(readFileSync(process.argv[2], 'utf8'));

// --- WDT Qimen: system params in the query, business params in the form body, one md5 sign over both.
function beijingTime(ms) {
  const d = new Date(ms + 8 * 3600_000);
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}
function qimenSign(params, secret) {
  const text = Object.keys(params)
    .filter((k) => params[k] !== '')
    .sort()
    .map((k) => k + params[k])
    .join('');
  return createHash('md5').update(secret + text + secret, 'utf8').digest('hex').toUpperCase();
}
async function shopPage(pageNo, pageSize) {
  const business = { page_no: String(pageNo), page_size: String(pageSize) };
  const system = { method: 'wdt.shop.query', app_key: wdt.appKey, target_app_key: wdt.targetAppKey, sid: wdt.sid, format: 'json', v: '2.0', sign_method: 'md5', timestamp: beijingTime(Date.now()) };
  system.sign = qimenSign({ ...business, ...system }, wdt.appSecret);
  const res = await fetch(`${wdt.baseUrl}?${new URLSearchParams(system)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8' },
    body: new URLSearchParams(business).toString(),
  });
  const body = await res.json();
  const r = body.response;
  if (!res.ok || !r || Number(r.errorcode) !== 0) throw new Error(`wdt.shop.query page ${pageNo}: HTTP ${res.status} ${JSON.stringify(body).slice(0, 200)}`);
  return r;
}

// --- Kingdee signed headers: KDHMAC = base64(hex(HMAC-SHA256)), clientSecret = blob XOR the SDKs' fixed key.
const kdHmac = (msg, key) => Buffer.from(createHmac('sha256', key).update(msg, 'utf8').digest('hex'), 'utf8').toString('base64');
function clientSecretOf(appId) {
  const blob = appId.slice(appId.indexOf('_') + 1);
  if (blob.length !== 32) return blob;
  const raw = Buffer.from(blob, 'base64');
  const key = Buffer.from('0054f397c6234378b09ca7d3e5debce7', 'ascii');
  return Buffer.from(raw.map((b, i) => b ^ key[i])).toString('base64');
}
const kdBase = kingdee.baseUrl.endsWith('/') ? kingdee.baseUrl : `${kingdee.baseUrl}/`;
const saveUrl = `${kdBase}Kingdee.BOS.WebApi.ServicesStub.DynamicFormService.BatchSave.common.kdsvc`;
const encPath = encodeURIComponent(new URL(saveUrl).pathname);
const appDataPlain = `${kingdee.acctId},${kingdee.username},${kingdee.lcid ?? 2052},${kingdee.orgNum ?? 0}`;
const staticHeaders = {
  'content-type': 'application/json',
  'X-Api-ClientID': kingdee.appId.split('_')[0],
  'X-Api-Auth-Version': '2.0',
  'x-api-signheaders': 'x-api-timestamp,x-api-nonce',
  'X-Kd-Appkey': kingdee.appId,
  'X-Kd-Appdata': Buffer.from(appDataPlain, 'utf8').toString('base64'),
  'X-Kd-Signature': kdHmac(kingdee.appId + appDataPlain, kingdee.appSecret),
};
const clientSecret = clientSecretOf(kingdee.appId);
let sid;
async function batchSave(model) {
  const ts = String(Math.floor(Date.now() / 1000));
  const headers = {
    ...staticHeaders,
    'x-api-timestamp': ts,
    'x-api-nonce': ts,
    'X-Api-Signature': kdHmac(`POST\n${encPath}\n\nx-api-nonce:${ts}\nx-api-timestamp:${ts}\n`, clientSecret),
    ...(sid ? { 'kdservice-sessionid': sid, cookie: `kdservice-sessionid=${sid}` } : {}),
  };
  const body = { formid: 'BD_Customer', data: { IsAutoSubmitAndAudit: true, IsVerifyBaseDataField: false, Model: model } };
  const res = await fetch(saveUrl, { method: 'POST', headers, body: JSON.stringify(body) });
  const cookie = /kdservice-sessionid=([^;]+)/.exec(res.headers.get('set-cookie') ?? '');
  if (cookie) sid = cookie[1];
  const answer = await res.json();
  const status = answer?.Result?.ResponseStatus;
  if (!res.ok || !status || status.MsgCode === 1) throw new Error(`BatchSave: HTTP ${res.status} ${JSON.stringify(answer).slice(0, 200)}`);
  return (status.SuccessEntitys ?? []).length;
}

// --- The loop: read a page, map it as the seed scheme does, save it.
const t0 = performance.now();
let records = 0;
const pageSize = 100;
for (let pageNo = 0; ; pageNo++) {
  const r = await shopPage(pageNo, pageSize);
  const shops = r.shoplist ?? [];
  const model = [];
  for (const s of shops) {
    const FNumber = s.shop_no == null ? '' : String(s.shop_no);
    const FName = s.shop_name == null ? '' : String(s.shop_name);
    if (!FNumber || !FName || FNumber.length > 80 || FName.length > 80) continue;
    model.push({ FName, FNumber, FCreateOrgId: { FNumber: String(s.remark ?? '') }, FUseOrgId: { FNumber: String(s.remark ?? '') } });
  }
  if (model.length) records += await batchSave(model);
  if (shops.length < pageSize || (pageNo + 1) * pageSize >= Number(r.total_count)) break;
}
const ms = performance.now() - t0;
clearInterval(sampler);
process.stdout.write(`${JSON.stringify({ records, ms, peakRss })}\n`);
