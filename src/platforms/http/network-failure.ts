import type { ErrorAction } from '../../core/errors.ts';

/**
 * What a failed HTTP exchange without an answer means. A request that could not connect was never sent,
 * so a write cannot have been applied; one that timed out or lost its connection afterwards may have been
 * (maybeApplied: the engine looks the records up before sending them again). Certificate errors do not
 * heal by waiting, so they stop the run.
 */

const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT', 'ERR_INVALID_URL']);
const TLS = /^(CERT_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT|ERR_TLS_CERT_ALTNAME_INVALID|ERR_SSL_)/;

export interface NetworkFailure {
  kind: 'timeout' | 'network' | 'tls';
  action: ErrorAction;
  code?: string;
  what: string;
  next: string;
  maybeApplied: boolean;
}

/** The system error code of a fetch failure (fetch wraps it in `cause`). */
export function errorCode(err: unknown): string | undefined {
  let e: unknown = err;
  for (let i = 0; i < 4 && e; i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

export function describeNetworkFailure(err: unknown, timedOut: boolean, write: boolean): NetworkFailure {
  const code = errorCode(err);
  if (timedOut)
    return {
      kind: 'timeout',
      action: 'retry',
      what: 'timed out',
      next: write ? 'the write may have been applied; ferry checks before sending again' : 'ferry will retry',
      maybeApplied: write,
    };
  if (code && TLS.test(code))
    return {
      kind: 'tls',
      action: 'fail_run',
      code,
      what: `failed: the server certificate is not trusted (${code})`,
      next: 'add the issuing CA under the connection\'s tls.ca (or, for a test system only, set tls.rejectUnauthorized to false)',
      maybeApplied: false,
    };
  const notSent = code !== undefined && NOT_SENT.has(code);
  return {
    kind: 'network',
    action: 'retry',
    ...(code ? { code } : {}),
    what: `failed without an answer (${code ?? (err instanceof Error ? err.message : 'network error')})`,
    next: write && !notSent ? 'the write may have been applied; ferry checks before sending again' : 'ferry will retry',
    maybeApplied: write && !notSent,
  };
}
