/**
 * WDT API names. A scheme may name an API either way (wdt-api.md §2.1): the Qimen method
 * (`wdt.trade.query`, also `hu3cgwt0tc.wdt.trade.query`) or the enterprise endpoint (`trade_query.php`,
 * `trade_query`). Internally the Qimen method is the canonical name.
 *
 * The generic rule maps `wdt.a.b.c` ↔ `a_b_c.php`; the exceptions are listed. Any API not listed still
 * works by the rule — that is how an API is reachable by metadata alone.
 */

/** Qimen method → enterprise endpoint, where the generic rule does not hold. */
const ENDPOINT_EXCEPTIONS: Record<string, string> = {
  'wdt.shop.query': 'shop',
  'wdt.logistics.query': 'logistics',
};

const QIMEN_PREFIX = /^hu3cgwt0tc\./;

function exceptionFor(endpoint: string): string | undefined {
  return Object.keys(ENDPOINT_EXCEPTIONS).find((m) => ENDPOINT_EXCEPTIONS[m] === endpoint);
}

export interface ApiNames {
  /** Canonical Qimen method, e.g. `wdt.trade.query`. */
  method: string;
  /** Enterprise endpoint file, e.g. `trade_query.php`. */
  endpoint: string;
}

/** Resolves any spelling of a WDT API name; undefined when it is neither shape. */
export function resolveApiName(api: string): ApiNames | undefined {
  const name = api.trim();
  if (/^(hu3cgwt0tc\.)?wdt(\.[a-z0-9_]+)+$/.test(name)) {
    const method = name.replace(QIMEN_PREFIX, '');
    const base = ENDPOINT_EXCEPTIONS[method] ?? method.slice('wdt.'.length).replace(/\./g, '_');
    return { method, endpoint: `${base}.php` };
  }
  const m = /^(?:\/?openapi2\/)?([a-z0-9_]+)(?:\.php)?$/.exec(name); // WDT names are lowercase
  if (m) {
    const base = m[1]!;
    return { method: exceptionFor(base) ?? `wdt.${base.replace(/_/g, '.')}`, endpoint: `${base}.php` };
  }
  return undefined;
}

export interface ApiTraits {
  /** Where the records are in a response (§1.4). */
  listKeys: readonly string[];
  /** The record's stable id, used by the repeated-page guard. */
  idKey?: string;
  /** Longest start/end span the vendor allows; undefined when the API is not time-filtered. */
  maxWindowMs?: number;
}

const MINUTE = 60_000;
const DAY = 86_400_000;
/** §4: every time-filtered endpoint allows 30 days except the trade queries. */
const DEFAULT_MAX_WINDOW_MS = 30 * DAY;

/** Per-API traits by canonical method name. */
const TRAITS: Record<string, ApiTraits> = {
  'wdt.shop.query': { listKeys: ['shoplist'], idKey: 'shop_id' }, // full fetch only, not time-filtered (§3)
  'wdt.trade.query': { listKeys: ['trades'], idKey: 'trade_id', maxWindowMs: 60 * MINUTE }, // §4: 60 min
  'wdt.his.trade.query': { listKeys: ['trades'], idKey: 'trade_id', maxWindowMs: 60 * MINUTE },
  'wdt.sales.trade.query': { listKeys: ['trades'], idKey: 'trade_id', maxWindowMs: 60 * MINUTE },
  // §1.4: the stockout list key is unverified; `stockout_list` is recalled.
  'wdt.stockout.order.query.trade': { listKeys: ['stockout_list'], idKey: 'stockout_id', maxWindowMs: 30 * DAY },
  'wdt.his.stockout.order.query.trade': { listKeys: ['stockout_list'], idKey: 'stockout_id', maxWindowMs: 30 * DAY },
  'wdt.goods.query': { listKeys: ['goods_list'], idKey: 'goods_id', maxWindowMs: DEFAULT_MAX_WINDOW_MS },
  'wdt.vip.api.goods.query': { listKeys: ['goods_list'], maxWindowMs: DEFAULT_MAX_WINDOW_MS },
  'wdt.stock.query': { listKeys: ['stocks'], idKey: 'rec_id', maxWindowMs: 30 * DAY },
  'wdt.warehouse.query': { listKeys: ['warehouses'], idKey: 'warehouse_id', maxWindowMs: DEFAULT_MAX_WINDOW_MS },
  'wdt.logistics.query': { listKeys: ['logistics_list'] },
  'wdt.logistics.sync.query': { listKeys: ['trades'], maxWindowMs: DEFAULT_MAX_WINDOW_MS },
  'wdt.api.goods.stock.change.query': { listKeys: ['stock_change_list'], maxWindowMs: DEFAULT_MAX_WINDOW_MS },
  'wdt.vip.api.trade.query': { listKeys: ['trades'], maxWindowMs: 30 * DAY }, // §4: 30 days on modified
};

/** Traits of an API; unknown APIs get no list key (the response's only array is used) and the 30-day span. */
export function apiTraits(method: string): ApiTraits {
  return TRAITS[method] ?? { listKeys: [], maxWindowMs: DEFAULT_MAX_WINDOW_MS };
}
