/**
 * Which APIs the emulator serves, under both names (wdt-api.md §2.1): the enterprise endpoint
 * (`trade_query` for `/openapi2/trade_query.php`) and the Qimen method (`wdt.trade.query`, also with the
 * `hu3cgwt0tc.` prefix of the generated TOP classes).
 */

export type DatasetName = 'shops' | 'trades' | 'stockouts' | 'warehouses';

export interface EmulatedApi {
  /** Canonical (Qimen) name, used in stats. */
  method: string;
  endpoint: string;
  dataset: DatasetName;
  listKey: string;
  defaultPageSize: number;
  /** Maximum start/end span (closed interval) and the vendor's message when exceeded. */
  maxSpan?: { ms: number; message: string };
  /** Start/end are required unless one of these keys is given (trade_query: src_tid/trade_no/logistics_no). */
  windowRequiredUnless?: string[];
  /** Which record time the window filters on, given the request. */
  windowKey(params: Record<string, string>): string;
  /** Fields the Qimen custom API leaves out (privacy, wdt-api.md §6). */
  qimenOmits?: string[];
}

const MINUTE = 60_000;
const DAY = 86_400_000;

export const EMULATED_APIS: readonly EmulatedApi[] = [
  {
    method: 'wdt.shop.query',
    endpoint: 'shop',
    dataset: 'shops',
    listKey: 'shoplist',
    defaultPageSize: 30,
    windowKey: () => 'modified',
  },
  {
    method: 'wdt.trade.query',
    endpoint: 'trade_query',
    dataset: 'trades',
    listKey: 'trades',
    defaultPageSize: 40,
    maxSpan: { ms: 60 * MINUTE, message: '您的查询时间过宽,查询时间不能大于60分钟' },
    windowRequiredUnless: ['src_tid', 'trade_no', 'logistics_no'],
    windowKey: () => 'modified',
    qimenOmits: ['receiver_name', 'receiver_mobile', 'receiver_address', 'buyer_nick'],
  },
  {
    method: 'wdt.stockout.order.query.trade',
    endpoint: 'stockout_order_query_trade',
    dataset: 'stockouts',
    listKey: 'stockout_list',
    defaultPageSize: 40,
    maxSpan: { ms: 30 * DAY, message: '您的查询时间过宽,查询时间不能大于30天' },
    windowRequiredUnless: ['stockout_no', 'src_order_no', 'src_tid'],
    // §4: no status or status >= 95 filters on ship time; status < 95 or is_by_modified=1 on modified.
    windowKey: (p) =>
      p.is_by_modified === '1' || (p.status !== undefined && Number(p.status) < 95) ? 'modified' : 'consign_time',
  },
  {
    method: 'wdt.warehouse.query',
    endpoint: 'warehouse_query',
    dataset: 'warehouses',
    listKey: 'warehouses',
    defaultPageSize: 30,
    windowKey: () => 'modified',
  },
];

export function apiByEndpoint(endpoint: string): EmulatedApi | undefined {
  return EMULATED_APIS.find((a) => a.endpoint === endpoint);
}

export function apiByMethod(method: string): EmulatedApi | undefined {
  const plain = method.replace(/^hu3cgwt0tc\./, '');
  return EMULATED_APIS.find((a) => a.method === plain);
}
