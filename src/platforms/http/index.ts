import type { PlatformContext, PlatformProfile, SourceSession, TargetSession } from '../../core/contracts/platform.ts';
import { HttpClient } from './client.ts';
import { HTTP_SECRET_KEYS, HttpConnection } from './connection.ts';
import { HttpReadSpecOptions, HttpWriteSpecOptions } from './spec-options.ts';
import { openHttpSource } from './source.ts';
import { openHttpTarget } from './target.ts';

/**
 * The generic HTTP/JSON profile: any JSON API reachable by metadata — paths, methods, paging, result
 * paths and an error table come from the connection and the scheme (`source.extra` = HttpReadOptions,
 * `target.extra` = HttpWriteOptions). See docs/connectors/http.md.
 */
export const httpProfile: PlatformProfile<HttpConnection> = {
  name: 'http',
  connectionSchema: HttpConnection,
  secretKeys: HTTP_SECRET_KEYS,
  destinationKeys: ['baseUrl', 'auth.tokenUrl', 'tls'],
  readOptions: HttpReadSpecOptions,
  writeOptions: HttpWriteSpecOptions,
  openSource(connection: HttpConnection, ctx: PlatformContext): SourceSession {
    return openHttpSource(new HttpClient(connection, ctx));
  },
  openTarget(connection: HttpConnection, ctx: PlatformContext): TargetSession {
    return openHttpTarget(new HttpClient(connection, ctx));
  },
};

export { HttpConnection, HttpAuth, HttpTls, HTTP_SECRET_KEYS, connectionSecrets } from './connection.ts';
export type { HttpConnectionInput, OAuth2Settings } from './connection.ts';
export { HttpReadOptions, HttpPaging, HttpWindowParams } from './read-options.ts';
export type { HttpReadOptionsInput } from './read-options.ts';
export { HttpWriteOptions, HttpResults, HttpLookup } from './write-options.ts';
export type { HttpWriteOptionsInput } from './write-options.ts';
export { ErrorRule, ErrorTable, ErrorFields, DEFAULT_RULES } from './error-table.ts';
export type { ErrorRuleInput } from './error-table.ts';
export { HttpClient } from './client.ts';
export { HttpReadSpecOptions, HttpWriteSpecOptions } from './spec-options.ts';
