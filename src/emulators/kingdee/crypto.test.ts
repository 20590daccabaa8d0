import { describe, expect, it } from 'vitest';
import { clientSecretFor, expectedApiSignature, expectedKdSignature, expectedLoginSign } from './crypto.ts';

// The emulator's own implementation must agree with the SDK test vector (reference §3b, §3c).
describe('emulator signature checks', () => {
  const appId = '100001_AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcY';
  const secret = '0123456789abcdef0123456789abcdef';
  it('reproduces the SDK vector', () => {
    expect(clientSecretFor(appId)).toBe('MTI2MGM1Pj9qPDk/OT04KHMiKnd0IXMr');
    expect(expectedKdSignature(appId, '5f0000000000aa,apiuser,2052,0', secret)).toBe(
      'YTU5MDcxYTMzMmNjMGFmOTQ3Mjc0ZmJhMGJlYTk0Mzg1MmFlZTUzNTc2ZjVlNzQxYTdlYThlN2YzZjhiZTFmYw==',
    );
    expect(expectedApiSignature(appId, '/k3cloud/Kingdee.BOS.WebApi.ServicesStub.DynamicFormService.Save.common.kdsvc', '1700000000', '1700000000')).toBe(
      'M2M5NmZiYjQ5NWZmYTIwMTY1ZWE2YjgxZTlhOGUzN2M0NjRjNDExNmJjNzYzZTg4NmEwOWVkMzBjZDM3ZjA1OQ==',
    );
    expect(expectedLoginSign(['5f0000000000aa', 'apiuser', appId, secret, '1700000000'])).toBe(
      '7cbcd0115c9795060cc435e255e3c5fcac8330c692750808717e66ea9b569f76',
    );
  });
});
