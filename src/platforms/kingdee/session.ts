import type { PlatformContext } from '../../core/contracts/platform.ts';
import type { JsonObject } from '../../core/records.ts';
import type { KingdeeConnection } from './connection.ts';
import { callFailure } from './errors.ts';
import type { CallLabel } from './errors.ts';
import { asInt, asText, isObject } from './parse.ts';
import { LOGIN_SERVICES, authServiceName, serviceUrl } from './services.ts';
import { loginSign } from './signing.ts';
import { postJson } from './transport.ts';

/**
 * The session of one connection (reference §3a): login on first use, `kdservice-sessionid` sent back as
 * cookie and header, one shared login when several calls need it at once. In signed mode there is no login:
 * the server sets a sid cookie on the first signed call, and sending it back skips the signature check.
 * The session id is a credential: it never appears in messages or call events.
 */

const SID_COOKIE = 'kdservice-sessionid';
const ASPNET_COOKIE = 'ASP.NET_SessionId';

export class SessionKeeper {
  /** Bumped whenever the session changes, so a call that saw MsgCode 1 invalidates only the session it used. */
  generation = 0;
  private sid: string | undefined;
  private aspNet: string | undefined;
  private pending: Promise<void> | undefined;

  constructor(
    private readonly conn: KingdeeConnection,
    private readonly ctx: PlatformContext,
    private readonly redact: (s: string) => string,
  ) {}

  headers(): Record<string, string> {
    if (!this.sid) return {};
    const cookie = `${SID_COOKIE}=${this.sid}${this.aspNet ? `; ${ASPNET_COOKIE}=${this.aspNet}` : ''}`;
    return { [SID_COOKIE]: this.sid, Cookie: cookie };
  }

  absorbCookies(setCookies: string[]): void {
    for (const line of setCookies) {
      const first = line.split(';', 1)[0] ?? '';
      const eq = first.indexOf('=');
      if (eq <= 0) continue;
      const name = first.slice(0, eq).trim();
      const value = first.slice(eq + 1).trim();
      if (!value) continue;
      if (name.toLowerCase() === SID_COOKIE) this.sid = value;
      else if (name === ASPNET_COOKIE) this.aspNet = value;
    }
  }

  invalidate(generation: number): void {
    if (generation !== this.generation) return;
    this.sid = undefined;
    this.aspNet = undefined;
    this.generation++;
  }

  async ensure(label: CallLabel, signal: AbortSignal): Promise<void> {
    if (this.sid) return;
    this.pending ??= this.login(label, signal).finally(() => {
      this.pending = undefined;
    });
    await this.pending;
  }

  async logout(service: string): Promise<void> {
    if (this.conn.mode === 'signed' || !this.sid) return;
    const url = serviceUrl(this.conn.baseUrl, service);
    const label: CallLabel = { connection: this.ctx.connection, operation: 'Logout' };
    try {
      await postJson(this.ctx, this.redact, {
        url,
        api: 'Logout',
        bodyText: this.conn.encoding === 'positional' ? '{"parameters":[]}' : '{}',
        headers: { 'Content-Type': 'application/json', ...this.headers() },
        label,
        write: false,
        signal: AbortSignal.timeout(this.ctx.timeoutMs),
      });
    } catch {
      // The session expires on its own; nothing to do.
    }
    this.invalidate(this.generation);
  }

  private async login(label: CallLabel, signal: AbortSignal): Promise<void> {
    const c = this.conn;
    if (c.mode === 'signed') return;
    const service = LOGIN_SERVICES[c.mode];
    const named = c.encoding === 'named';
    let body: JsonObject;
    if (c.mode === 'password') {
      body = named
        ? { acctid: c.acctId, username: c.username, password: c.password, lcid: c.lcid }
        : { parameters: [c.acctId, c.username, c.password, c.lcid] };
    } else if (c.mode === 'appSecret') {
      body = named
        ? { acctID: c.acctId, username: c.username, appId: c.appId, appSecret: c.appSecret, lcid: c.lcid }
        : { parameters: [c.acctId, c.username, c.appId, c.appSecret, c.lcid] };
    } else {
      const ts = String(Math.floor(this.ctx.now() / 1000));
      const sign = loginSign(c.acctId, c.username, c.appId, c.appSecret, ts);
      body = named
        ? { acctID: c.acctId, username: c.username, appId: c.appId, timestamp: ts, sign, lcid: c.lcid }
        : { parameters: [c.acctId, c.username, c.appId, ts, sign, c.lcid] };
    }
    const loginLabel: CallLabel = { ...label, operation: `${service} (login before ${label.operation})` };
    const { value, setCookies } = await postJson(this.ctx, this.redact, {
      url: serviceUrl(c.baseUrl, authServiceName(service)),
      api: service,
      bodyText: JSON.stringify(body),
      headers: { 'Content-Type': 'application/json', 'Accept-Charset': 'utf-8', 'User-Agent': 'ferry-kingdee/0.1' },
      label: loginLabel,
      write: false,
      signal,
      ...(c.maxResponseBytes !== undefined ? { maxResponseBytes: c.maxResponseBytes } : {}),
    });
    const result = isObject(value) ? value : {};
    const type = asInt(result.LoginResultType);
    if (type !== 1) {
      const message = asText(result.Message) ?? 'no message';
      throw callFailure(
        {
          kind: 'auth',
          action: 'fail_run',
          label: loginLabel,
          what: `login refused (LoginResultType ${asText(result.LoginResultType) ?? 'missing'}): ${message}`,
          next: 'Check acctId, username and the credentials of the connection.',
          remote: { code: asText(result.LoginResultType), detail: message },
        },
        this.redact,
      );
    }
    this.absorbCookies(setCookies);
    if (!this.sid) {
      // Some gateways drop Set-Cookie; the body carries the same id (reference §3a step 4).
      const ctxObj = isObject(result.Context) ? result.Context : {};
      this.sid = asText(result.KDSVCSessionId) || asText(ctxObj.SessionId) || undefined;
    }
    if (!this.sid) {
      throw callFailure(
        { kind: 'bad_response', action: 'fail_run', label: loginLabel, what: 'login succeeded but the answer carried no session id' },
        this.redact,
      );
    }
    this.generation++;
  }
}
