import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * Authentication the emulator can demand, one scheme per server:
 * bearer token, basic, API key (header or query), or OAuth2 client credentials (POST /oauth/token,
 * client id/secret in the form body or as Basic; tokens expire after `ttlSeconds` on the emulator's clock
 * and can be revoked through POST /__control/revoke-tokens).
 */
export type EmulatorAuth =
  | { type: 'bearer'; token: string }
  | { type: 'basic'; username: string; password: string }
  | { type: 'api_key'; in: 'header' | 'query'; name: string; value: string }
  | { type: 'oauth2'; clientId: string; clientSecret: string; ttlSeconds?: number };

export class AuthGate {
  private readonly tokens = new Map<string, number>();
  issued = 0;

  constructor(
    private readonly auth: EmulatorAuth | undefined,
    private readonly now: () => number,
  ) {}

  revokeAll(): void {
    this.tokens.clear();
  }

  /** undefined = allowed; otherwise the reason for a 401. */
  check(req: IncomingMessage, url: URL): string | undefined {
    const a = this.auth;
    if (!a) return undefined;
    const header = req.headers.authorization ?? '';
    switch (a.type) {
      case 'bearer':
        return header === `Bearer ${a.token}` ? undefined : 'invalid or missing bearer token';
      case 'basic':
        return header === `Basic ${Buffer.from(`${a.username}:${a.password}`).toString('base64')}` ? undefined : 'invalid user name or password';
      case 'api_key': {
        const v = a.in === 'query' ? url.searchParams.get(a.name) : req.headers[a.name.toLowerCase()];
        return v === a.value ? undefined : 'invalid or missing API key';
      }
      case 'oauth2': {
        const m = /^Bearer (.+)$/.exec(header);
        const exp = m ? this.tokens.get(m[1]!) : undefined;
        if (exp === undefined) return 'invalid_token';
        if (this.now() >= exp) return 'token expired';
        return undefined;
      }
    }
  }

  /** The token endpoint; form body already parsed. */
  token(req: IncomingMessage, form: URLSearchParams): { status: number; body: unknown } {
    const a = this.auth;
    if (a?.type !== 'oauth2') return { status: 404, body: { error: 'not_found' } };
    let id = form.get('client_id');
    let secret = form.get('client_secret');
    const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '');
    if (basic) {
      const [u, p] = Buffer.from(basic[1]!, 'base64').toString('utf8').split(':');
      id = decodeURIComponent(u ?? '');
      secret = decodeURIComponent(p ?? '');
    }
    if (form.get('grant_type') !== 'client_credentials') return { status: 400, body: { error: 'unsupported_grant_type' } };
    if (id !== a.clientId || secret !== a.clientSecret) return { status: 401, body: { error: 'invalid_client', error_description: 'client authentication failed' } };
    const ttl = a.ttlSeconds ?? 3600;
    const token = randomBytes(18).toString('base64url');
    this.tokens.set(token, this.now() + ttl * 1000);
    this.issued += 1;
    return { status: 200, body: { access_token: token, token_type: 'Bearer', expires_in: ttl } };
  }
}
