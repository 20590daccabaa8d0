import type { Command } from 'commander';
import { waitForStopSignal } from '../wait-for-signal.ts';
import { startWdtEmulator, type WdtEmulator, type WdtEmulatorOptions } from '../../emulators/wdt/index.ts';
import { UserError } from '../user-error.ts';

/**
 * `ferry emulate wdt`: a local WangDianTong (旺店通) with both transports — the enterprise open API and
 * Qimen — generated shops/trades/stockouts, signature checks, a per-sid rate limit and fault injection,
 * for rehearsing a scheme (e.g. 店铺同步客户) without the real system. Runs until Ctrl-C.
 */

export interface EmulateWdtOpts {
  host: string;
  port: string;
  shops: string;
  trades: string;
  stockouts: string;
  seed: string;
  dataStart: string;
  days: string;
  orgNumbers: string;
  sid: string;
  appkey: string;
  appsecret: string;
  qimenAppKey: string;
  qimenSecret: string;
  targetAppKey: string;
  rateLimit: string;
  fault5xx: string;
  faultMalformed: string;
  faultDrop: string;
  latency: string;
  slowRate: string;
  slowMs: string;
  numbers: string;
  totalCount: string;
  pageSizeOutOfRange: string;
  acceptByteSign?: boolean;
  churnEvery?: string;
  totalCountOffset?: string;
  maxPageSize?: string;
  cyclePages?: string;
}

const int = (v: string, what: string, min = 0): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new UserError(`${what} must be a whole number ≥ ${min} (got "${v}")`);
  return n;
};

const intSigned = (v: string, what: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n)) throw new UserError(`${what} must be a whole number, e.g. -50 (got "${v}")`);
  return n;
};

const probability = (v: string, what: string): number => {
  const n = Number(v);
  if (!(n >= 0 && n <= 1)) throw new UserError(`${what} is a probability between 0 and 1, e.g. 0.1 (got "${v}")`);
  return n;
};

const oneOf = <T extends string>(v: string, what: string, allowed: readonly T[]): T => {
  if (!(allowed as readonly string[]).includes(v)) throw new UserError(`${what} is one of ${allowed.join(', ')} (got "${v}")`);
  return v as T;
};

export function toWdtEmulatorOptions(o: EmulateWdtOpts): WdtEmulatorOptions {
  if (!/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(o.dataStart))
    throw new UserError(`--data-start is Beijing time "yyyy-MM-dd HH:mm:ss" (got "${o.dataStart}")`);
  return {
    host: o.host,
    port: int(o.port, '--port'),
    shops: int(o.shops, '--shops'),
    trades: int(o.trades, '--trades'),
    stockouts: int(o.stockouts, '--stockouts'),
    seed: /^\d+$/.test(o.seed) ? Number(o.seed) : o.seed,
    dataStart: o.dataStart,
    dataSpanMs: int(o.days, '--days', 1) * 86_400_000,
    orgNumbers: o.orgNumbers.split(',').map((s) => s.trim()).filter(Boolean),
    accounts: [{ sid: o.sid, appkey: o.appkey, appsecret: o.appsecret }],
    qimenApps: [{ appKey: o.qimenAppKey, appSecret: o.qimenSecret }],
    targetAppKey: o.targetAppKey,
    rateLimit: int(o.rateLimit, '--rate-limit'),
    numbers: oneOf(o.numbers, '--numbers', ['number', 'string'] as const),
    totalCount: oneOf(o.totalCount, '--total-count', ['every', 'first', 'first-then-zero', 'none'] as const),
    ...(o.totalCountOffset !== undefined ? { totalCountOffset: intSigned(o.totalCountOffset, '--total-count-offset') } : {}),
    ...(o.maxPageSize !== undefined ? { maxPageSize: int(o.maxPageSize, '--max-page-size', 1) } : {}),
    ...(o.cyclePages !== undefined ? { pageFault: { kind: 'cycle' as const, period: int(o.cyclePages, '--cycle-pages', 1) } } : {}),
    pageSizeOutOfRange: oneOf(o.pageSizeOutOfRange, '--page-size-out-of-range', ['reject', 'clamp'] as const),
    acceptByteLengthSign: o.acceptByteSign === true,
    ...(o.churnEvery !== undefined ? { churn: { everyCalls: int(o.churnEvery, '--churn-every', 1) } } : {}),
    faults: {
      rate5xx: probability(o.fault5xx, '--fault-5xx'),
      malformedRate: probability(o.faultMalformed, '--fault-malformed'),
      dropRate: probability(o.faultDrop, '--fault-drop'),
      slowRate: probability(o.slowRate, '--slow-rate'),
      slowMs: int(o.slowMs, '--slow-ms'),
      latencyMs: int(o.latency, '--latency'),
    },
  };
}

/** What the command prints: where it listens and the connection settings to use (emulator credentials only). */
export function describeWdtEmulator(emu: WdtEmulator): string {
  const a = emu.accounts[0]!;
  const q = emu.qimenApps[0]!;
  const openapi = { platform: 'wdt', transport: 'openapi', baseUrl: emu.openapiUrl, sid: a.sid, appkey: a.appkey, appsecret: a.appsecret };
  const qimen = { platform: 'wdt', transport: 'qimen', baseUrl: emu.qimenUrl, sid: a.sid, appKey: q.appKey, appSecret: q.appSecret, targetAppKey: emu.targetAppKey, signMethod: 'md5' };
  return [
    `ferry WDT (旺店通) emulator listening on ${emu.url}`,
    `  open API: POST ${emu.openapiUrl}shop.php   (also trade_query.php, stockout_order_query_trade.php, warehouse_query.php)`,
    `  Qimen:    POST ${emu.qimenUrl}?method=wdt.shop.query   (also /router/rest)`,
    `  control:  GET ${emu.url}/__control/stats   POST ${emu.url}/__control/faults   POST ${emu.url}/__control/data`,
    '  connection (open API):',
    `    ${JSON.stringify(openapi)}`,
    '  connection (Qimen):',
    `    ${JSON.stringify(qimen)}`,
    'These are emulator credentials, not real keys. Ctrl-C to stop.',
    '',
  ].join('\n');
}

export function registerEmulateWdt(emulate: Command): void {
  emulate
    .command('wdt')
    .description('run a local WangDianTong (旺店通) emulator — open API and Qimen, signatures, rate limit, fault injection — until Ctrl-C')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port (0 = any free port)', '8791')
    .option('--shops <n>', 'generated shops (2% disabled)', '1000')
    .option('--trades <n>', 'generated trades', '5000')
    .option('--stockouts <n>', 'generated sales stockouts', '3000')
    .option('--seed <seed>', 'seed of the generated data and random faults', 'ferry')
    .option('--data-start <time>', 'Beijing time of the first generated modified time', '2025-01-01 00:00:00')
    .option('--days <n>', 'generated modified times spread over this many days', '3')
    .option('--org-numbers <list>', 'org numbers written into shop remark, comma separated', '100')
    .option('--sid <sid>', 'seller account', 'apidevnew2')
    .option('--appkey <key>', 'open API interface account', 'ferry-test')
    .option('--appsecret <secret>', 'open API secret', 'ferry-test-secret')
    .option('--qimen-app-key <key>', 'Qimen app_key callers use', '12345678')
    .option('--qimen-secret <secret>', 'secret of that Qimen app', 'ferry-qimen-secret')
    .option('--target-app-key <key>', 'WDT\'s Qimen target_app_key', '21363512')
    .option('--rate-limit <n>', 'calls per second per sid before code 1012 (0 = unlimited)', '0')
    .option('--fault-5xx <p>', 'probability of an HTTP 502', '0')
    .option('--fault-malformed <p>', 'probability of truncated JSON', '0')
    .option('--fault-drop <p>', 'probability of a dropped connection', '0')
    .option('--latency <ms>', 'delay before every answer', '0')
    .option('--slow-rate <p>', 'probability of a slow answer', '0')
    .option('--slow-ms <ms>', 'delay of a slow answer', '5000')
    .option('--numbers <form>', 'scalars as JSON number or string', 'number')
    .option('--total-count <when>', 'every | first | first-then-zero | none', 'every')
    .option('--total-count-offset <n>', 'add this to total_count (negative: a vendor that under-counts)')
    .option('--max-page-size <n>', 'serve at most this many records a page, silently, whatever page_size asks')
    .option('--cycle-pages <n>', 'answer page k as page k mod n (pages that cycle, for ever)')
    .option('--page-size-out-of-range <what>', 'reject | clamp', 'reject')
    .option('--accept-byte-sign', 'also accept open API signs whose lengths count UTF-8 bytes')
    .option('--churn-every <n>', 'after every nth list call, modify the first record served (records shift between pages)')
    .action(async (o: EmulateWdtOpts) => {
      const emu = await startWdtEmulator(toWdtEmulatorOptions(o));
      process.stdout.write(describeWdtEmulator(emu));
      await waitForStopSignal();
      await emu.close();
    });
}
