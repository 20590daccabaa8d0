import type { Command } from 'commander';
import { checkSchemeFile, formatProblem } from '../scheme-file.ts';

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('check a scheme file: exit 0 when valid, 1 with one line per problem (JSON path, what is wrong, a suggestion)')
    .argument('<scheme>', 'scheme file (JSON)')
    .option('--json', 'print the problems as JSON')
    .action((file: string, opts: { json?: boolean }) => {
      const { scheme, problems } = checkSchemeFile(file);
      if (opts.json) {
        process.stdout.write(`${JSON.stringify({ valid: problems.length === 0, problems }, null, 2)}\n`);
      } else if (problems.length === 0) {
        process.stdout.write(`${file}: valid scheme "${scheme?.name}" (${scheme?.source.api} → ${scheme?.target.api})\n`);
      } else {
        for (const p of problems) process.stdout.write(`${file}: ${formatProblem(p)}\n`);
        process.stdout.write(`${problems.length} problem${problems.length > 1 ? 's' : ''}\n`);
      }
      process.exitCode = problems.length ? 1 : 0;
    });
}
