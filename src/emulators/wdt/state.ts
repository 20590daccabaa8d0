import type { DatasetName } from './api-table.ts';
import type { ResolvedOptions, WdtEmulatorOptions } from './options.ts';
import { DEFAULT_ACCOUNT, DEFAULT_QIMEN_APP, DEFAULT_TARGET_APP_KEY, NO_FAULTS } from './options.ts';
import { Dataset } from './dataset.ts';
import { parseBeijing } from './beijing-time.ts';
import { FaultInjector } from './faults.ts';
import { hashString } from './prng.ts';
import { RateLimiter } from './rate-limit.ts';
import { shopsDef } from './records-shops.ts';
import { stockoutsDef } from './records-stockouts.ts';
import { tradesDef } from './records-trades.ts';
import { warehousesDef } from './records-warehouses.ts';
import { StatsRecorder } from './stats.ts';
import type { World } from './world.ts';

/** Everything a running emulator holds: options, the lazily generated data sets, limiter, faults, stats. */
export interface EmulatorState {
  opts: ResolvedOptions;
  datasets: Record<DatasetName, Dataset>;
  limiter: RateLimiter;
  faults: FaultInjector;
  stats: StatsRecorder;
  /** Answered list calls, for churn. */
  listCalls: number;
  /** How often the `repeat` page fault has fired. */
  pageFaultFired: number;
}

function nonNegativeInt(name: string, v: number | undefined, fallback: number): number {
  const n = v ?? fallback;
  if (!Number.isInteger(n) || n < 0) throw new Error(`WDT emulator: ${name} must be a non-negative integer, got ${v}`);
  return n;
}

export function resolveOptions(o: WdtEmulatorOptions): ResolvedOptions {
  const start = o.dataStart ?? '2025-01-01 00:00:00';
  const dataStartMs = parseBeijing(start);
  if (dataStartMs === undefined) throw new Error(`WDT emulator: dataStart must be 'yyyy-MM-dd HH:mm:ss', got '${start}'`);
  const seed = typeof o.seed === 'number' ? o.seed >>> 0 : hashString(o.seed ?? 'ferry');
  return {
    host: o.host ?? '127.0.0.1',
    port: o.port ?? 0,
    seed,
    shops: nonNegativeInt('shops', o.shops, 50),
    trades: nonNegativeInt('trades', o.trades, 500),
    stockouts: nonNegativeInt('stockouts', o.stockouts, 300),
    dataStartMs,
    dataSpanMs: o.dataSpanMs ?? 3 * 86_400_000,
    orgNumbers: o.orgNumbers ?? ['100'],
    accounts: o.accounts ?? [DEFAULT_ACCOUNT],
    qimenApps: o.qimenApps ?? [DEFAULT_QIMEN_APP],
    targetAppKey: o.targetAppKey ?? DEFAULT_TARGET_APP_KEY,
    acceptByteLengthSign: o.acceptByteLengthSign ?? false,
    timestampSkewMs: o.timestampSkewMs ?? 5 * 60_000,
    rateLimit: o.rateLimit ?? 0,
    pageSizeOutOfRange: o.pageSizeOutOfRange ?? 'reject',
    totalCount: o.totalCount ?? 'every',
    totalCountOffset: o.totalCountOffset ?? 0,
    maxPageSize: o.maxPageSize,
    pageFault: o.pageFault,
    numbers: o.numbers ?? 'number',
    churn: o.churn,
    faults: { ...NO_FAULTS, ...o.faults, script: [...(o.faults?.script ?? [])] },
    now: o.now ?? Date.now,
  };
}

export function createState(opts: ResolvedOptions): EmulatorState {
  const world: World = {
    seed: opts.seed,
    shops: opts.shops,
    trades: opts.trades,
    stockouts: opts.stockouts,
    dataStartMs: opts.dataStartMs,
    dataSpanMs: opts.dataSpanMs,
    orgNumbers: opts.orgNumbers,
  };
  return {
    opts,
    datasets: {
      shops: new Dataset(shopsDef(world)),
      trades: new Dataset(tradesDef(world)),
      stockouts: new Dataset(stockoutsDef(world)),
      warehouses: new Dataset(warehousesDef(world)),
    },
    limiter: new RateLimiter(opts.rateLimit), // wall time, even when `now` is faked for timestamps
    faults: new FaultInjector(opts.faults, opts.seed),
    stats: new StatsRecorder(),
    listCalls: 0,
    pageFaultFired: 0,
  };
}
