/**
 * Options of the WDT emulator. Every choice the reference leaves open (wdt-api.md "unverified") is a
 * documented default here and can be switched, so the platform can be tested against both readings.
 */

export interface WdtAccount {
  /** Seller account (卖家账号). */
  sid: string;
  /** Interface account (接口账号). */
  appkey: string;
  appsecret: string;
}

export interface QimenApp {
  /** The caller's own Qimen/TOP app key and secret. */
  appKey: string;
  appSecret: string;
}

export type FaultKind = '5xx' | 'malformed' | 'drop' | 'slow' | 'missing_list' | 'wrong_type' | 'rate_limit';

export interface FaultOptions {
  /** Probability (0–1) that a call answers HTTP 5xx with an HTML body. */
  rate5xx: number;
  /** Probability that a call answers 200 with truncated JSON. */
  malformedRate: number;
  /** Probability that the connection is dropped without an answer. */
  dropRate: number;
  /** Probability that a call is delayed by `slowMs`. */
  slowRate: number;
  slowMs: number;
  /** Fixed delay added to every API call (not to control calls). */
  latencyMs: number;
  /** Faults applied, in order, to the next API calls (one each), before the random ones. */
  script: FaultKind[];
}

export type TotalCountMode = 'every' | 'first' | 'first-then-zero' | 'none';

/**
 * - `repeat`: page `page` is answered as page `as` (its records again) the first `times` times it is asked (default 1);
 * - `cycle`: page k is answered as page k mod `period` (for ever).
 */
export type PageFault = { kind: 'repeat'; page: number; as: number; times?: number } | { kind: 'cycle'; period: number };

export interface ChurnOptions {
  /** After every N-th answered list call, the first record of the page just served is modified. */
  everyCalls: number;
  /** Limit churn to one data set (`shops`, `trades`, `stockouts`); all when absent. */
  dataset?: string;
}

export interface WdtEmulatorOptions {
  host?: string;
  /** 0 = ephemeral. */
  port?: number;
  /** Seed of all generated data and random faults. */
  seed?: number | string;
  shops?: number;
  trades?: number;
  stockouts?: number;
  /** Beijing-time start of generated modified times (`yyyy-MM-dd HH:mm:ss`). */
  dataStart?: string;
  /** Generated modified times spread evenly over this span after `dataStart`. */
  dataSpanMs?: number;
  /** Org numbers written into shop `remark` (the seed scheme maps remark → Kingdee org). */
  orgNumbers?: string[];
  accounts?: WdtAccount[];
  qimenApps?: QimenApp[];
  /** WDT's Qimen app key that callers must send as target_app_key. */
  targetAppKey?: string;
  /** Also accept enterprise signs whose lengths count UTF-8 bytes (wdt-api.md §1.3); characters always work. */
  acceptByteLengthSign?: boolean;
  /** Allowed clock skew of `timestamp` (wdt-api.md §1.2: ±5 min). */
  timestampSkewMs?: number;
  /** Calls per second allowed per sid; 0 = unlimited. Exceeding answers code 1012. */
  rateLimit?: number;
  /** What a page_size outside 1–100 does (unverified, §5): reject with an error or clamp. */
  pageSizeOutOfRange?: 'reject' | 'clamp';
  /**
   * Whether total_count is sent on every page, only on page 0 (absent later), on page 0 and as 0 on later
   * pages, or never (§5, "inconvenient behaviours").
   */
  totalCount?: TotalCountMode;
  /** Added to the real count in total_count; negative = a vendor that under-counts ("a lying total"). */
  totalCountOffset?: number;
  /** Silent page-size cap: a page_size above it is served as this many records, without an error. */
  maxPageSize?: number;
  /** Pages answered as other pages (a repeated page, pages that cycle). */
  pageFault?: PageFault;
  /** Scalars (ids, amounts, total_count) as JSON numbers or as strings (§1.4). `code` is always a number. */
  numbers?: 'number' | 'string';
  churn?: ChurnOptions;
  faults?: Partial<FaultOptions>;
  /** Clock used for the timestamp check (ms). */
  now?: () => number;
}

export interface ResolvedOptions {
  host: string;
  port: number;
  seed: number;
  shops: number;
  trades: number;
  stockouts: number;
  dataStartMs: number;
  dataSpanMs: number;
  orgNumbers: string[];
  accounts: WdtAccount[];
  qimenApps: QimenApp[];
  targetAppKey: string;
  acceptByteLengthSign: boolean;
  timestampSkewMs: number;
  rateLimit: number;
  pageSizeOutOfRange: 'reject' | 'clamp';
  totalCount: TotalCountMode;
  totalCountOffset: number;
  maxPageSize: number | undefined;
  pageFault: PageFault | undefined;
  numbers: 'number' | 'string';
  churn: ChurnOptions | undefined;
  faults: FaultOptions;
  now: () => number;
}

/** Sandbox-like defaults (wdt-api.md §6: sid apidevnew2; never real keys). */
export const DEFAULT_ACCOUNT: WdtAccount = { sid: 'apidevnew2', appkey: 'ferry-test', appsecret: 'ferry-test-secret' };
export const DEFAULT_QIMEN_APP: QimenApp = { appKey: '12345678', appSecret: 'ferry-qimen-secret' };
export const DEFAULT_TARGET_APP_KEY = '21363512';

export const NO_FAULTS: FaultOptions = {
  rate5xx: 0,
  malformedRate: 0,
  dropRate: 0,
  slowRate: 0,
  slowMs: 0,
  latencyMs: 0,
  script: [],
};
