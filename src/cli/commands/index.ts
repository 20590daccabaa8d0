import type { Command } from 'commander';
import { registerAdmin } from './admin.ts';
import { registerDemo } from './demo.ts';
import { registerEmulate } from './emulate.ts';
import { registerPreview } from './preview.ts';
import { registerRecords } from './records.ts';
import { registerReplay } from './replay.ts';
import { registerRun } from './run.ts';
import { registerRuns } from './runs.ts';
import { registerSchedule } from './schedule.ts';
import { registerSchema } from './schema.ts';
import { registerServe } from './serve.ts';
import { registerValidate } from './validate.ts';
import { registerWorker } from './worker.ts';

/** The composition root lists every command explicitly (nothing registers itself on import). */
export function registerCommands(program: Command): void {
  registerDemo(program);
  registerRun(program);
  registerRuns(program);
  registerRecords(program);
  registerReplay(program);
  registerValidate(program);
  registerPreview(program);
  registerSchema(program);
  registerEmulate(program);
  registerServe(program);
  registerWorker(program);
  registerSchedule(program);
  registerAdmin(program);
}
