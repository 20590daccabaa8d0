import type { Command } from 'commander';
import { Cron } from 'croner';
import type { Scheme } from '../../core/scheme/scheme.ts';
import { runScheme } from '../../engine/run-scheme.ts';
import { openScale } from '../../scale/enqueue-run.ts';
import { startScaleScheduler } from '../../scale/scale-scheduler.ts';
import { Scheduler, type ScheduleEvent } from '../../scale/scheduler.ts';
import { SqliteStore } from '../../store/sqlite/sqlite-store.ts';
import { loadConnectionsFile } from '../connections.ts';
import { dataDir, logFile, stateFile } from '../data-dir.ts';
import { openRun } from '../open-run.ts';
import { checkSchemeFile, formatProblem, loadSchemeFile } from '../scheme-file.ts';
import { formatInZone } from '../../core/scheme/schedule-check.ts';

const describeEvent = (e: ScheduleEvent) =>
  `${new Date(e.at).toISOString()} ${e.scheme}: ${e.type}${'reason' in e ? ` (${e.reason})` : ''}${'message' in e ? `: ${e.message}` : ''} [${e.trigger}]`;

export function registerSchedule(program: Command): void {
  const cmd = program.command('schedule').description('cron schedules of schemes (the scheme\'s "schedule" block)');

  cmd
    .command('list')
    .description('show each scheme\'s schedule and its next runs')
    .argument('<schemes...>', 'scheme files')
    .option('-n, --next <n>', 'next runs to show', '3')
    .action((files: string[], o: { next: string }) => {
      let bad = 0;
      for (const file of files) {
        // One bad scheme is reported with its problems; the others are still listed.
        const { scheme: s, problems } = checkSchemeFile(file);
        if (!s || problems.length) {
          bad++;
          process.stdout.write(`${file}: not valid, not scheduled\n${problems.map((p) => `  ${formatProblem(p)}\n`).join('')}`);
          continue;
        }
        if (!s.schedule) {
          process.stdout.write(`${s.name}: no schedule (manual runs only)\n`);
          continue;
        }
        const zone = s.schedule.timezone;
        const c = new Cron(s.schedule.cron, { timezone: zone, paused: true });
        const next = s.schedule.enabled ? c.nextRuns(Number(o.next)).map((d) => formatInZone(d, zone)) : [];
        process.stdout.write(
          `${s.name}: "${s.schedule.cron}" ${zone}, overlap ${s.schedule.overlap}${s.schedule.enabled ? '' : ', DISABLED'}` +
            `${s.source.incremental?.remedyHours ? `, each run also re-reads the last ${s.source.incremental.remedyHours} h (omission remedy)` : ''}\n` +
            next.map((n) => `  next ${n}\n`).join(''),
        );
      }
      process.exitCode = bad ? 1 : 0;
    });

  cmd
    .command('run')
    .description('run the schemes on their schedules until stopped: in this process (SQLite), or enqueued for workers with --redis and --postgres')
    .argument('<schemes...>', 'scheme files')
    .option('-c, --connections <file>', 'connections file (single-process mode)', 'ferry.connections.json')
    .option('-d, --data <dir>', 'data directory (single-process mode)')
    .option('--redis <url>', 'enqueue runs on this Redis for `ferry worker`s')
    .option('--postgres <url>', 'the shared PostgreSQL store (with --redis)')
    .option('--schema <name>', 'PostgreSQL schema', 'ferry')
    .option('--prefix <p>', 'Redis key prefix', 'ferry')
    .action(async (files: string[], o: { connections: string; data?: string; redis?: string; postgres?: string; schema: string; prefix: string }) => {
      const schemes = files.map((f) => loadSchemeFile(f));
      const onEvent = (e: ScheduleEvent) => process.stdout.write(`${describeEvent(e)}\n`);
      let scheduler: Scheduler;
      let close: () => Promise<void>;
      if (o.redis || o.postgres) {
        if (!o.redis || !o.postgres) throw new Error('scaled-out scheduling needs both --redis and --postgres');
        const scale = await openScale({ redisUrl: o.redis, postgresUrl: o.postgres, schema: o.schema, prefix: o.prefix });
        scheduler = startScaleScheduler(scale, schemes, { onEvent });
        close = () => scale.close();
      } else {
        ({ scheduler, close } = localScheduler(schemes, o.connections, dataDir(o.data), onEvent));
      }
      for (const s of scheduler.list()) process.stdout.write(`${s.scheme}: ${s.enabled ? `next ${s.next}` : 'no enabled schedule'}\n`);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', () => resolve());
        process.once('SIGTERM', () => resolve());
      });
      scheduler.stop();
      await close();
    });
}

/** One process: runs go through the engine here, one at a time per scheme, against the SQLite store. */
function localScheduler(schemes: Scheme[], connectionsFile: string, dir: string, onEvent: (e: ScheduleEvent) => void) {
  const connections = loadConnectionsFile(connectionsFile);
  const store = new SqliteStore(stateFile(dir));
  const byName = new Map(schemes.map((s) => [s.name, s]));
  const running = new Set<string>();
  const scheduler = new Scheduler({
    isRunning: (name) => running.has(name),
    onEvent,
    startRun: async (name, trigger) => {
      running.add(name);
      const run = openRun(byName.get(name)!, connections, store, { logFile: logFile(dir) });
      try {
        const r = await runScheme(run.cs, run.deps, { trigger });
        process.stdout.write(`${new Date().toISOString()} ${name}: run ${r.runId} ${r.status}, ${r.reconciliation.written} written, ${r.reconciliation.rejected} rejected\n`);
      } finally {
        running.delete(name);
        await run.close();
      }
    },
  });
  for (const s of schemes) scheduler.set(s);
  return { scheduler, close: () => store.close() };
}
