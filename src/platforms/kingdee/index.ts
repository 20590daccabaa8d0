import type { PlatformContext, PlatformProfile } from '../../core/contracts/platform.ts';
import { KingdeeClient } from './client.ts';
import { KINGDEE_SECRET_KEYS, KingdeeConnectionSchema } from './connection.ts';
import type { KingdeeConnection } from './connection.ts';
import { KingdeeReadOptions, KingdeeWriteOptions, readFieldKeys } from './options.ts';
import { openKingdeeSource } from './source.ts';
import { openKingdeeTarget } from './write.ts';

/**
 * The Kingdee K3Cloud (金蝶云星空) WebAPI profile: signed headers or session login, any FormId and
 * operation from scheme metadata, per-record BatchSave outcomes, look-up by number, ExecuteBillQuery source.
 * See docs/connectors/kingdee.md and ../shared/reference/kingdee-webapi.md.
 */
export const kingdeeProfile: PlatformProfile<KingdeeConnection> = {
  name: 'kingdee',
  connectionSchema: KingdeeConnectionSchema,
  secretKeys: KINGDEE_SECRET_KEYS,
  destinationKeys: ['baseUrl'],
  readOptions: KingdeeReadOptions,
  writeOptions: KingdeeWriteOptions,
  declaredFields(spec) {
    const parsed = KingdeeReadOptions.safeParse(spec);
    if (!parsed.success) return undefined;
    const fields = readFieldKeys((parsed.data.extra as { FieldKeys?: unknown }).FieldKeys);
    return fields.length ? { fields, where: 'source.extra.FieldKeys' } : undefined;
  },
  openSource: (connection: KingdeeConnection, ctx: PlatformContext) => openKingdeeSource(new KingdeeClient(connection, ctx)),
  openTarget: (connection: KingdeeConnection, ctx: PlatformContext) => openKingdeeTarget(new KingdeeClient(connection, ctx)),
};

export { KingdeeClient } from './client.ts';
export type { FormCall } from './client.ts';
export { KingdeeConnectionSchema, KINGDEE_SECRET_KEYS } from './connection.ts';
export type { KingdeeConnection } from './connection.ts';
export { buildSignedHeaders, deriveClientSecret, kdHmac, loginSign } from './signing.ts';
export { openKingdeeSource } from './source.ts';
export { openKingdeeTarget } from './write.ts';
export { KingdeeReadOptions, KingdeeWriteOptions, KingdeeReadExtra, KingdeeWriteExtra } from './options.ts';
