import type { Command } from 'commander';
import type { UserRole } from '../../core/contracts/server-store.ts';
import { choosePassword, type PasswordSource } from '../admin/password-input.ts';
import { createUser, resetPassword, ROLES } from '../admin/admin-users.ts';
import { backupDataDir } from '../admin/backup.ts';
import { dataDir } from '../data-dir.ts';
import { UserError } from '../user-error.ts';

interface UserFlags extends PasswordSource {
  data?: string;
}

function printPassword(what: string, p: { password: string; generated: boolean }): void {
  if (p.generated) process.stdout.write(`${what} with password\n\n    ${p.password}\n\nit is shown only this once; the first login with it asks for a new one.\n`);
  else process.stdout.write(`${what} with the password given\n`);
}

const passwordOptions = (c: Command) =>
  c
    .option('-d, --data <dir>', 'data directory of ferry serve; default .ferry or $FERRY_DATA_DIR')
    .option('--password-stdin', 'read the password from standard input instead of generating one')
    .option('--password-env <VAR>', 'take the password from this environment variable instead of generating one');

/**
 * `ferry admin …`: what an operator does on the data directory itself, without the console — also when nobody can
 * log in any more. Works offline and while `ferry serve` runs on the same directory (SQLite WAL).
 */
export function registerAdmin(program: Command): void {
  const admin = program.command('admin').description('manage users and back up the data directory of ferry serve (works offline or while it runs)');

  passwordOptions(
    admin
      .command('reset-password')
      .description("set a new password for a user (generated and printed unless given) and end the user's sessions")
      .argument('<user>', 'user name')
      .option('--enable', 'also re-enable the user if disabled'),
  ).action(async (user: string, o: UserFlags & { enable?: boolean }) => {
    const dir = dataDir(o.data);
    const pw = await choosePassword(o, user, process.env, process.stdin);
    const r = await resetPassword(dir, user, pw.password, o.enable ?? false, pw.generated);
    printPassword(`reset the password of "${user}" (${r.role}) in ${dir}`, pw);
    if (r.disabled) process.stdout.write(`note: "${user}" is disabled; add --enable to let them log in\n`);
  });

  passwordOptions(
    admin
      .command('create-user')
      .description('create a user (password generated and printed unless given)')
      .argument('<user>', 'user name (letters, digits, _ . @ -)')
      .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`),
  ).action(async (user: string, o: UserFlags & { role: string }) => {
    if (!ROLES.includes(o.role as UserRole)) throw new UserError(`--role must be one of ${ROLES.join(', ')}, got ${o.role}`);
    const dir = dataDir(o.data);
    const pw = await choosePassword(o, user, process.env, process.stdin);
    await createUser(dir, user, o.role as UserRole, pw.password, pw.generated);
    printPassword(`created user "${user}" (${o.role}) in ${dir}`, pw);
  });

  admin
    .command('backup')
    .description("copy the data directory's database to FILE, consistently, also while ferry serve runs (SQLite online backup)")
    .argument('<file>', 'where to write the copy (a SQLite file; mode 0600)')
    .option('-d, --data <dir>', 'data directory of ferry serve; default .ferry or $FERRY_DATA_DIR')
    .option('--force', 'replace FILE if it exists')
    .action(async (file: string, o: { data?: string; force?: boolean }) => {
      const dir = dataDir(o.data);
      const b = await backupDataDir(dir, file, o.force ?? false);
      process.stdout.write(
        `backed up ${dir}/ferry.sqlite to ${b.file}: ${(b.bytes / 1024).toFixed(0)} KiB, ${b.users} users, ${b.runs} runs, ${b.ledgerRows} ledger rows (integrity ok)\n` +
          `the credentials in it are sealed with the server key: keep ${dir}/secret.key (or FERRY_SECRET_KEY) safe, and apart from this file\n`,
      );
    });
}
