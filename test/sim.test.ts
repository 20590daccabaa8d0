import { describe, expect, it } from 'vitest';
import { options } from '../sim/options.ts';
import { runSchedule } from '../sim/schedule.ts';

/**
 * The simulation (sim/, issue 11): the real engine, store and WDT/Kingdee clients against scripted vendors
 * in virtual time, with faults and process deaths drawn from a seed. `npm run sim -- --seeds 2000` is the
 * long run; this file runs a fixed set of seeds.
 *
 * OPEN lists the fault families whose violations are still open, left out of the fixed seeds (`npm run sim`
 * always runs everything); see docs/engine.md, "The simulation":
 * (none today: `rate` was open until the platforms took a limiter permit per HTTP request, PlatformContext.pace;
 * `autoAuditFail` until a create refused with IsAutoSubmitAndAudit was looked up, see docs/connectors/kingdee.md).
 */
const OPEN: string[] = [];
const SEEDS = 40;
/** Violations found by the sim whose fix is not in yet, accepted here by their message (none today). */
const KNOWN: RegExp[] = [];

describe('simulation', () => {
  it(`finds no violation on seeds 1–${SEEDS}`, async () => {
    const failing: string[] = [];
    for (let seed = 1; seed <= SEEDS; seed++) {
      const r = await runSchedule(seed, options(OPEN));
      r.violations = r.violations.filter((v) => !KNOWN.some((k) => k.test(v.message)));
      if (r.violations.length) failing.push(`seed ${seed} (npm run sim -- --seed ${seed} --without ${OPEN.join(',')} --verbose): ${r.violations[0]!.kind}: ${r.violations[0]!.message}`);
    }
    expect(failing).toEqual([]);
  }, 120_000);

  it('replays a seed exactly', async () => {
    const a = await runSchedule(11);
    const b = await runSchedule(11);
    const summary = (r: typeof a) => ({ calls: r.calls, runs: r.runs.map((x) => [x.crashed, x.report?.status, x.report?.counts]), violations: r.violations.map((v) => v.message) });
    expect(summary(b)).toEqual(summary(a));
    expect(a.runs.length).toBeGreaterThan(1);
  }, 60_000);

  for (const bug of ['resend-without-lookup', 'skip-page-order'] as const) {
    it(`finds the re-introduced bug ${bug} within 200 seeds`, async () => {
      let found: number | undefined;
      for (let seed = 1; seed <= 200 && found === undefined; seed++) {
        const r = await runSchedule(seed, { ...options(OPEN), bug });
        if (r.violations.some((v) => !KNOWN.some((k) => k.test(v.message)))) found = seed;
      }
      console.log(`--bug ${bug}: found by seed ${found}`);
      expect(found).toBeDefined();
      // …and because of the bug: the same seed without it is clean.
      const clean = await runSchedule(found!, options(OPEN));
      expect(clean.violations.filter((v) => !KNOWN.some((k) => k.test(v.message)))).toEqual([]);
    }, 120_000);
  }
});
