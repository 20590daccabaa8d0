import type { Command } from 'commander';
import { schemeJsonSchema } from '../../core/scheme/scheme.ts';

export function registerSchema(program: Command): void {
  program
    .command('schema')
    .description('print the JSON Schema of scheme files (for editor autocompletion)')
    .action(() => {
      process.stdout.write(`${JSON.stringify(schemeJsonSchema(), null, 2)}\n`);
    });
}
