import type { ApiCallRow, ApiStatBucket, ApiTokenRow, LineageRow, RunEventRow, StoredConnection, StoredScheme, UserRow, UserRole, EventLevel } from '../../core/contracts/server-store.ts';
import type { Row } from './rows.ts';

/** Row ↔ object mapping of the server tables (snake_case columns, camelCase fields). */

const str = (v: unknown): string | null => (v == null ? null : String(v));
const num = (v: unknown): number | null => (v == null ? null : Number(v));

export const userFromRow = (r: Row): UserRow => ({
  id: String(r.id),
  username: String(r.username),
  passwordHash: String(r.password_hash),
  role: String(r.role) as UserRole,
  createdAt: Number(r.created_at),
  disabled: Number(r.disabled) === 1,
  mustChangePassword: Number(r.must_change_password ?? 0) === 1,
});

export const tokenFromRow = (r: Row): ApiTokenRow => ({
  id: String(r.id),
  name: String(r.name),
  userId: String(r.user_id),
  tokenHash: String(r.token_hash),
  prefix: String(r.prefix),
  createdAt: Number(r.created_at),
  lastUsedAt: num(r.last_used_at),
  expiresAt: num(r.expires_at),
});

export const connectionFromRow = (r: Row): StoredConnection => ({
  name: String(r.name),
  platform: String(r.platform),
  description: str(r.description),
  sealed: String(r.sealed),
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});

export const schemeFromRow = (r: Row): StoredScheme => ({
  name: String(r.name),
  text: String(r.text),
  enabled: Number(r.enabled) === 1,
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
  version: Number(r.version),
});

export const eventFromRow = (r: Row): RunEventRow => ({
  runId: String(r.run_id),
  scheme: String(r.scheme),
  at: Number(r.at),
  type: String(r.type),
  level: String(r.level) as EventLevel,
  message: String(r.message),
  data: str(r.data),
});

export const apiCallFromRow = (r: Row): ApiCallRow => ({
  runId: String(r.run_id),
  scheme: String(r.scheme),
  at: Number(r.at),
  platform: String(r.platform),
  connection: String(r.connection),
  api: String(r.api),
  endpoint: String(r.endpoint),
  durationMs: Number(r.duration_ms),
  ok: Number(r.ok) === 1,
  status: num(r.status),
  code: str(r.code),
  message: str(r.message),
});

export const statFromRow = (r: Row): ApiStatBucket => ({
  connection: String(r.connection),
  platform: String(r.platform),
  api: String(r.api),
  bucketStart: Number(r.bucket_start),
  calls: Number(r.calls),
  errors: Number(r.errors),
  totalMs: Number(r.total_ms),
  hist: JSON.parse(String(r.hist)) as number[],
});

export const lineageFromRow = (r: Row): LineageRow => ({
  scheme: String(r.scheme),
  sourceId: String(r.source_id),
  runId: String(r.run_id),
  sourceData: str(r.source_data),
  payload: str(r.payload),
  response: str(r.response),
  targetId: str(r.target_id),
  updatedAt: Number(r.updated_at),
});
