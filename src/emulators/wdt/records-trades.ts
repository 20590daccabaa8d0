import type { DatasetDef, Filters, Rec } from './dataset.ts';
import { formatBeijing } from './beijing-time.ts';
import { GOODS, LOGISTICS, REGIONS, STREETS, WAREHOUSES } from './china-data.ts';
import { intBelow, pick } from './prng.ts';
import { shopName, shopNo, shopPlatform } from './records-shops.ts';
import { money, mobile, pad, personName, spreadTime, type World } from './world.ts';

/** Trades (trade_query.php / wdt.trade.query, wdt-api.md §4): filtered on `modified`, with goods lines. */

const STATUSES = [5, 10, 30, 55, 95, 95, 95, 110, 110, 110] as const;

export function tradeNo(w: World, i: number): string {
  const day = formatBeijing(spreadTime(w, i, w.trades)).slice(0, 10).replace(/-/g, '');
  return `JY${day}${pad(i + 1, 8)}`;
}

export function tradeShopIndex(w: World, i: number): number {
  return intBelow(w.seed, i, 'trade.shop', Math.max(1, w.shops));
}

export function srcTid(w: World, i: number): string {
  return `${2000 + intBelow(w.seed, i, 'trade.tid.a', 8000)}${pad(intBelow(w.seed, i, 'trade.tid.b', 1e9), 9)}${pad(i, 6)}`;
}

/** Goods lines of a trade or stockout: 1–3 lines, deterministic from the owner's index and salt. */
export function goodsLines(w: World, i: number, salt: string, idBase: number): Rec[] {
  const lines: Rec[] = [];
  const count = 1 + intBelow(w.seed, i, `${salt}.lines`, 3);
  for (let k = 0; k < count; k++) {
    const g = pick(w.seed, i * 4 + k, `${salt}.goods`, GOODS);
    const num = 1 + intBelow(w.seed, i * 4 + k, `${salt}.num`, 4);
    lines.push({
      rec_id: idBase * 10 + k + 1,
      goods_no: g.goods_no,
      goods_name: g.goods_name,
      spec_no: `${g.goods_no}-01`,
      spec_name: g.spec_name,
      num,
      price: g.price,
      share_amount: money(g.price * num),
      remark: '',
    });
  }
  return lines;
}

function generateTrade(w: World, i: number): Rec {
  const s = w.seed;
  const modified = spreadTime(w, i, w.trades);
  const shop = tradeShopIndex(w, i);
  const region = pick(s, i, 'trade.region', REGIONS);
  const lines = goodsLines(w, i, 'trade', i + 1);
  const goodsAmount = money(lines.reduce((sum, l) => sum + Number(l.share_amount), 0));
  const post = pick(s, i, 'trade.post', [0, 0, 6, 8, 12]);
  const status = pick(s, i, 'trade.status', STATUSES);
  const tradeTime = modified - (10 + intBelow(s, i, 'trade.age', 3000)) * 60_000;
  return {
    trade_id: i + 1,
    trade_no: tradeNo(w, i),
    platform_id: shopPlatform(w, shop).id,
    shop_no: shopNo(shop),
    shop_name: shopName(w, shop),
    src_tids: srcTid(w, i),
    trade_status: status,
    trade_type: 1,
    buyer_nick: `买家${pad(intBelow(s, i, 'trade.buyer', 1e6), 6)}`,
    receiver_name: personName(s, i, 'trade.receiver'),
    receiver_mobile: mobile(s, i, 'trade.mobile'),
    receiver_province: region.province,
    receiver_city: region.city,
    receiver_district: pick(s, i, 'trade.district', region.districts),
    receiver_address: `${pick(s, i, 'trade.street', STREETS)}${1 + intBelow(s, i, 'trade.no', 999)}号`,
    warehouse_no: pick(s, i, 'trade.wh', WAREHOUSES).warehouse_no,
    logistics_no: status >= 95 ? `${pick(s, i, 'trade.lc', LOGISTICS)}${pad(intBelow(s, i, 'trade.ln', 1e9), 10)}` : '',
    goods_count: lines.reduce((sum, l) => sum + Number(l.num), 0),
    goods_amount: goodsAmount,
    post_amount: post,
    discount: 0,
    receivable: money(goodsAmount + post),
    paid: status === 10 ? 0 : money(goodsAmount + post),
    cs_remark: i % 13 === 0 ? '客户要求顺丰发货' : '',
    buyer_message: i % 17 === 0 ? '请尽快发货,谢谢' : '',
    trade_time: formatBeijing(tradeTime),
    pay_time: status === 10 ? '0000-00-00 00:00:00' : formatBeijing(tradeTime + 60_000),
    created: formatBeijing(tradeTime + 120_000),
    modified: formatBeijing(modified),
    goods_list: lines,
  };
}

export function tradeMatches(r: Rec, f: Filters): boolean {
  if (f.trade_no !== undefined && r.trade_no !== f.trade_no) return false;
  if (f.src_tid !== undefined && !String(r.src_tids).split(',').includes(f.src_tid)) return false;
  if (f.logistics_no !== undefined && r.logistics_no !== f.logistics_no) return false;
  if (f.status !== undefined && String(r.trade_status) !== f.status) return false;
  if (f.shop_no !== undefined && r.shop_no !== f.shop_no) return false;
  if (f.shop_nos !== undefined && !f.shop_nos.split(',').includes(String(r.shop_no))) return false;
  if (f.warehouse_no !== undefined && r.warehouse_no !== f.warehouse_no) return false;
  return true;
}

export function tradesDef(w: World): DatasetDef {
  return {
    name: 'trades',
    idKey: 'trade_id',
    count: w.trades,
    baseTime: { modified: (i) => spreadTime(w, i, w.trades) },
    generate: (i) => generateTrade(w, i),
    matchRecord: tradeMatches,
  };
}
