import { existsSync } from 'node:fs';
import type { UserRole } from '../../core/contracts/server-store.ts';
import { AuthService } from '../../server/auth/auth-service.ts';
import type { AuthUser } from '../../server/http/route.ts';
import { SqliteServerStore } from '../../store/sqlite/server-store.ts';
import { stateFile } from '../data-dir.ts';
import { UserError } from '../user-error.ts';

export const ROLES: UserRole[] = ['admin', 'operator', 'viewer'];

/** Who acts when the command line changes users: an administrator that is none of the stored users. */
const COMMAND_LINE: AuthUser = { id: '(command line)', username: '(command line)', role: 'admin', via: 'session' };

/**
 * Opens the users of a data directory directly (its own SQLite connection: works while `ferry serve` runs on the
 * same directory — WAL — and takes effect on the server's next request, since sessions are read from the file).
 */
async function withAuth<T>(dir: string, fn: (auth: AuthService, store: SqliteServerStore) => Promise<T>): Promise<T> {
  const file = stateFile(dir);
  if (!existsSync(file)) throw new UserError(`no ferry database in ${dir} (${file} does not exist); give the data directory of ferry serve with --data`);
  const store = new SqliteServerStore(file);
  try {
    return await fn(new AuthService(store), store);
  } finally {
    await store.close();
  }
}

/**
 * Sets a new password for an existing user and ends their sessions; `enable` also lifts a disabled flag. A
 * `generated` (printed) password must be replaced at the user's next login, like the first one.
 */
export async function resetPassword(dir: string, username: string, password: string, enable = false, generated = false): Promise<{ role: UserRole; disabled: boolean }> {
  return withAuth(dir, async (auth, store) => {
    const u = await store.getUserByName(username);
    if (!u) {
      const names = (await store.listUsers()).map((x) => x.username);
      throw new UserError(`no user "${username}" in ${dir}${names.length ? ` (users: ${names.join(', ')})` : ' (there is no user yet: use ferry admin create-user)'}`);
    }
    await auth.updateUser(u.id, { password, mustChangePassword: generated, ...(enable && u.disabled ? { disabled: false } : {}) }, COMMAND_LINE);
    return { role: u.role, disabled: u.disabled && !enable };
  });
}

export async function createUser(dir: string, username: string, role: UserRole, password: string, generated = false): Promise<void> {
  if (!/^[\w.@-]{1,100}$/.test(username)) throw new UserError(`user name "${username}": letters, digits, _ . @ - only (at most 100), as in the console`);
  await withAuth(dir, async (auth, store) => {
    if (await store.getUserByName(username)) throw new UserError(`user "${username}" exists in ${dir}; use ferry admin reset-password ${username} to set a new password`);
    await auth.createUser({ username, password, role, mustChangePassword: generated });
  });
}
