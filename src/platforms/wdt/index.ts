import type { PlatformProfile } from '../../core/contracts/platform.ts';
import { WdtConnection, WDT_SECRET_KEYS } from './connection.ts';
import { WdtReadOptions } from './options.ts';
import { openWdtSource } from './source-session.ts';

/**
 * The WangDianTong (旺店通) enterprise platform profile: open API (`openapi2/<name>.php`) and Qimen (奇门)
 * transports, chosen per connection. Source only (WDT is read by the seed's schemes).
 */
export const wdtProfile: PlatformProfile<WdtConnection> = {
  name: 'wdt',
  connectionSchema: WdtConnection,
  secretKeys: WDT_SECRET_KEYS,
  destinationKeys: ['transport', 'baseUrl'],
  readOptions: WdtReadOptions,
  openSource: openWdtSource,
};

export { WdtReadOptions } from './options.ts';

export { WdtConnection, WdtOpenApiConnection, WdtQimenConnection, WDT_SECRET_KEYS } from './connection.ts';
export { openWdtSource } from './source-session.ts';
export { signOpenApi, signQimen, packOpenApiParams, type LengthUnit } from './sign.ts';
export { formatBeijingTime, parseBeijingTime, unixSeconds } from './beijing-time.ts';
export { resolveApiName, apiTraits, type ApiNames, type ApiTraits } from './api-names.ts';
export { VENDOR_RULES, errorForVendor, errorForHttpStatus, errorForNoAnswer, errorForBadResponse, errorForMalformedJson } from './error-table.ts';
export { windowParams, MAX_PAGE_SIZE, MIN_PAGE_SIZE } from './paging.ts';
