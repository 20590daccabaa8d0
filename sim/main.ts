import { BUGS, type BugName } from './bugs.ts';
import { options } from './options.ts';
import { runSchedule } from './schedule.ts';

/**
 * `npm run sim -- --seeds N [--seed S] [--bug NAME] [--verbose]`: runs N schedules from seed S on (default 1),
 * prints schedules per second and every violation with the one-line command that replays its seed.
 */
function args(argv: string[]): { seeds: number; from: number; bug?: BugName; verbose: boolean; stopAtFirst: boolean; without: string[] } {
  const get = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const bug = get('--bug');
  if (bug !== undefined && !(BUGS as readonly string[]).includes(bug)) throw new Error(`--bug must be one of ${BUGS.join(', ')}`);
  const seed = get('--seed');
  return {
    seeds: Number(get('--seeds') ?? (seed !== undefined ? 1 : 100)),
    from: Number(seed ?? 1),
    ...(bug ? { bug: bug as BugName } : {}),
    verbose: argv.includes('--verbose'),
    stopAtFirst: argv.includes('--first'),
    without: (get('--without') ?? '').split(',').filter(Boolean),
  };
}

async function main(): Promise<void> {
  const a = args(process.argv.slice(2));
  const started = performance.now();
  let failing = 0;
  let violations = 0;
  let calls = 0;
  let runs = 0;
  let ran = 0;
  const kinds = new Map<string, number>();
  for (let seed = a.from; seed < a.from + a.seeds; seed++) {
    ran++;
    const r = await runSchedule(seed, { ...options(a.without), ...(a.bug ? { bug: a.bug } : {}) });
    calls += r.calls;
    runs += r.runs.length;
    if (a.verbose) {
      const w = r.world;
      console.log(`seed ${seed}: ${w.shops.length} shops, page ${w.scheme.source.pagination.pageSize}${w.wdt.cap ? ` cap ${w.wdt.cap}` : ''}, totals ${w.wdt.totals}, batch ${w.scheme.batch.size}×${w.scheme.batch.maxInFlight}, kingdee ${w.kingdeeMode}${w.kingdee.queryCap ? ` queryCap ${w.kingdee.queryCap}` : ''}, pre ${w.preexisting.length}, crashes [${w.crashes.join(',')}], weather ${r.weather}`);
      for (const run of r.runs) console.log(`  run ${run.index} ${run.phase}${run.resumed ? ' resumed' : ''}: ${run.crashed ? 'died' : `${run.report?.status} ${JSON.stringify(run.report?.counts)}${run.report?.reason ? ` — ${run.report.reason}` : ''}`}`);
    }
    if (r.violations.length) {
      const w = a.without.length ? ` --without ${a.without.join(',')}` : '';
      failing++;
      violations += r.violations.length;
      const byKind = new Map<string, number>();
      for (const v of r.violations) byKind.set(v.kind, (byKind.get(v.kind) ?? 0) + 1);
      for (const [k, n] of byKind) kinds.set(k, (kinds.get(k) ?? 0) + n);
      console.log(`seed ${seed}: ${r.violations.length} violation(s) [${[...byKind].map(([k, n]) => `${k} ${n}`).join(', ')}] — replay: npm run sim -- --seed ${seed}${a.bug ? ` --bug ${a.bug}` : ''}${w} --verbose`);
      for (const v of r.violations.slice(0, a.verbose ? 50 : 3)) console.log(`    ${v.kind}: ${v.message}`);
      if (a.stopAtFirst) break;
    }
  }
  const secs = (performance.now() - started) / 1000;
  const done = ` ${ran} schedules`;
  console.log(
    `sim${a.bug ? ` --bug ${a.bug}` : ''}${a.without.length ? ` --without ${a.without.join(',')}` : ''}:${done} (seeds ${a.from}…) in ${secs.toFixed(1)} s = ${(ran / secs).toFixed(1)} schedules/s; ${runs} runs, ${calls} vendor calls; ` +
      `${failing} failing seeds, ${violations} violations${kinds.size ? ` (${[...kinds].map(([k, n]) => `${k} ${n}`).join(', ')})` : ''}`,
  );
  process.exitCode = failing ? 1 : 0;
}

await main();
