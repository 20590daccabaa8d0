import { passwordProblem } from '../../server/security/password-policy.ts';
import { randomPassword } from '../../server/security/passwords.ts';
import { UserError } from '../user-error.ts';

export interface PasswordSource {
  /** Read the password from standard input (all of it, one trailing newline dropped). */
  passwordStdin?: boolean;
  /** Name of an environment variable holding the password. */
  passwordEnv?: string;
}

/** The server's one password policy (src/server/security/password-policy.ts): the console, the API and FERRY_ADMIN_PASSWORD use it too. */
export { passwordProblem };

/** The password to set: from stdin or the environment when asked, else a generated one (to print). */
export async function choosePassword(o: PasswordSource, username: string, env: NodeJS.ProcessEnv, stdin: NodeJS.ReadableStream): Promise<{ password: string; generated: boolean }> {
  if (o.passwordStdin && o.passwordEnv) throw new UserError('give --password-stdin or --password-env, not both');
  let pw: string | undefined;
  if (o.passwordStdin) pw = (await readAll(stdin)).replace(/\r?\n$/, '');
  else if (o.passwordEnv) {
    pw = env[o.passwordEnv];
    if (pw === undefined || pw === '') throw new UserError(`the environment variable ${o.passwordEnv} is not set or empty`);
  }
  if (pw === undefined) return { password: randomPassword(), generated: true };
  const problem = passwordProblem(pw, username);
  if (problem) throw new UserError(`the password is refused: ${problem} (the same policy as the console and the API)`);
  return { password: pw, generated: false };
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}
