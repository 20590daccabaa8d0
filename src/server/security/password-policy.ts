/**
 * The one password policy of ferry, used by every door a password comes in through: FERRY_ADMIN_PASSWORD
 * (and `adminPassword`), the API (users, own password), the console (which shows the API's reason) and the
 * CLI. At least 10 characters, at most 1000, not the user name.
 */
export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 1000;

/** Why a password is refused, or undefined when it is acceptable. */
export function passwordProblem(password: string, username?: string): string | undefined {
  if (password.length < PASSWORD_MIN) return `use at least ${PASSWORD_MIN} characters`;
  if (password.length > PASSWORD_MAX) return `use at most ${PASSWORD_MAX} characters`;
  if (username !== undefined && password.trim().toLowerCase() === username.trim().toLowerCase()) return 'the password must not be the user name';
  return undefined;
}
