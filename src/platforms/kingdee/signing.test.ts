import { describe, expect, it } from 'vitest';
import { KingdeeClient } from './client.ts';
import { KingdeeConnectionSchema } from './connection.ts';
import { buildSignedHeaders, deriveClientSecret, loginSign } from './signing.ts';

// Test vector of reference §3b/§3c (identical to the 8.2.0 SDK's BuildHeader output).
const V = {
  appId: '100001_AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcY',
  appSecret: '0123456789abcdef0123456789abcdef',
  acctId: '5f0000000000aa',
  username: 'apiuser',
  url: 'https://erp.example.com/k3cloud/Kingdee.BOS.WebApi.ServicesStub.DynamicFormService.Save.common.kdsvc',
  clientSecret: 'MTI2MGM1Pj9qPDk/OT04KHMiKnd0IXMr',
  appData: 'NWYwMDAwMDAwMDAwYWEsYXBpdXNlciwyMDUyLDA=',
  kdSignature: 'YTU5MDcxYTMzMmNjMGFmOTQ3Mjc0ZmJhMGJlYTk0Mzg1MmFlZTUzNTc2ZjVlNzQxYTdlYThlN2YzZjhiZTFmYw==',
  apiSignature: 'M2M5NmZiYjQ5NWZmYTIwMTY1ZWE2YjgxZTlhOGUzN2M0NjRjNDExNmJjNzYzZTg4NmEwOWVkMzBjZDM3ZjA1OQ==',
  loginSign: '7cbcd0115c9795060cc435e255e3c5fcac8330c692750808717e66ea9b569f76',
};

describe('kingdee signing', () => {
  it('derives the client secret of the SDK test vector', () => {
    expect(deriveClientSecret(V.appId)).toEqual({ clientId: '100001', clientSecret: V.clientSecret });
  });

  it('builds the signed headers of the SDK test vector', () => {
    const h = buildSignedHeaders({ url: V.url, acctId: V.acctId, username: V.username, appId: V.appId, appSecret: V.appSecret, lcid: 2052, orgNum: '0', timestamp: '1700000000' });
    expect(h['X-Kd-Appdata']).toBe(V.appData);
    expect(h['X-Kd-Signature']).toBe(V.kdSignature);
    expect(h['X-Api-Signature']).toBe(V.apiSignature);
    expect(h['X-Api-ClientID']).toBe('100001');
    expect(h['x-api-nonce']).toBe('1700000000');
    expect(h['x-api-signheaders']).toBe('x-api-timestamp,x-api-nonce');
  });

  it('computes the LoginBySign signature of the test vector', () => {
    expect(loginSign(V.acctId, V.username, V.appId, V.appSecret, '1700000000')).toBe(V.loginSign);
  });

  it('sends exactly those headers on a real call (clock injected)', async () => {
    const conn = KingdeeConnectionSchema.parse({ mode: 'signed', baseUrl: 'https://erp.example.com/k3cloud', acctId: V.acctId, username: V.username, appId: V.appId, appSecret: V.appSecret });
    let seen: Record<string, string> = {};
    let url = '';
    const fakeFetch = (async (u: string, init: RequestInit) => {
      url = u;
      seen = init.headers as Record<string, string>;
      return new Response(JSON.stringify({ Result: { ResponseStatus: { IsSuccess: true, MsgCode: 0, Errors: [], SuccessEntitys: [] } } }), { status: 200 });
    }) as typeof fetch;
    const client = new KingdeeClient(conn, { connection: 'erp', fetch: fakeFetch, now: () => 1_700_000_000_000, timeoutMs: 1000 });
    await client.form({ op: 'Save', formId: 'BD_Customer', data: { Model: {} }, label: { connection: 'erp', operation: 'Save' }, write: true, signal: new AbortController().signal });
    expect(url).toBe(V.url);
    expect(seen['X-Kd-Signature']).toBe(V.kdSignature);
    expect(seen['X-Api-Signature']).toBe(V.apiSignature);
    expect(seen['x-api-timestamp']).toBe('1700000000');
  });
});
