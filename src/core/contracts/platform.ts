import type { z } from 'zod';
import type { JsonObject } from '../records.ts';
import type { FerryError } from '../errors.ts';

/**
 * The contract between the engine and a vendor profile (wdt, kingdee, http).
 *
 * A profile knows one vendor's transport: auth/signing, envelope, error table, paging convention.
 * Which API to call comes from scheme metadata (ReadSpec / WriteSpec), never from per-API code.
 * Profiles never sleep, retry or persist: a failed call throws a FerryFailure whose `error.action`
 * tells the engine what to do; the engine owns retries, backoff, rate limits and state.
 */

/** A JSON-serialisable position in a source; stored as the checkpoint and handed back to resume. */
export type Cursor = JsonObject;

/** Half-open time range [start, end) on the source's modified time. */
export interface TimeWindow {
  start: Date;
  end: Date;
}

export interface ReadSpec {
  /** Vendor API name as the scheme writes it, e.g. `wdt.shop.query`, `BD_Customer` (Kingdee query source). */
  api: string;
  /** HTTP method from the scheme (`POST` for WDT and Kingdee). */
  method: string;
  /** Static request parameters, already rendered from the scheme's `request[]` (paging keys excluded). */
  params: JsonObject;
  /** Records per page requested from the vendor. */
  pageSize: number;
  /** Where the records are in a response, when the scheme overrides the profile's default. */
  listKey?: string;
  /** For incremental reads: the window to read. The engine splits long ranges with `maxWindowMs`. */
  window?: TimeWindow;
  /** Profile-specific extras from the scheme's source block (e.g. `fieldKeys` for a Kingdee query). */
  extra?: JsonObject;
}

export interface SourcePage {
  records: JsonObject[];
  /** Cursor that resumes right after this page; null when the read (or window) is complete. */
  next: Cursor | null;
  /** Label for messages and refs, e.g. `3` or `2026-11-01T00:00/page 3`. */
  label: string;
  /** Total reported by the vendor, when it reports one. */
  totalCount?: number;
}

export interface SourceSession {
  /** The cursor of the first page of a read. */
  first(spec: ReadSpec): Cursor;
  /** Fetch one page. Throws FerryFailure on failure; never retries. */
  fetchPage(spec: ReadSpec, cursor: Cursor, signal: AbortSignal): Promise<SourcePage>;
  /** Longest time window the vendor allows for this API, when it has start/end time parameters. */
  maxWindowMs?(api: string): number | undefined;
  close?(): Promise<void>;
}

export interface WriteSpec {
  /** Target API/operation as the scheme writes it, e.g. `batchSave`. */
  api: string;
  method: string;
  /** Non-row request parameters rendered from `otherRequest[]` (FormId, IsAutoSubmitAndAudit, …). */
  params: JsonObject;
  /** The scheme's `operation` block (rowsKey, rows, method), passed through for the profile to read. */
  operation?: JsonObject;
  /** Target field holding the business number used for look-ups and de-duplication, e.g. `FNumber`. */
  numberField?: string;
  /** Profile-specific extras from the scheme's target block. */
  extra?: JsonObject;
}

export interface WriteItem {
  /** Opaque key the engine uses to match the outcome back to its record (unique within a batch). */
  key: string;
  /** Mapped target payload (one Model row for Kingdee). */
  payload: JsonObject;
  /** Business number of the target record (payload[numberField]), when the scheme has one. */
  number?: string;
  /** Target's internal id when the record exists and is to be updated. */
  existingId?: string;
  /** Target fields to update (Kingdee NeedUpDateFields); all mapped fields when absent. */
  updateFields?: string[];
  /**
   * The record was saved by an earlier attempt (its id is `existingId`) and only its follow-up steps are
   * left, from this one on (a `pending.step` the target answered before, e.g. Kingdee `Audit`): the target
   * must not save it again.
   */
  resume?: string;
}

/** A follow-up step of a saved record (Kingdee Submit, Audit) that did not complete. */
export interface PendingStep {
  step: string;
  /** retry / retry_after: the engine sends the record again with `resume: step`; otherwise it stays incomplete. */
  error: FerryError;
}

export type WriteOutcome =
  | { key: string; status: 'saved'; targetId: string; targetNumber?: string; created: boolean; response?: JsonObject; pending?: PendingStep }
  | { key: string; status: 'rejected'; error: FerryError; response?: JsonObject }
  | { key: string; status: 'retryable'; error: FerryError };

export interface ExistingRecord {
  id: string;
  number: string;
  /** A follow-up step the record still waits for, where the target can tell (a Kingdee record found unaudited). */
  pending?: PendingStep;
}

export interface TargetSession {
  /** Largest batch the vendor accepts in one call for this spec. */
  maxBatchSize(spec: WriteSpec): number;
  /** How many writes may be in flight at once against this connection. */
  maxInFlight: number;
  /**
   * Look up existing target records by business number, in bulk. Returns the ones that exist.
   * Absent when the target cannot be queried (then de-duplication relies on the ledger alone).
   */
  lookup?(spec: WriteSpec, numbers: string[], signal: AbortSignal): Promise<Map<string, ExistingRecord>>;
  /**
   * Whether `lookup` can really answer for this spec (e.g. an HTTP target without `extra.lookup` cannot).
   * Assumed true when `lookup` exists and this is absent. Rows whose outcome is unknown are never re-sent
   * to a target that cannot be looked up.
   */
  canLookup?(spec: WriteSpec): boolean;
  /**
   * Whether sending the very same call again (same items) is safe because the target de-duplicates it
   * (e.g. an idempotency key derived from the rows). Lets a call whose answer was lost be re-sent to a
   * target that cannot be looked up; false when absent.
   */
  idempotentResend?(spec: WriteSpec): boolean;
  /**
   * Write one batch; returns exactly one outcome per item (any order, matched by `key`).
   * A failure of the whole call (HTTP 5xx, timeout, bad credentials) throws a FerryFailure; when the request
   * may have been applied, its error has `maybeApplied: true` and the engine looks the items up first.
   */
  write(spec: WriteSpec, items: WriteItem[], signal: AbortSignal): Promise<WriteOutcome[]>;
  /** Count of target records among `numbers` (for reconciliation); defaults to lookup(). */
  close?(): Promise<void>;
}

/** One call to a vendor, reported for logs, metrics and the API asset view. Never holds secrets. */
export interface ApiCallEvent {
  platform: string;
  connection: string;
  api: string;
  /** The endpoint path or service actually called (no query string with secrets). */
  endpoint: string;
  startedAt: number;
  durationMs: number;
  ok: boolean;
  status?: number;
  code?: string;
  message?: string;
  requestBytes?: number;
  responseBytes?: number;
}

export interface PlatformContext {
  /** Connection name, for messages. */
  connection: string;
  /** Injected for tests; defaults to the global fetch. */
  fetch: typeof fetch;
  /** Injected clock (ms since epoch). */
  now: () => number;
  /** Called once per vendor call. */
  onCall?: (event: ApiCallEvent) => void;
  /** Per-call timeout the profile applies to each HTTP request. */
  timeoutMs: number;
  /**
   * The engine-owned rate limiter of this connection: the profile awaits it before each HTTP request it sends
   * (log-in, look-up chunk, follow-up step, …), so the vendor never sees more requests per second than the
   * configured limit, however many requests one engine call makes. The profile only asks for the permit; it
   * never decides or sleeps on its own. Rejects when the signal aborts. Absent: no pacing (probes, samples, tests).
   */
  pace?: (signal: AbortSignal) => Promise<void>;
}

/** A vendor profile as the composition root registers it. */
export interface PlatformProfile<C = unknown> {
  /** Lowercase platform name used in connection files: `wdt`, `kingdee`, `http`. */
  name: string;
  /** zod schema of this platform's connection settings (credentials included; never logged). */
  connectionSchema: z.ZodType<C>;
  /** Connection keys that are secrets (redacted everywhere, encrypted at rest); dotted paths for nested keys (`auth.token`). */
  secretKeys: readonly string[];
  /**
   * Connection keys that decide where the secrets are sent (`baseUrl`, `auth.tokenUrl`, …; dotted paths). A
   * server that keeps a stored secret through an edit refuses the edit when one of these changes.
   */
  destinationKeys?: readonly string[];
  /**
   * zod schema of the ReadSpec this platform accepts (page size limits, `extra` keys, …). `ferry validate`
   * checks a scheme's source against it, and the platform's source session parses its spec with the same one.
   */
  readOptions?: z.ZodType;
  /** The same for the WriteSpec of a target (FormId required, operation, `extra` keys, …). */
  writeOptions?: z.ZodType;
  /**
   * The fields every record of this read will hold, when the spec declares them (Kingdee `extra.FieldKeys`):
   * validate warns about a template field that is not among them. Undefined when the platform cannot know.
   */
  declaredFields?(spec: ReadSpec): { fields: string[]; where: string } | undefined;
  openSource?(connection: C, ctx: PlatformContext): SourceSession;
  openTarget?(connection: C, ctx: PlatformContext): TargetSession;
}
