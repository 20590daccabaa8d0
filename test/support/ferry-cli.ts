import { spawn } from 'node:child_process';
import { FERRY } from './cli.ts';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Like `ferry()` in cli.ts, with an environment and standard input (for `ferry admin`); killed after `timeoutMs`. */
export function ferryCli(args: string[], o: { env?: NodeJS.ProcessEnv; stdin?: string; timeoutMs?: number } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [FERRY, ...args], { env: { ...process.env, FERRY_ADMIN_PASSWORD: '', ...o.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), o.timeoutMs ?? 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(o.stdin ?? '');
  });
}
