import { randomUUID } from 'node:crypto';
import type { ApiTokenRow, ServerStore, UserRole, UserRow } from '../../core/contracts/server-store.ts';
import { HttpError, badRequest, conflict, notFound } from '../http/errors.ts';
import type { AuthUser } from '../http/route.ts';
import { hashPassword, randomPassword, verifyPassword } from '../security/passwords.ts';
import { API_TOKEN_PREFIX, hashSecret, newSecret } from '../security/tokens.ts';
import { passwordProblem } from '../security/password-policy.ts';
import { LoginThrottle } from './login-throttle.ts';

export const SESSION_TTL_MS = 12 * 3600_000;

export interface UserView {
  id: string;
  username: string;
  role: UserRole;
  createdAt: number;
  disabled: boolean;
  /** The password was generated (printed once): it must be changed before anything else. */
  mustChangePassword: boolean;
}

export interface TokenView {
  id: string;
  name: string;
  userId: string;
  prefix: string;
  createdAt: number;
  lastUsedAt: number | null;
  expiresAt: number | null;
}

/**
 * Users, sessions and API tokens. Passwords are scrypt hashes; session ids and tokens are random secrets
 * stored only as SHA-256, compared by hash lookup (no timing leak through string comparison).
 */
export class AuthService {
  private readonly throttle = new LoginThrottle();

  constructor(
    private readonly store: ServerStore,
    private readonly now: () => number = Date.now,
  ) {}

  /** First start: creates `admin` with the given password or a random one (returned once, to print). */
  async ensureAdmin(password?: string): Promise<{ username: string; password: string; generated: boolean } | undefined> {
    if ((await this.store.countUsers()) > 0) return undefined;
    const given = password !== undefined && password.length > 0;
    const problem = given ? passwordProblem(password, 'admin') : undefined;
    if (problem) throw new Error(`FERRY_ADMIN_PASSWORD is not acceptable: ${problem}`);
    const pw = given ? password : randomPassword();
    // A generated password was printed to a terminal (and maybe a log): the first login must replace it.
    await this.createUser({ username: 'admin', password: pw, role: 'admin', mustChangePassword: !given });
    return { username: 'admin', password: pw, generated: !given };
  }

  async login(username: string, password: string, from: string): Promise<{ session: string; user: UserView; expiresAt: number }> {
    const key = `${username}|${from}`;
    const wait = this.throttle.blockedFor(key, this.now());
    if (wait > 0) throw new HttpError(429, `too many failed logins; try again in ${Math.ceil(wait / 1000)} s`);
    const user = await this.store.getUserByName(username);
    // Verify against a dummy hash when the user does not exist, so both cases take the same time.
    const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
    if (!user || !ok || user.disabled) {
      this.throttle.fail(key, this.now());
      throw new HttpError(401, 'wrong user name or password');
    }
    this.throttle.succeed(key);
    return { ...(await this.startSession(user.id)), user: userView(user) };
  }

  /** A new session for a user (login, or right after a password change ended the others). */
  async startSession(userId: string): Promise<{ session: string; expiresAt: number }> {
    const session = newSecret('');
    const expiresAt = this.now() + SESSION_TTL_MS;
    await this.store.createSession({ idHash: hashSecret(session), userId, createdAt: this.now(), expiresAt });
    await this.store.purgeSessions(this.now());
    return { session, expiresAt };
  }

  async logout(session: string): Promise<void> {
    await this.store.deleteSession(hashSecret(session));
  }

  async fromSession(session: string): Promise<AuthUser | undefined> {
    const s = await this.store.getSession(hashSecret(session));
    if (!s || s.expiresAt <= this.now()) return undefined;
    const u = await this.store.getUser(s.userId);
    return u && !u.disabled ? { id: u.id, username: u.username, role: u.role, via: 'session', ...(u.mustChangePassword ? { mustChangePassword: true } : {}) } : undefined;
  }

  async fromToken(token: string): Promise<AuthUser | undefined> {
    if (!token.startsWith(API_TOKEN_PREFIX)) return undefined;
    const t = await this.store.getTokenByHash(hashSecret(token));
    if (!t || (t.expiresAt !== null && t.expiresAt <= this.now())) return undefined;
    const u = await this.store.getUser(t.userId);
    if (!u || u.disabled) return undefined;
    await this.store.touchToken(t.id, this.now());
    return { id: u.id, username: u.username, role: u.role, via: 'token', ...(u.mustChangePassword ? { mustChangePassword: true } : {}) };
  }

  async listUsers(): Promise<UserView[]> {
    return (await this.store.listUsers()).map(userView);
  }

  async createUser(o: { username: string; password: string; role: UserRole; mustChangePassword?: boolean }): Promise<UserView> {
    if (await this.store.getUserByName(o.username)) throw conflict(`user "${o.username}" exists`);
    checkPolicy(o.password, o.username);
    const u: UserRow = { id: randomUUID(), username: o.username, passwordHash: await hashPassword(o.password), role: o.role, createdAt: this.now(), disabled: false, mustChangePassword: o.mustChangePassword ?? false };
    await this.store.createUser(u);
    return userView(u);
  }

  /** `mustChangePassword` (with a new password): it was generated and printed, so the next login must replace it. */
  async updateUser(id: string, patch: { password?: string; role?: UserRole; disabled?: boolean; mustChangePassword?: boolean }, by: AuthUser): Promise<UserView> {
    const u = await this.store.getUser(id);
    if (!u) throw notFound('user');
    if (id === by.id && (patch.disabled || (patch.role && patch.role !== 'admin'))) throw badRequest('you cannot disable yourself or drop your own admin role');
    if (patch.password !== undefined) checkPolicy(patch.password, u.username);
    await this.store.updateUser(id, {
      ...(patch.password !== undefined ? { passwordHash: await hashPassword(patch.password), mustChangePassword: patch.mustChangePassword ?? false } : {}),
      ...(patch.role !== undefined ? { role: patch.role } : {}),
      ...(patch.disabled !== undefined ? { disabled: patch.disabled } : {}),
    });
    if (patch.password !== undefined || patch.disabled) await this.store.deleteUserSessions(id);
    if (patch.password !== undefined) await this.revokeAllTokens(id);
    return userView((await this.store.getUser(id))!);
  }

  async changeOwnPassword(by: AuthUser, current: string, next: string): Promise<void> {
    const u = await this.store.getUser(by.id);
    if (!u || !(await verifyPassword(current, u.passwordHash))) throw new HttpError(403, 'the current password is wrong');
    checkPolicy(next, u.username);
    if (next === current) throw badRequest('choose a new password, not the current one');
    await this.store.updateUser(u.id, { passwordHash: await hashPassword(next), mustChangePassword: false });
    await this.store.deleteUserSessions(u.id);
    await this.revokeAllTokens(u.id);
  }

  /**
   * A new password ends every way in that the old one opened: sessions and API tokens. (A token made by
   * whoever knew the old password must not outlive it.)
   */
  private async revokeAllTokens(userId: string): Promise<void> {
    for (const t of await this.store.listTokens(userId)) await this.store.deleteToken(t.id);
  }

  async deleteUser(id: string, by: AuthUser): Promise<void> {
    if (id === by.id) throw badRequest('you cannot delete yourself');
    if (!(await this.store.getUser(id))) throw notFound('user');
    await this.store.deleteUser(id);
  }

  /** Returns the token once; only its hash is stored. */
  async createToken(by: AuthUser, name: string, expiresInDays?: number): Promise<{ token: string; view: TokenView }> {
    const token = newSecret(API_TOKEN_PREFIX);
    const row: ApiTokenRow = {
      id: randomUUID(),
      name,
      userId: by.id,
      tokenHash: hashSecret(token),
      prefix: token.slice(0, API_TOKEN_PREFIX.length + 4),
      createdAt: this.now(),
      lastUsedAt: null,
      expiresAt: expiresInDays ? this.now() + expiresInDays * 86_400_000 : null,
    };
    await this.store.createToken(row);
    return { token, view: tokenView(row) };
  }

  async listTokens(by: AuthUser): Promise<TokenView[]> {
    return (await this.store.listTokens(by.role === 'admin' ? undefined : by.id)).map(tokenView);
  }

  async revokeToken(id: string, by: AuthUser): Promise<void> {
    const t = (await this.store.listTokens()).find((x) => x.id === id);
    if (!t || (by.role !== 'admin' && t.userId !== by.id)) throw notFound('token');
    await this.store.deleteToken(id);
  }
}

const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

export function userView(u: UserRow): UserView {
  return { id: u.id, username: u.username, role: u.role, createdAt: u.createdAt, disabled: u.disabled, mustChangePassword: u.mustChangePassword ?? false };
}

function checkPolicy(password: string, username: string): void {
  const problem = passwordProblem(password, username);
  if (problem) throw new HttpError(400, `password refused: ${problem}`, undefined, 'password_policy');
}

function tokenView(t: ApiTokenRow): TokenView {
  return { id: t.id, name: t.name, userId: t.userId, prefix: t.prefix, createdAt: t.createdAt, lastUsedAt: t.lastUsedAt, expiresAt: t.expiresAt };
}
