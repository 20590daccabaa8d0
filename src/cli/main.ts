import { Command, CommanderError } from 'commander';
import { registerCommands } from './commands/index.ts';
import { UserError } from './user-error.ts';
import { SchemeBusyError } from '../engine/run-lock.ts';

/** Entry point of the `ferry` command. Returns the exit code; never prints a stack trace for user errors. */
export async function main(argv: string[]): Promise<number> {
  const program = new Command();
  program
    .name('ferry')
    .description('ferry — run integration schemes (集成方案) between WDT, Kingdee K3Cloud and HTTP/JSON systems')
    .version('0.1.0')
    .exitOverride()
    .showHelpAfterError('(run `ferry --help` for the list of commands)');
  try {
    await registerCommands(program, argv);
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    if (err instanceof SchemeBusyError) {
      process.stderr.write(`ferry: ${err.message}\n`);
      return 3;
    }
    if (err instanceof UserError) {
      process.stderr.write(`ferry: ${err.message}\n`);
      return err.exitCode;
    }
    process.stderr.write(`ferry: unexpected error: ${err instanceof Error ? err.message : String(err)}\n`);
    if (process.env.FERRY_DEBUG) process.stderr.write(`${err instanceof Error ? err.stack : ''}\n`);
    return 70;
  }
}

