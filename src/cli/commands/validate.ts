import type { Command } from 'commander';
import { loadConnectionsFile } from '../connections.ts';
import { checkSchemeFile, formatProblem } from '../scheme-file.ts';
import { readSample } from './preview.ts';

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('check a scheme file: exit 0 when valid, 1 with one line per problem (JSON path, what is wrong, a suggestion)')
    .argument('<scheme>', 'scheme file (JSON)')
    .option('--json', 'print the problems as JSON')
    .option('-c, --connections <file>', 'connections file: check the source and target options against their real platforms')
    .option('-s, --sample <records.json>', 'sample source records (JSON array or a vendor response): warn about template fields none of them has')
    .action((file: string, opts: { json?: boolean; connections?: string; sample?: string }) => {
      const connections = opts.connections ? loadConnectionsFile(opts.connections) : undefined;
      const sample = opts.sample ? readSample(opts.sample) : undefined;
      const { scheme, problems, warnings } = checkSchemeFile(file, connections, sample ? { sample } : {});
      if (opts.json) {
        process.stdout.write(`${JSON.stringify({ valid: problems.length === 0, problems, warnings }, null, 2)}\n`);
        process.exitCode = problems.length ? 1 : 0;
        return;
      }
      for (const w of warnings) process.stdout.write(`${file}: warning: ${formatProblem(w)}\n`);
      if (problems.length === 0) {
        process.stdout.write(`${file}: valid scheme "${scheme?.name}" (${scheme?.source.api} → ${scheme?.target.api})\n`);
      } else {
        for (const p of problems) process.stdout.write(`${file}: ${formatProblem(p)}\n`);
        process.stdout.write(`${problems.length} problem${problems.length > 1 ? 's' : ''}\n`);
      }
      process.exitCode = problems.length ? 1 : 0;
    });
}
