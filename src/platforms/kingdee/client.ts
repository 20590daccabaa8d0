import type { PlatformContext } from '../../core/contracts/platform.ts';
import type { JsonObject } from '../../core/records.ts';
import { makeRedactor } from '../../core/redact.ts';
import type { KingdeeConnection } from './connection.ts';
import { secretValues } from './connection.ts';
import { callFailure } from './errors.ts';
import type { CallLabel } from './errors.ts';
import { isSessionLost } from './parse.ts';
import { authServiceName, formServiceName, serviceUrl } from './services.ts';
import type { FormOperation } from './services.ts';
import { buildSignedHeaders } from './signing.ts';
import { SessionKeeper } from './session.ts';
import { postJson } from './transport.ts';

/**
 * A Kingdee WebAPI client for one connection: body encoding, auth headers or session cookie, and the
 * single re-login on MsgCode 1 (auth refresh, reference §6). It never retries anything else, never sleeps.
 */

export interface FormCall {
  op: FormOperation;
  formId?: string;
  /** ExcuteOperation's opNumber (Forbid, Enable, …). */
  opNumber?: string;
  data: JsonObject;
  label: CallLabel;
  write: boolean;
  signal: AbortSignal;
}

export class KingdeeClient {
  readonly redact: (s: string) => string;
  private readonly session: SessionKeeper;

  constructor(
    readonly conn: KingdeeConnection,
    readonly ctx: PlatformContext,
  ) {
    this.redact = makeRedactor(secretValues(conn));
    this.session = new SessionKeeper(conn, ctx, (s) => this.redact(s));
  }

  /** Calls a DynamicFormService operation and returns the parsed JSON reply (ResponseStatus not judged here). */
  async form(call: FormCall): Promise<unknown> {
    const url = serviceUrl(this.conn.baseUrl, formServiceName(call.op));
    const bodyText = JSON.stringify(this.encode(call));
    for (let attempt = 0; ; attempt++) {
      if (this.conn.mode !== 'signed') await this.session.ensure(call.label, call.signal);
      const generation = this.session.generation;
      const { value, setCookies } = await postJson(this.ctx, this.redact, {
        url,
        api: call.op,
        bodyText,
        headers: this.headers(url),
        label: call.label,
        write: call.write,
        signal: call.signal,
        ...(this.conn.maxResponseBytes !== undefined ? { maxResponseBytes: this.conn.maxResponseBytes } : {}),
      });
      this.session.absorbCookies(setCookies);
      if (!isSessionLost(value)) return value;
      // MsgCode 1: the server checked the session/credentials before doing anything, so re-sending is safe.
      if (attempt === 0) {
        this.session.invalidate(generation);
        continue;
      }
      throw callFailure(
        {
          kind: 'auth',
          action: 'fail_run',
          label: call.label,
          what:
            this.conn.mode === 'signed'
              ? 'the server rejected the signed credentials (MsgCode 1, 会话信息已丢失)'
              : 'the session was lost again right after a new login (MsgCode 1, 会话信息已丢失)',
          next: 'Check acctId, username, appId/appSecret or password, and lcid of the connection.',
          remote: { code: '1' },
        },
        this.redact,
      );
    }
  }

  /** Ends the session (cookie modes). Best effort: a failed logout changes nothing for the data. */
  async close(): Promise<void> {
    await this.session.logout(authServiceName('Logout'));
  }

  private encode(call: FormCall): JsonObject {
    const positional = this.conn.encoding === 'positional';
    if (call.op === 'ExecuteBillQuery' || call.op === 'BillQuery') {
      return positional ? { parameters: [JSON.stringify(call.data)] } : { data: call.data };
    }
    if (call.op === 'ExcuteOperation') {
      return positional
        ? { parameters: [call.formId ?? '', call.opNumber ?? '', JSON.stringify(call.data)] }
        : { formid: call.formId ?? '', opNumber: call.opNumber ?? '', data: call.data };
    }
    return positional ? { parameters: [call.formId ?? '', JSON.stringify(call.data)] } : { formid: call.formId ?? '', data: call.data };
  }

  private headers(url: string): Record<string, string> {
    const h: Record<string, string> = {
      'Content-Type': 'application/json',
      'Accept-Charset': 'utf-8',
      'User-Agent': 'ferry-kingdee/0.1',
    };
    const c = this.conn;
    if (c.mode === 'signed') {
      const now = this.ctx.now();
      Object.assign(
        h,
        buildSignedHeaders({
          url,
          acctId: c.acctId,
          username: c.username,
          appId: c.appId,
          appSecret: c.appSecret,
          lcid: c.lcid,
          orgNum: c.orgNum,
          timestamp: c.timestampUnit === 'ms' ? String(now) : String(Math.floor(now / 1000)),
        }),
      );
    }
    Object.assign(h, this.session.headers());
    return h;
  }
}
