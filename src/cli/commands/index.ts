import type { Command } from 'commander';

type Register = (program: Command) => void;

/**
 * The composition root lists every command explicitly (nothing registers itself on import), in the order
 * `ferry --help` shows them. Each is loaded only when asked for, so `ferry validate` does not load the
 * server, the engine or the emulators.
 */
const COMMANDS: Record<string, () => Promise<Register>> = {
  demo: async () => (await import('./demo.ts')).registerDemo,
  run: async () => (await import('./run.ts')).registerRun,
  runs: async () => (await import('./runs.ts')).registerRuns,
  records: async () => (await import('./records.ts')).registerRecords,
  replay: async () => (await import('./replay.ts')).registerReplay,
  validate: async () => (await import('./validate.ts')).registerValidate,
  preview: async () => (await import('./preview.ts')).registerPreview,
  schema: async () => (await import('./schema.ts')).registerSchema,
  emulate: async () => (await import('./emulate.ts')).registerEmulate,
  serve: async () => (await import('./serve.ts')).registerServe,
  worker: async () => (await import('./worker.ts')).registerWorker,
  schedule: async () => (await import('./schedule.ts')).registerSchedule,
  admin: async () => (await import('./admin.ts')).registerAdmin,
};

/** The commands `argv` needs: the one it names; none for `--version`; every one for help and unknown words. */
export function commandsFor(argv: string[]): string[] {
  const first = argv[2];
  if (first === '-V' || first === '--version') return [];
  if (first !== undefined && Object.hasOwn(COMMANDS, first)) return [first];
  if (first === 'help' && argv[3] !== undefined && Object.hasOwn(COMMANDS, argv[3])) return [argv[3]];
  return Object.keys(COMMANDS);
}

export async function registerCommands(program: Command, argv: string[]): Promise<void> {
  const names = commandsFor(argv);
  const registers = await Promise.all(names.map((n) => COMMANDS[n]!()));
  for (const register of registers) register(program);
}
