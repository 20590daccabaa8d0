import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PlatformContext, SourceSession, TargetSession } from '../src/core/contracts/platform.ts';
import type { StateStore } from '../src/core/contracts/state-store.ts';
import { pausesOnly, TokenBucket, type RateLimiter } from '../src/core/policy/rate-limiter.ts';
import { compileScheme } from '../src/engine/compile-scheme.ts';
import type { RunEvent } from '../src/engine/events.ts';
import { runScheme } from '../src/engine/run-scheme.ts';
import type { RunReport } from '../src/engine/reconcile.ts';
import { kingdeeProfile } from '../src/platforms/kingdee/index.ts';
import { wdtProfile } from '../src/platforms/wdt/index.ts';
import { applyBug, type BugName } from './bugs.ts';
import { VirtualClock, type VirtualTime } from './clock.ts';
import { checkFinal, checkRun, checkRate, type Violation } from './invariants.ts';
import { KingdeeVendor } from './kingdee-vendor.ts';
import { Rng } from './rng.ts';
import { openMortalStore } from './store.ts';
import { WdtVendor } from './wdt-vendor.ts';
import { Weather, type Fault } from './weather.ts';
import { drawWorld, mutateShops, type World, type WorldOptions } from './world.ts';
import type { VendorCall } from './wire.ts';
import { wireFetch } from './wire.ts';

export interface RunRecord {
  index: number;
  phase: 'storm' | 'calm';
  crashed: boolean;
  report?: RunReport;
  events: RunEvent[];
  /** Shop ids visible when the read this run did (or resumed) started: a resumed run continues an earlier read. */
  visibleAtStart: number[];
  resumed: boolean;
  creates: number;
}

export interface ScheduleResult {
  seed: number;
  violations: Violation[];
  runs: RunRecord[];
  calls: number;
  world: World;
  weather: string;
}

const REAL_MS_PER_RUN = 20_000;
/** A RAM disk when there is one: the store is still a real SQLite file, reopened from disk, just without fsync cost. */
const BASE_DIR = process.env.FERRY_SIM_DIR ?? (existsSync('/dev/shm') ? '/dev/shm' : tmpdir());

/** One schedule: storm runs (faults, process deaths) then calm runs, on one store file and one pair of vendors. */
export interface SimOptions {
  bug?: BugName;
  /** Keep the schedule's directory (store file) for inspection. */
  keep?: boolean;
  /** Faults the weather may draw (default: all). */
  faults?: readonly Fault[];
  world?: WorldOptions;
  /** Check the calls-per-second invariant (default true). */
  rate?: boolean;
}

export async function runSchedule(seed: number, o: SimOptions = {}): Promise<ScheduleResult> {
  const rng = new Rng(seed);
  const world = drawWorld(rng.fork(), o.world);
  const weather = new Weather(rng.fork(), o.faults);
  const time: VirtualTime = { now: Date.UTC(2026, 10, 1, 1, 0, 0) };
  const dir = mkdtempSync(join(BASE_DIR, 'ferry-sim-'));
  const file = join(dir, 'ferry.sqlite');
  const wdt = new WdtVendor(world.shops, world.wdt, weather, rng.fork(), (r) => mutateShops(world.shops, r));
  const kingdee = new KingdeeVendor(world.kingdee, weather, rng.fork(), world.kingdeeMode === 'signed', o.world?.followUpFaults ?? true);
  for (const i of world.preexisting) {
    const s = world.shops[i]!;
    if (s.shop_name && s.shop_name.length <= world.kingdee.maxNameLength && world.kingdee.orgs.includes(s.remark) && !kingdee.customers.has(s.shop_no))
      kingdee.seed({ number: s.shop_no, name: s.shop_name, org: s.remark, status: 'C' });
  }
  const compiled = compileScheme(world.scheme);
  if (!compiled.ok) throw new Error(`sim scheme does not compile: ${JSON.stringify(compiled.problems)}`);
  const cs = compiled.compiled;
  const violations: Violation[] = [];
  const runs: RunRecord[] = [];
  const log: VendorCall[] = [];
  const engineRandom = rng.fork();
  const wireRng = rng.fork();
  let readStart: number[] | undefined;

  const runOnce = async (index: number, phase: 'storm' | 'calm', crashAt: number): Promise<RunRecord> => {
    weather.stormy = phase === 'storm';
    const clock = new VirtualClock(time);
    const state = { dead: false };
    let events = 0;
    const crashHere = () => {
      events++;
      if (state.dead || crashAt <= 0 || events !== crashAt) return false;
      state.dead = true;
      clock.kill();
      return true;
    };
    const hooks = { crashHere, log };
    const { store: rawStore, inner } = openMortalStore(file, state, crashHere);
    const rate = world.scheme.rateLimit;
    // As the composition root (src/cli/open-run.ts) wires them: a permit per HTTP request, the engine only pauses.
    const sourceLimiter = new TokenBucket(rate.source!.perSecond, rate.source!.burst, clock);
    const targetLimiter = new TokenBucket(rate.target!.perSecond, rate.target!.burst, clock);
    const ctx = (name: string, handle: WdtVendor | KingdeeVendor, limiter: RateLimiter): PlatformContext => ({
      connection: name,
      fetch: wireFetch(name, (req, api) => handle.handle(req, api), { clock: () => clock, rng: wireRng, hooks, latencyMs: world.latencyMs }),
      now: () => clock.now(),
      timeoutMs: world.scheme.timeouts.callMs,
      pace: (signal) => limiter.acquire(signal),
    });
    const wdtConn = wdtProfile.connectionSchema.parse({ transport: 'qimen', baseUrl: 'http://wdt.sim/router/qm', sid: 'sim', appKey: 'simkey', appSecret: 'simsecret', targetAppKey: 'wdtkey' });
    const kdConn = kingdeeProfile.connectionSchema.parse(
      world.kingdeeMode === 'signed'
        ? { mode: 'signed', baseUrl: 'http://kingdee.sim/k3cloud/', acctId: 'acct', username: 'sim', appId: '100001_AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcY', appSecret: '0123456789abcdef0123456789abcdef', encoding: world.encoding, maxInFlight: 4 }
        : { mode: 'appSecret', baseUrl: 'http://kingdee.sim/k3cloud/', acctId: 'acct', username: 'sim', appId: 'app', appSecret: 'secret', encoding: world.encoding, maxInFlight: 4 },
    );
    let source: SourceSession = wdtProfile.openSource!(wdtConn, ctx('wdt', wdt, sourceLimiter));
    let target: TargetSession = kingdeeProfile.openTarget!(kdConn, ctx('kingdee', kingdee, targetLimiter));
    let store: StateStore = rawStore;
    if (o.bug) ({ source, target, store } = applyBug(o.bug, { source, target, store }));
    const runEvents: RunEvent[] = [];
    const resumed = (await inner.listCheckpoints(world.scheme.name)).some((c) => c.cursor !== null);
    if (!resumed || !readStart) readStart = world.shops.filter((s) => s.is_disabled === 0).map((s) => s.shop_id);
    const visibleAtStart = readStart;
    const runTag = `run${index}`;
    kingdee.runTag = runTag;
    const createsBefore = kingdee.creates;
    const budget = 2000 + 60 * world.shops.length;
    const callsBefore = log.length;
    const promise = runScheme(cs, {
      store,
      source,
      target,
      sourceLimiter: pausesOnly(sourceLimiter),
      targetLimiter: pausesOnly(targetLimiter),
      clock,
      random: () => engineRandom.next(),
      onEvent: (e) => {
        if (e.type !== 'progress') runEvents.push(e);
        if (!state.dead && log.length - callsBefore > budget) {
          violations.push({ kind: 'liveness', message: `run ${index} made more than ${budget} vendor calls without ending` });
          state.dead = true;
          clock.kill();
        }
      },
    });
    let report: RunReport | undefined;
    let failure: unknown;
    let watchdog: NodeJS.Timeout | undefined;
    const stalled = new Promise<'stalled'>((r) => (watchdog = setTimeout(() => r('stalled'), REAL_MS_PER_RUN)));
    const outcome = await Promise.race([promise.then((x) => ({ ok: x }), (e: unknown) => ({ err: e })), stalled]);
    clearTimeout(watchdog);
    if (outcome === 'stalled') {
      violations.push({ kind: 'liveness', message: `run ${index} neither ended nor waited on anything for ${REAL_MS_PER_RUN / 1000} s (real time)` });
      state.dead = true;
      clock.kill();
    } else if ('ok' in outcome) report = outcome.ok;
    else failure = outcome.err;
    await source.close?.().catch(() => undefined);
    await target.close?.().catch(() => undefined);
    const crashed = state.dead;
    if (!crashed && failure) violations.push({ kind: 'crash', message: `run ${index} threw instead of ending with a status: ${String(failure)}` });
    const record: RunRecord = { index, phase, crashed, ...(report && !crashed ? { report } : {}), events: runEvents, visibleAtStart, resumed, creates: kingdee.creates - createsBefore };
    // Checked now, while the ledger rows are this run's (a later run overwrites them).
    if (record.report) violations.push(...(await checkRun(record, world, kingdee, inner)));
    await inner.close();
    time.now += 1000 + Math.floor(wireRng.next() * 60_000); // the restart (or the next schedule tick)
    return record;
  };

  try {
    let index = 0;
    for (let i = 0; i < world.stormRuns; i++) runs.push(await runOnce(index++, 'storm', world.crashes[i] ?? 0));
    // The weather clears: a run that finishes what is pending, then (if that one resumed) a fresh full read.
    let calm = await runOnce(index++, 'calm', 0);
    runs.push(calm);
    if (calm.resumed || calm.report?.status !== 'succeeded') {
      calm = await runOnce(index++, 'calm', 0);
      runs.push(calm);
    }
    const reopened = openMortalStore(file, { dead: false }, () => false);
    try {
      violations.push(...(await checkFinal(calm, world, kingdee, reopened.store)));
      if (o.rate ?? true) violations.push(...checkRate(log, world));
    } finally {
      await reopened.inner.close();
    }
  } finally {
    if (!o.keep) rmSync(dir, { recursive: true, force: true });
  }
  return { seed, violations, runs, calls: log.length, world, weather: weather.describe() };
}
