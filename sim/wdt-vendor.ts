import type { Rng } from './rng.ts';
import type { Weather } from './weather.ts';
import { response, type Delivery, type WireRequest } from './wire.ts';

/**
 * A scripted WDT Qimen router (wdt-api.md §2, §3) serving `wdt.shop.query` from an in-memory shop list.
 * Written from the reference, not from our client: page_no from 0, page_size as asked unless the server caps
 * it, `{response:{errorcode,message,total_count,shoplist}}` on success, errorcode 1012 for the rate limit.
 */

export interface Shop {
  shop_id: number;
  shop_no: string;
  shop_name: string;
  remark: string;
  platform_id: number;
  is_disabled: number;
}

export interface WdtQuirks {
  /** The server returns at most this many records per page, whatever page_size asked (silent cap). */
  cap?: number;
  /** every: total on each page; firstOnly: only page 0 (absent later); firstZero: 0 after page 0; none; lying: a total smaller than the truth. */
  totals: 'every' | 'firstOnly' | 'firstZero' | 'none' | 'lying';
  /** How much smaller the lying total is. */
  lieBy: number;
  /** Scalars as strings (`"total_count":"12"`), as captured live responses show (§1.4). */
  stringScalars: boolean;
}

export class WdtVendor {
  calls = 0;
  private lastPage: { no: number; page: Shop[] } | undefined;

  constructor(
    readonly shops: Shop[],
    readonly quirks: WdtQuirks,
    private readonly weather: Weather,
    private readonly rng: Rng,
    private readonly onMutate: (rng: Rng) => void,
  ) {}

  handle(req: WireRequest, api: (name: string) => void): Delivery {
    this.calls++;
    const params = new URLSearchParams(req.url.search);
    for (const [k, v] of new URLSearchParams(req.body)) params.set(k, v);
    const method = params.get('method') ?? '';
    api(method);
    const fault = this.weather.draw(this.rng, ['refused', 'http500', 'lost', 'rateLimit', 'http429', 'http429Bare', 'repeatPage', 'mutate']);
    if (fault === 'refused') return { kind: 'refused' };
    if (fault === 'http500') return { kind: 'answer', response: response(502, '<html><title>502 Bad Gateway</title></html>') };
    if (fault === 'http429') return { kind: 'answer', response: response(429, 'Too Many Requests', { headers: { 'retry-after': String(this.rng.int(1, 5)) } }) };
    if (fault === 'http429Bare') return { kind: 'answer', response: response(429, 'Too Many Requests') };
    if (fault === 'rateLimit') return this.ok({ errorcode: 1012, message: '超过每分钟最大调用频率限制,请稍后重试' });
    if (method !== 'wdt.shop.query') return this.ok({ errorcode: 100, message: `unknown method ${method}` });
    if (!params.get('sid')) return this.ok({ errorcode: 1, message: 'sid is not exists' });
    const pageNo = Number(params.get('page_no') ?? '0');
    const asked = Number(params.get('page_size') ?? '30');
    if (!Number.isInteger(pageNo) || pageNo < 0 || !Number.isInteger(asked) || asked < 1 || asked > 100)
      return this.ok({ errorcode: 100, message: 'page_no/page_size 参数错误' });
    if (fault === 'mutate') this.onMutate(this.rng);

    const visible = this.shops.filter((s) => s.is_disabled === 0).sort((a, b) => a.shop_id - b.shop_id);
    const size = Math.min(asked, this.quirks.cap ?? asked);
    let page = visible.slice(pageNo * size, (pageNo + 1) * size);
    // The server ignores page_no once and answers the page before again (never an empty one: that would be a
    // stale end that nothing could tell from the real one).
    if (fault === 'repeatPage' && this.lastPage?.no === pageNo - 1 && this.lastPage.page.length > 0) page = this.lastPage.page;
    this.lastPage = { no: pageNo, page };
    const answer = fault === 'lost' ? { kind: 'lost' as const } : undefined;
    if (answer) return answer;

    const q = this.quirks;
    const real = visible.length;
    let total: number | undefined;
    if (q.totals === 'every') total = real;
    else if (q.totals === 'firstOnly') total = pageNo === 0 ? real : undefined;
    else if (q.totals === 'firstZero') total = pageNo === 0 ? real : 0;
    else if (q.totals === 'lying') total = Math.max(0, real - q.lieBy);
    const s = (v: number) => (q.stringScalars ? String(v) : v);
    const shoplist = page.map((p) => ({ ...p, shop_id: s(p.shop_id), platform_id: s(p.platform_id), is_disabled: s(p.is_disabled) }));
    return this.ok({ errorcode: 0, message: '', ...(total !== undefined ? { total_count: s(total) } : {}), shoplist });
  }

  private ok(body: Record<string, unknown>): Delivery {
    return { kind: 'answer', response: response(200, { response: body }) };
  }
}
