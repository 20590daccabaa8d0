import { FerryFailure } from '../../core/errors.ts';
import type { OAuth2Settings } from './connection.ts';
import { getPath, scalarText } from './json-path.ts';

/**
 * OAuth 2.0 client-credentials tokens (RFC 6749 §4.4), cached per connection's auth settings so the
 * sources and targets of one connection share a token. A token is fetched once, reused until
 * `refreshSkewSeconds` before it expires (clock injected), and fetched again after expiry or after the API
 * answered 401 (the client asks for a fresh one once per call). Concurrent callers share one token request.
 * Refreshing credentials is the one "retry" a platform does: it is auth, not error handling.
 */

interface CachedToken {
  value?: string;
  expiresAt?: number;
  pending?: Promise<string>;
  fetches: number;
}

const cache = new WeakMap<OAuth2Settings, CachedToken>();

/** Performs the token HTTP request; classifies failures itself (throws FerryFailure). Returns the JSON body. */
export type TokenRequester = (url: URL, body: URLSearchParams, headers: Record<string, string>, signal: AbortSignal) => Promise<unknown>;

export class OAuth2Tokens {
  constructor(
    private readonly settings: OAuth2Settings,
    private readonly tokenUrl: URL,
    private readonly now: () => number,
    private readonly request: TokenRequester,
    /** Told every token value, so the redactor can hide it. */
    private readonly onToken: (token: string) => void,
  ) {}

  private get entry(): CachedToken {
    let e = cache.get(this.settings);
    if (!e) cache.set(this.settings, (e = { fetches: 0 }));
    return e;
  }

  /** How many token requests were made for these settings (for tests and diagnostics). */
  get fetchCount(): number {
    return this.entry.fetches;
  }

  async token(signal: AbortSignal): Promise<string> {
    const e = this.entry;
    if (e.value !== undefined && e.expiresAt !== undefined && this.now() < e.expiresAt) {
      this.onToken(e.value);
      return e.value;
    }
    if (!e.pending) {
      e.pending = this.fetchToken(signal).finally(() => {
        e.pending = undefined;
      });
    }
    return e.pending;
  }

  /** Forget the cached token if it is still `used` (another caller may have refreshed it already). */
  invalidate(used: string): void {
    const e = this.entry;
    if (e.value === used) {
      e.value = undefined;
      e.expiresAt = undefined;
    }
  }

  private async fetchToken(signal: AbortSignal): Promise<string> {
    const s = this.settings;
    const e = this.entry;
    const form = new URLSearchParams({ grant_type: 'client_credentials', ...s.extraParams });
    const headers: Record<string, string> = {};
    if (s.scope) form.set('scope', s.scope);
    if (s.audience) form.set('audience', s.audience);
    if (s.clientAuth === 'basic') {
      // RFC 6749 §2.3.1: id and secret are form-urlencoded before the Basic encoding.
      headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(s.clientId)}:${encodeURIComponent(s.clientSecret)}`).toString('base64')}`;
    } else {
      form.set('client_id', s.clientId);
      form.set('client_secret', s.clientSecret);
    }
    e.fetches += 1;
    const body = await this.request(this.tokenUrl, form, headers, signal);
    const token = scalarText(getPath(body, s.tokenPath));
    if (token === undefined) {
      throw new FerryFailure({
        kind: 'auth',
        action: 'fail_run',
        message: `the token endpoint answered without a token at "${s.tokenPath}"; check auth.tokenPath of the connection`,
      });
    }
    const lifetime = Number(getPath(body, s.expiresInPath));
    const seconds = Number.isFinite(lifetime) && lifetime > 0 ? lifetime : s.defaultExpiresInSeconds;
    this.onToken(token);
    e.value = token;
    // A short-lived token keeps at least half its life, so it is not refreshed on every call.
    e.expiresAt = this.now() + (seconds - Math.min(s.refreshSkewSeconds, seconds / 2)) * 1000;
    return token;
  }
}
