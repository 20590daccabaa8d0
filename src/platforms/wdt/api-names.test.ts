import { describe, expect, it } from 'vitest';
import { apiTraits, resolveApiName } from './api-names.ts';

describe('WDT API names', () => {
  it.each([
    ['wdt.shop.query', 'wdt.shop.query', 'shop.php'],
    ['shop.php', 'wdt.shop.query', 'shop.php'],
    ['wdt.trade.query', 'wdt.trade.query', 'trade_query.php'],
    ['trade_query.php', 'wdt.trade.query', 'trade_query.php'],
    ['trade_query', 'wdt.trade.query', 'trade_query.php'],
    ['hu3cgwt0tc.wdt.trade.query', 'wdt.trade.query', 'trade_query.php'],
    ['wdt.stockout.order.query.trade', 'wdt.stockout.order.query.trade', 'stockout_order_query_trade.php'],
    ['stockout_order_query_trade.php', 'wdt.stockout.order.query.trade', 'stockout_order_query_trade.php'],
    ['wdt.goods.query', 'wdt.goods.query', 'goods_query.php'],
    ['wdt.stock.query', 'wdt.stock.query', 'stock_query.php'],
    ['wdt.warehouse.query', 'wdt.warehouse.query', 'warehouse_query.php'],
    // the generic rule, for APIs nobody listed
    ['wdt.purchase.order.query', 'wdt.purchase.order.query', 'purchase_order_query.php'],
    ['refund_query.php', 'wdt.refund.query', 'refund_query.php'],
  ])('%s → %s / %s', (input, method, endpoint) => {
    expect(resolveApiName(input)).toEqual({ method, endpoint });
  });

  it('refuses names that are neither shape', () => {
    expect(resolveApiName('BD_Customer.save')).toBeUndefined();
    expect(resolveApiName('../etc/passwd')).toBeUndefined();
    expect(resolveApiName('')).toBeUndefined();
  });

  it('knows list keys and spans (§1.4, §3, §4)', () => {
    expect(apiTraits('wdt.shop.query')).toMatchObject({ listKeys: ['shoplist'] });
    expect(apiTraits('wdt.shop.query').maxWindowMs).toBeUndefined();
    expect(apiTraits('wdt.trade.query')).toMatchObject({ listKeys: ['trades'], maxWindowMs: 3_600_000 });
    expect(apiTraits('wdt.stockout.order.query.trade').maxWindowMs).toBe(30 * 86_400_000);
    expect(apiTraits('wdt.goods.query').listKeys).toEqual(['goods_list']);
    expect(apiTraits('wdt.purchase.order.query')).toEqual({ listKeys: [], maxWindowMs: 30 * 86_400_000 });
  });
});
