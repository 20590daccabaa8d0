import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { clientSecretFor, expectedApiSignature, expectedKdSignature, expectedLoginSign, sameText } from './crypto.ts';
import { loginRefused, loginResult } from './replies.ts';

/**
 * Who may call (reference §3): session logins (ValidateUser, LoginByAppSecret, LoginBySign) that hand out a
 * `kdservice-sessionid`, and signed headers that are checked only when no live session is presented
 * (the measured on-prem behaviour, §3b "Observed server behaviour").
 */

export interface EmulatorUser {
  username: string;
  password: string;
}

export interface EmulatorApp {
  appId: string;
  appSecret: string;
}

export interface AuthConfig {
  acctId: string;
  users: EmulatorUser[];
  apps: EmulatorApp[];
  /** Sessions idle longer than this are dropped. */
  sessionIdleMs: number;
  /** Also check X-Api-Signature (open question §8.1; on by default: the official SDKs send it). */
  verifyApiSignature: boolean;
  now: () => number;
  orgName: string;
}

interface Session {
  username: string;
  lcid: number;
  lastUsed: number;
}

export type AuthOutcome =
  | { ok: true; sid: string; fresh: boolean }
  | { ok: false; reason: 'lost' }
  | { ok: false; reason: 'passport'; message: string };

export type LoginOutcome = { ok: true; sid: string; body: Record<string, unknown> } | { ok: false; body: Record<string, unknown> };

export class AuthState {
  private readonly sessions = new Map<string, Session>();
  constructor(private readonly cfg: AuthConfig) {}

  get liveSessions(): number {
    return this.sessions.size;
  }

  /** The session id a request presents: header `kdservice-sessionid`, Java's `SID` header, or the cookie. */
  presentedSid(headers: IncomingHttpHeaders): string | undefined {
    const h = headers['kdservice-sessionid'] ?? headers.sid;
    if (typeof h === 'string' && h) return h;
    const cookie = headers.cookie ?? '';
    const m = /(?:^|;\s*)kdservice-sessionid=([^;]+)/i.exec(cookie);
    return m?.[1]?.trim() || undefined;
  }

  isLive(sid: string | undefined): boolean {
    if (!sid) return false;
    const s = this.sessions.get(sid);
    if (!s) return false;
    if (this.cfg.now() - s.lastUsed > this.cfg.sessionIdleMs) {
      this.sessions.delete(sid);
      return false;
    }
    return true;
  }

  drop(sid: string | undefined): void {
    if (sid) this.sessions.delete(sid);
  }

  dropAll(): void {
    this.sessions.clear();
  }

  /** Authorises a form-service call. */
  authorise(headers: IncomingHttpHeaders, path: string): AuthOutcome {
    const sid = this.presentedSid(headers);
    if (sid && this.isLive(sid)) {
      (this.sessions.get(sid) as Session).lastUsed = this.cfg.now();
      return { ok: true, sid, fresh: false };
    }
    const appKey = header(headers, 'x-kd-appkey');
    if (!appKey) return { ok: false, reason: 'lost' };
    const appDataPlain = Buffer.from(header(headers, 'x-kd-appdata') ?? '', 'base64').toString('utf8');
    const [acctId = '', username = '', lcid = '2052'] = appDataPlain.split(',');
    if (acctId !== this.cfg.acctId) return { ok: false, reason: 'passport', message: 'Fail to verify thirty passport' };
    const app = this.cfg.apps.find((a) => a.appId === appKey);
    const user = this.cfg.users.find((u) => u.username === username);
    if (!app || !user) return { ok: false, reason: 'lost' };
    if (!sameText(header(headers, 'x-kd-signature') ?? '', expectedKdSignature(app.appId, appDataPlain, app.appSecret))) {
      return { ok: false, reason: 'lost' };
    }
    if (this.cfg.verifyApiSignature) {
      const ts = header(headers, 'x-api-timestamp') ?? '';
      const nonce = header(headers, 'x-api-nonce') ?? '';
      const clientId = header(headers, 'x-api-clientid') ?? '';
      const expected = expectedApiSignature(app.appId, path, nonce, ts);
      if (!clientSecretFor(app.appId) || !app.appId.startsWith(`${clientId}_`)) return { ok: false, reason: 'lost' };
      if (!sameText(header(headers, 'x-api-signature') ?? '', expected)) return { ok: false, reason: 'lost' };
    }
    return { ok: true, sid: this.open(username, Number(lcid) || 2052), fresh: true };
  }

  login(method: string, args: Map<string, unknown>): LoginOutcome {
    const acctId = String(args.get('acctid') ?? '');
    const username = String(args.get('username') ?? '');
    const lcid = Number(args.get('lcid') ?? 2052) || 2052;
    if (acctId !== this.cfg.acctId) return { ok: false, body: loginRefused(-1, `数据中心不存在：${acctId}`) };
    const user = this.cfg.users.find((u) => u.username === username);
    if (!user) return { ok: false, body: loginRefused(0, '用户名或密码错误！') };
    if (method === 'validateuser') {
      if (String(args.get('password') ?? '') !== user.password) return { ok: false, body: loginRefused(0, '用户名或密码错误！') };
    } else {
      const appId = String(args.get('appid') ?? '');
      const app = this.cfg.apps.find((a) => a.appId === appId);
      if (!app) return { ok: false, body: loginRefused(-1, '第三方系统登录授权验证失败：应用不存在') };
      if (method === 'loginbyappsecret' && String(args.get('appsecret') ?? '') !== app.appSecret) {
        return { ok: false, body: loginRefused(-1, '第三方系统登录授权验证失败：应用密钥错误') };
      }
      if (method === 'loginbysign') {
        const ts = String(args.get('timestamp') ?? '');
        const expected = expectedLoginSign([acctId, username, appId, app.appSecret, ts]);
        if (!sameText(String(args.get('sign') ?? ''), expected)) return { ok: false, body: loginRefused(-1, '签名验证失败') };
      }
    }
    const sid = this.open(username, lcid);
    const userId = 100000 + this.cfg.users.indexOf(user);
    return { ok: true, sid, body: loginResult({ sid, acctId, username, userId, lcid, orgName: this.cfg.orgName }) };
  }

  private open(username: string, lcid: number): string {
    const sid = randomBytes(16).toString('hex');
    this.sessions.set(sid, { username, lcid, lastUsed: this.cfg.now() });
    return sid;
  }
}

function header(h: IncomingHttpHeaders, name: string): string | undefined {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
}
