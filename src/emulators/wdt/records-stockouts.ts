import type { DatasetDef, Filters, Rec } from './dataset.ts';
import { formatBeijing } from './beijing-time.ts';
import { LOGISTICS, WAREHOUSES } from './china-data.ts';
import { intBelow, pick } from './prng.ts';
import { shopName, shopNo } from './records-shops.ts';
import { goodsLines, srcTid, tradeNo, tradeShopIndex } from './records-trades.ts';
import { pad, spreadTime, type World } from './world.ts';

/**
 * Sales stockouts (stockout_order_query_trade.php / wdt.stockout.order.query.trade, wdt-api.md §4).
 * Each stockout belongs to a trade; consign (ship) time is 30 minutes before its modified time, so both
 * orderings are non-decreasing in the index. List key `stockout_list`, lines `details_list` (emulator choice:
 * the reference marks the list key unverified).
 */

const CONSIGN_BEFORE_MODIFIED_MS = 30 * 60_000;
const STATUSES = [55, 95, 95, 95, 105, 110, 110, 110, 5] as const;

function tradeOf(w: World, i: number): number {
  return w.stockouts <= 0 ? 0 : Math.floor((i * Math.max(1, w.trades)) / w.stockouts);
}

function generateStockout(w: World, i: number): Rec {
  const s = w.seed;
  const modified = spreadTime(w, i, w.stockouts);
  const t = tradeOf(w, i);
  const shop = tradeShopIndex(w, t);
  const status = pick(s, i, 'so.status', STATUSES);
  const lines = goodsLines(w, i, 'so', i + 1);
  return {
    stockout_id: i + 1,
    order_no: `CK${formatBeijing(modified).slice(0, 10).replace(/-/g, '')}${pad(i + 1, 8)}`,
    src_order_no: tradeNo(w, t),
    src_tids: srcTid(w, t),
    status,
    shop_no: shopNo(shop),
    shop_name: shopName(w, shop),
    warehouse_no: pick(s, i, 'so.wh', WAREHOUSES).warehouse_no,
    logistics_code: pick(s, i, 'so.lc', LOGISTICS),
    logistics_no: `${pick(s, i, 'so.lc', LOGISTICS)}${pad(intBelow(s, i, 'so.ln', 1e9), 10)}`,
    goods_count: lines.reduce((sum, l) => sum + Number(l.num), 0),
    weight: Math.round(intBelow(s, i, 'so.w', 5000)) / 1000,
    consign_time: formatBeijing(modified - CONSIGN_BEFORE_MODIFIED_MS),
    created: formatBeijing(modified - CONSIGN_BEFORE_MODIFIED_MS - 3_600_000),
    modified: formatBeijing(modified),
    details_list: lines,
  };
}

export function stockoutMatches(r: Rec, f: Filters): boolean {
  const status = Number(r.status);
  if (f.status !== undefined) {
    if (String(status) !== f.status) return false;
  } else if (status < 95) {
    return false; // no status: shipped and completed rows only (§4)
  }
  if (f.shop_no !== undefined && r.shop_no !== f.shop_no) return false;
  if (f.warehouse_no !== undefined && r.warehouse_no !== f.warehouse_no) return false;
  if (f.stockout_no !== undefined && r.order_no !== f.stockout_no) return false;
  if (f.src_order_no !== undefined && r.src_order_no !== f.src_order_no) return false;
  if (f.src_tid !== undefined && !String(r.src_tids).split(',').includes(f.src_tid)) return false;
  return true;
}

export function stockoutsDef(w: World): DatasetDef {
  return {
    name: 'stockouts',
    idKey: 'stockout_id',
    count: w.stockouts,
    baseTime: {
      modified: (i) => spreadTime(w, i, w.stockouts),
      consign_time: (i) => spreadTime(w, i, w.stockouts) - CONSIGN_BEFORE_MODIFIED_MS,
    },
    generate: (i) => generateStockout(w, i),
    matchRecord: stockoutMatches,
  };
}
