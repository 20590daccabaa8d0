import { main } from '../../src/cli/main.ts';

/**
 * Runs `ferry <args>` in this process (the same command functions the binary runs), capturing what it
 * prints and its exit code. Much faster than spawning a process per case; a few cases still spawn the
 * real CLI (support/cli.ts) to prove the two agree.
 */
export async function ferryInProcess(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const write = (sink: string[]) => ((chunk: string | Uint8Array) => (sink.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8')), true)) as typeof process.stdout.write;
  const [ow, ew] = [process.stdout.write, process.stderr.write];
  process.stdout.write = write(out);
  process.stderr.write = write(err);
  process.exitCode = undefined;
  try {
    const code = await main(['node', 'ferry', ...args]);
    return { code, stdout: out.join(''), stderr: err.join('') };
  } finally {
    process.stdout.write = ow;
    process.stderr.write = ew;
    process.exitCode = undefined;
  }
}
