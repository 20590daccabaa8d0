import { Scheme } from '../src/core/scheme/scheme.ts';
import type { KingdeeQuirks } from './kingdee-vendor.ts';
import type { Rng } from './rng.ts';
import type { Shop, WdtQuirks } from './wdt-vendor.ts';

/**
 * Everything a schedule is made of, drawn from its seed: the source data (with its traps), the vendors'
 * persistent quirks, the scheme's settings, and where the process dies.
 */
export interface World {
  shops: Shop[];
  /** Customers that already exist in Kingdee before the first run (audited), by shop index. */
  preexisting: number[];
  wdt: WdtQuirks;
  kingdee: KingdeeQuirks;
  kingdeeMode: 'appSecret' | 'signed';
  encoding: 'named' | 'positional';
  wdtTransport: 'qimen';
  scheme: Scheme;
  /** Per storm run: the event (vendor call or page commit) at which the process dies, counted from the run's start. */
  crashes: number[];
  latencyMs: [number, number];
  /** Storm runs before the weather clears. */
  stormRuns: number;
}

export const ORGS = ['100', '101'];
const MAX_NAME = 40;

/** Which vendor quirks a world may have (all by default); the fixed-seed test leaves out the ones still open. */
export interface WorldOptions {
  /** Silent page-size caps of the WDT server. */
  caps?: boolean;
  /** total_count forms that disagree with the data: 0 after page 0, or smaller than the truth. */
  badTotals?: boolean;
  /** Two shops with one shop_no. */
  duplicates?: boolean;
  /** Faults strike Kingdee UnAudit, Submit and Audit calls too. */
  followUpFaults?: boolean;
}

export function drawWorld(rng: Rng, opts: WorldOptions = {}): World {
  const caps = opts.caps ?? true;
  const badTotals = opts.badTotals ?? true;
  const n = rng.int(5, 100);
  const shops: Shop[] = [];
  for (let i = 0; i < n; i++) {
    const r = rng.next();
    const remark = r < 0.04 ? 'X9' : rng.pick(ORGS); // an org Kingdee does not know: the vendor rejects the row
    const name = r > 0.97 ? '' : r > 0.94 ? `店铺${i}-${'很长的名字'.repeat(10)}` : `店铺${i}`; // '' fails the quality rule, long fails Kingdee
    shops.push({ shop_id: 1000 + i * rng.int(1, 3), shop_no: `S${String(i).padStart(4, '0')}`, shop_name: name, remark, platform_id: rng.pick([0, 1, 3, 127]), is_disabled: rng.chance(0.03) ? 1 : 0 });
  }
  // Ids must be unique and increasing: the vendor orders by shop_id.
  shops.forEach((s, i) => (s.shop_id = 1000 + i * 3 + (s.shop_id % 3)));
  if (rng.chance(0.15) && n > 4 && (opts.duplicates ?? true)) {
    // Duplicate business numbers in the source (two shops, one shop_no).
    const a = rng.int(0, n - 1);
    const b = rng.int(0, n - 1);
    if (a !== b) shops[b]!.shop_no = shops[a]!.shop_no;
  }
  const preexisting = rng.chance(0.3) ? shops.map((_, i) => i).filter(() => rng.chance(0.3)) : [];

  const pageSize = rng.int(3, 50);
  const wdt: WdtQuirks = {
    ...(rng.chance(0.25) && pageSize > 2 && caps ? { cap: rng.int(1, pageSize - 1) } : {}),
    totals: rng.pick(['every', 'every', 'firstOnly', badTotals ? 'firstZero' : 'none', 'none', ...(rng.chance(0.2) && badTotals ? (['lying'] as const) : [])]),
    lieBy: rng.int(1, 5),
    stringScalars: rng.chance(0.5),
  };
  // No query cap here: look-ups ask for at most 200 numbers, far below any server's cap (2000 on older K3Cloud).
  const kingdee: KingdeeQuirks = { maxNameLength: MAX_NAME, orgs: ORGS };
  const batch = { size: rng.int(1, 40), maxInFlight: rng.int(1, 4) };
  const rate = { source: { perSecond: rng.pick([2, 5, 20]) }, target: { perSecond: rng.pick([3, 10, 50]), burst: rng.int(1, 3) } };
  const retry = { maxAttempts: rng.int(3, 8), initialDelayMs: rng.pick([100, 500, 1000]), maxDelayMs: 20_000, multiplier: 2, jitter: 0.2 };
  const scheme = Scheme.parse({
    name: 'sim-shops',
    source: { connection: 'wdt', api: 'wdt.shop.query', id: 'shop_id', number: 'shop_no', pagination: { pageSize }, idCheck: true },
    target: {
      connection: 'kingdee',
      api: 'batchSave',
      idCheck: true,
      request: [
        { field: 'FName', type: 'string', value: '{shop_name}' },
        { field: 'FNumber', type: 'string', value: '{shop_no}' },
        { field: 'FCreateOrgId', type: 'string', parser: { name: 'ConvertObjectParser', params: 'FNumber' }, value: '{remark}' },
        { field: 'FUseOrgId', type: 'string', parser: { name: 'ConvertObjectParser', params: 'FNumber' }, value: '{remark}' },
      ],
      otherRequest: [
        { field: 'FormId', type: 'string', value: 'BD_Customer' },
        { field: 'Operation', type: 'string', value: 'BatchSave' },
        { field: 'IsAutoSubmitAndAudit', type: 'bool', value: 'true' },
      ],
    },
    batch,
    retry,
    rateLimit: rate,
    quality: { rules: [{ field: 'FName', required: true, name: '客户名称必填' }] },
  });
  const stormRuns = rng.int(1, 5);
  const crashes = Array.from({ length: stormRuns }, () => (rng.chance(0.8) ? rng.int(1, 4 + Math.ceil(n / batch.size) * 3) : 0));
  return {
    shops,
    preexisting,
    wdt,
    kingdee,
    kingdeeMode: rng.chance(0.6) ? 'appSecret' : 'signed',
    encoding: rng.chance(0.7) ? 'named' : 'positional',
    wdtTransport: 'qimen',
    scheme,
    crashes,
    latencyMs: [rng.int(1, 20), rng.int(20, 400)],
    stormRuns,
  };
}

/** Mutations between pages: a shop renamed, or a new shop added at the end (ids grow). */
export function mutateShops(shops: Shop[], rng: Rng): void {
  if (rng.chance(0.5) && shops.length) {
    const s = rng.pick(shops);
    if (s.shop_name) s.shop_name = `${s.shop_name.slice(0, 30)}*`;
  } else {
    const i = shops.length;
    const last = shops[shops.length - 1];
    shops.push({ shop_id: (last?.shop_id ?? 1000) + 3, shop_no: `S${String(i).padStart(4, '0')}n`, shop_name: `新店${i}`, remark: rng.pick(ORGS), platform_id: 1, is_disabled: 0 });
  }
}
