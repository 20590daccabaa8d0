import { describe, expect, it } from 'vitest';
import { Scheduler, type ScheduleEvent, type SchedulerClock } from '../src/scale/scheduler.ts';

/** A clock whose timers fire only when the test advances it. */
class FakeClock implements SchedulerClock {
  private timers: { at: number; fn: () => void; id: number }[] = [];
  private seq = 0;
  constructor(public t: number) {}
  now = () => this.t;
  setTimer = (fn: () => void, ms: number) => {
    const id = this.seq++;
    this.timers.push({ at: this.t + ms, fn, id });
    return () => {
      this.timers = this.timers.filter((x) => x.id !== id);
    };
  };
  /** Moves time forward, firing due timers in order and letting promises settle after each. */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    await flush();
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at || a.id - b.id);
      const next = this.timers[0];
      if (!next || next.at > end) break;
      this.timers.shift();
      this.t = Math.max(this.t, next.at);
      next.fn();
      await flush();
    }
    this.t = end;
    await flush();
  }
}

const flush = async () => {
  for (let i = 0; i < 20; i++) await Promise.resolve();
};

/** Runs that end only when the test says so. */
function slowRuns() {
  const started: { trigger: string; at: number }[] = [];
  const open: (() => void)[] = [];
  return {
    started,
    running: () => open.length > 0,
    start: (clock: SchedulerClock) => (_name: string, trigger: string) =>
      new Promise<void>((resolve) => {
        started.push({ trigger, at: clock.now() });
        open.push(resolve);
      }),
    finishOne: () => open.shift()?.(),
  };
}

const T0 = Date.parse('2026-01-01T00:00:30+08:00');
const scheme = (cron: string, overlap: 'skip' | 'queue' = 'skip', timezone = 'Asia/Shanghai') => ({
  name: '店铺同步客户',
  schedule: { cron, timezone, overlap, enabled: true },
});

describe('scheduler', () => {
  it('runs a scheme scheduled every minute on the minute', async () => {
    const clock = new FakeClock(T0);
    const at: number[] = [];
    const s = new Scheduler({ clock, isRunning: () => false, startRun: async () => void at.push(clock.now()) });
    s.set(scheme('* * * * *'));
    expect(s.list()[0]!.next).toBe('2025-12-31T16:01:00.000Z');
    await clock.advance(3 * 60_000);
    expect(at.map((x) => new Date(x).toISOString())).toEqual(['2025-12-31T16:01:00.000Z', '2025-12-31T16:02:00.000Z', '2025-12-31T16:03:00.000Z']);
    s.stop();
    await clock.advance(5 * 60_000);
    expect(at.length).toBe(3);
  });

  it('reads the cron in Beijing time unless the schedule names another zone', async () => {
    const clock = new FakeClock(T0);
    const s = new Scheduler({ clock, isRunning: () => false, startRun: async () => {} });
    s.set(scheme('0 9 * * *'));
    expect(s.list()[0]!.next).toBe('2026-01-01T01:00:00.000Z');
    s.set({ name: 'utc', schedule: { cron: '0 9 * * *', timezone: 'UTC', overlap: 'skip', enabled: true } });
    expect(s.list().find((x) => x.scheme === 'utc')!.next).toBe('2026-01-01T09:00:00.000Z');
    s.stop();
  });

  it('skip: a slow run is not overlapped', async () => {
    const clock = new FakeClock(T0);
    const runs = slowRuns();
    const events: ScheduleEvent[] = [];
    const s = new Scheduler({ clock, isRunning: runs.running, startRun: runs.start(clock), onEvent: (e) => events.push(e) });
    s.set(scheme('* * * * *', 'skip'));
    await clock.advance(3 * 60_000);
    expect(runs.started.length).toBe(1);
    expect(events.filter((e) => e.type === 'skipped').length).toBe(2);
    runs.finishOne();
    await clock.advance(60_000);
    expect(runs.started.length).toBe(2);
    s.stop();
  });

  it('queue: one run waits while a slow run goes on, and starts when it ends', async () => {
    const clock = new FakeClock(T0);
    const runs = slowRuns();
    const events: ScheduleEvent[] = [];
    const s = new Scheduler({ clock, isRunning: runs.running, startRun: runs.start(clock), onEvent: (e) => events.push(e) });
    s.set(scheme('* * * * *', 'queue'));
    await clock.advance(3 * 60_000 + 10_000);
    expect(runs.started.length).toBe(1);
    expect(events.map((e) => e.type)).toEqual(['started', 'queued', 'skipped']);
    expect(s.list()[0]!.queued).toBe(true);
    runs.finishOne();
    await clock.advance(1);
    expect(runs.started.length).toBe(2);
    expect(runs.started[1]!.at).toBe(T0 + 3 * 60_000 + 10_000); // the moment the slow run ended
    expect(s.list()[0]!.queued).toBe(false);
    runs.finishOne();
    await clock.advance(10_000); // 00:03:50: nothing queued, no tick yet
    expect(runs.started.length).toBe(2);
    await clock.advance(10_000); // 00:04:00 tick
    expect(runs.started.length).toBe(3);
    s.stop();
  });

  it('queue: a run going elsewhere (another process) holds the queued run until isRunning says it ended', async () => {
    const clock = new FakeClock(T0);
    let elsewhere = true;
    const started: string[] = [];
    const s = new Scheduler({ clock, pollMs: 1000, isRunning: () => elsewhere, startRun: async (_n, trigger) => void started.push(trigger) });
    s.set(scheme('* * * * *', 'queue'));
    await clock.advance(60_000);
    expect(started).toEqual([]);
    await clock.advance(5_000);
    elsewhere = false;
    await clock.advance(1_000);
    expect(started).toEqual(['schedule']);
    s.stop();
  });

  it('manual runs follow the overlap policy; a scheme without a schedule can still be run by hand', async () => {
    const clock = new FakeClock(T0);
    const runs = slowRuns();
    const s = new Scheduler({ clock, isRunning: runs.running, startRun: runs.start(clock) });
    s.set({ name: 'no-schedule', schedule: undefined });
    expect(s.list()[0]).toMatchObject({ enabled: false, next: null });
    expect(await s.runNow('no-schedule')).toBe('started');
    expect(await s.runNow('no-schedule')).toBe('skipped');
    s.set(scheme('0 0 1 1 *', 'queue'));
    runs.finishOne();
    expect(await s.runNow('店铺同步客户', 'manual')).toBe('started');
    expect(await s.runNow('店铺同步客户', 'manual')).toBe('queued');
    expect(runs.started.map((r) => r.trigger)).toEqual(['manual', 'manual']);
    s.stop();
  });

  it('a disabled schedule never fires; a bad expression is refused when set', async () => {
    const clock = new FakeClock(T0);
    const started: string[] = [];
    const s = new Scheduler({ clock, isRunning: () => false, startRun: async (n) => void started.push(n) });
    s.set({ name: 'off', schedule: { cron: '* * * * *', timezone: 'Asia/Shanghai', overlap: 'skip', enabled: false } });
    await clock.advance(5 * 60_000);
    expect(started).toEqual([]);
    expect(() => s.set({ name: 'bad', schedule: { cron: '61 * * * *', timezone: 'Asia/Shanghai', overlap: 'skip', enabled: true } })).toThrow();
    s.stop();
  });

  it('a failing start is reported and the next tick still runs', async () => {
    const clock = new FakeClock(T0);
    const events: ScheduleEvent[] = [];
    let n = 0;
    const s = new Scheduler({
      clock,
      isRunning: () => false,
      startRun: async () => {
        if (n++ === 0) throw new Error('PostgreSQL is down');
      },
      onEvent: (e) => events.push(e),
    });
    s.set(scheme('* * * * *'));
    await clock.advance(2 * 60_000);
    expect(events.map((e) => e.type)).toEqual(['started', 'error', 'started']);
    expect(events[1]).toMatchObject({ message: 'PostgreSQL is down' });
    s.stop();
  });

  it('on the real clock, a per-second schedule fires every second', async () => {
    const at: number[] = [];
    const s = new Scheduler({ isRunning: () => false, startRun: async () => void at.push(Date.now()) });
    s.set(scheme('* * * * * *'));
    await new Promise((r) => setTimeout(r, 3500));
    s.stop();
    expect(at.length).toBeGreaterThanOrEqual(2);
    // Each tick belongs to its own second.
    expect(new Set(at.map((x) => Math.floor(x / 1000))).size).toBe(at.length);
  });
});
