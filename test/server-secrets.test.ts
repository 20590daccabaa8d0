import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, SECRETS, startServerWorld, until, type ServerWorld } from './server-support.ts';

/**
 * Seeds connections with distinctive secrets, exercises every GET endpoint (with real ids), the test
 * action, runs (one succeeding, one failing on a wrong secret), records, replay and metrics — then greps
 * every answer, every log line, the metrics, the console's page and assets, and the database file itself
 * (credentials are sealed at rest) for any of the secrets.
 */
const EXTRA = {
  httpToken: 'HttpBearerToken-u7y6t5r4e3',
  httpHeader: 'X-Api-Key-Value-p0o9i8u7',
  kingdeePassword: 'KdPassw0rd-m1n2b3v4',
  wrongWdt: 'WrongWdtSecret-z1x2c3v4',
};
const ALL = [SECRETS.wdtQimen, SECRETS.kingdeeApp, ...Object.values(EXTRA)];
const SEED = readFileSync(new URL('../examples/shop-to-customer.json', import.meta.url), 'utf8');

describe('ferry serve: no secret in any API response, log line, metric or page', () => {
  let w: ServerWorld;
  const outputs: { where: string; text: string }[] = [];
  beforeAll(async () => {
    w = await startServerWorld({ shops: 12, orgNumbers: ['100', '999'] });
  });
  afterAll(async () => w?.close());

  it('keeps every secret out of everything the server says or writes', async () => {
    const api = await apiClient(w.url);
    const call = async (method: string, path: string, body?: unknown) => {
      const r = await api.call(method, path, body);
      outputs.push({ where: `${method} ${path} → ${r.status}`, text: r.text });
      return r;
    };
    await call('PUT', '/api/connections/wdt', { platform: 'wdt', config: w.connections.wdt });
    await call('PUT', '/api/connections/kingdee', { platform: 'kingdee', config: w.connections.kingdee });
    await call('PUT', '/api/connections/kd-password', { platform: 'kingdee', config: { mode: 'password', baseUrl: w.kingdee.url, acctId: w.kingdee.credentials.acctId, username: 'apiuser', password: EXTRA.kingdeePassword } });
    await call('PUT', '/api/connections/http', { platform: 'http', config: { baseUrl: 'http://127.0.0.1:9/api', headers: { 'X-Api-Key': EXTRA.httpHeader, 'X-Tenant': 'acme' }, auth: { type: 'bearer', token: EXTRA.httpToken } } });
    await call('PUT', '/api/connections/wdt-wrong', { platform: 'wdt', config: { ...w.connections.wdt, appSecret: EXTRA.wrongWdt } });
    // An edit that sends the mask back keeps the stored secret.
    const edited = await call('PUT', '/api/connections/http', { platform: 'http', config: { baseUrl: 'http://127.0.0.1:9/api', headers: { 'X-Api-Key': '***', 'X-Tenant': 'acme2' }, auth: { type: 'bearer', token: '***' } } });
    expect(edited.json.config).toMatchObject({ headers: { 'X-Api-Key': '***', 'X-Tenant': 'acme2' }, auth: { token: '***' } });
    expect(edited.json.secrets).toEqual({ 'auth.token': 'set', 'headers.X-Api-Key': 'set' });

    for (const name of ['wdt', 'kingdee', 'kd-password', 'wdt-wrong']) await call('POST', `/api/connections/${name}/test`);
    await call('POST', '/api/connections/http/test', { api: '/orders' });
    // The emulator's user has another password: a failing login, whose message must not echo the password.
    expect((await call('POST', '/api/connections/kd-password/test')).json.ok).toBe(false);
    expect((await call('POST', '/api/connections/wdt-wrong/test')).json.ok).toBe(false);

    await call('POST', '/api/schemes', { text: SEED });
    const wrong = JSON.parse(SEED);
    wrong.name = 'wrong-secret';
    wrong.source.connection = 'wdt-wrong';
    await call('POST', '/api/schemes', { text: JSON.stringify(wrong) });
    await call('POST', '/api/schemes/preview', { text: SEED, sample: 3 });
    await call('POST', '/api/schemes/preview', { text: JSON.stringify(wrong), sample: 3 });

    const finished = (id: string) => until(async () => ((await api.get(`/api/runs/${id}`)).json.status === 'running' ? undefined : true));
    const ok = await call('POST', `/api/schemes/${encodeURIComponent('店铺同步客户')}/run`);
    await finished(String(ok.json.runId));
    const bad = await call('POST', '/api/schemes/wrong-secret/run');
    await finished(String(bad.json.runId));
    const failed = await call('GET', `/api/runs/${bad.json.runId}`);
    expect(failed.json.status).toBe('failed');
    expect(String(failed.json.reason)).toMatch(/sign|secret/i);

    const rejected = (await call('GET', `/api/records?scheme=${encodeURIComponent('店铺同步客户')}&status=rejected`)).json.rows as { sourceId: string }[];
    const one = rejected[0]!.sourceId;
    await call('POST', `/api/records/${encodeURIComponent('店铺同步客户')}/replay`, { ids: [one] });
    await until(async () => ((await api.get('/api/runs/active')).json.length === 0 ? true : undefined));

    // Every GET route, with real values for its parameters.
    const values: Record<string, string> = { id: String(ok.json.runId), scheme: '店铺同步客户', sourceId: one };
    const gets = w.server.routes.filter((r) => r.method === 'GET' && r.access !== 'public' && !r.url.includes('/stream'));
    for (const r of gets) {
      const names = r.url.startsWith('/api/connections/') ? ['kingdee', 'kd-password', 'http', 'wdt'] : r.url.startsWith('/api/schemes/') ? ['店铺同步客户', 'wrong-secret'] : [undefined];
      for (const n of names) {
        const url = r.url.replace(/:([A-Za-z_]\w*)/g, (_, p: string) => encodeURIComponent(p === 'name' ? n! : values[p] ?? 'x'));
        await call('GET', url.includes('/api/records') && !url.includes('?') && !r.url.includes(':') ? `${url}?scheme=${encodeURIComponent('店铺同步客户')}` : url);
      }
    }
    for (const extra of ['/api/logs/events?limit=1000', '/api/logs/calls?limit=1000', `/api/runs/${bad.json.runId}/events`, `/api/runs/${bad.json.runId}/calls`, '/docs?format=json', '/metrics']) await call('GET', extra);
    for (const r of w.server.routes.filter((x) => x.access === 'public' && x.method === 'GET')) {
      const res = await fetch(`${w.url}${r.url}`);
      outputs.push({ where: `GET ${r.url}`, text: await res.text() });
    }
    expect(outputs.length).toBeGreaterThan(60);
    const metrics = outputs.find((o) => o.where.startsWith('GET /metrics'))!;
    expect(metrics.text).toContain('ferry_api_call_duration_seconds');

    await w.server.close(); // flushes the logs
    for (const f of readdirSync(join(w.dir, 'logs'))) outputs.push({ where: `log ${f}`, text: readFileSync(join(w.dir, 'logs', f), 'utf8') });
    const logLines = outputs.filter((o) => o.where.startsWith('log ')).reduce((n, o) => n + o.text.split('\n').length, 0);
    expect(logLines).toBeGreaterThan(30);
    for (const f of readdirSync(w.dir).filter((x) => x.startsWith('ferry.sqlite'))) outputs.push({ where: `database ${f}`, text: readFileSync(join(w.dir, f)).toString('latin1') });

    // Controls: the grep does see non-secret settings where they are shown and stored.
    expect(outputs.some((o) => o.where.startsWith('GET /api/connections') && o.text.includes('acme2'))).toBe(true);
    expect(outputs.some((o) => o.where.startsWith('database') && o.text.includes('kd-password'))).toBe(true);
    expect(outputs.some((o) => o.where.startsWith('log ') && o.text.includes('wdt.shop.query'))).toBe(true);

    const leaks = outputs.flatMap((o) => ALL.filter((s) => o.text.includes(s)).map((s) => `${s} in ${o.where}`));
    expect(leaks).toEqual([]);
    w.server.close = async () => {}; // already closed
  });
});
