import { chmodSync, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import pino, { type DestinationStream, type Logger } from 'pino';
import { SECRET_KEY_PATTERN } from '../core/redact.ts';

/**
 * Structured JSON logs (pino) to `<data>/logs/ferry.log`, one line per event and per vendor call.
 * Secrets are masked twice: known secret keys by pino's redaction, and every string through the
 * connection redactor (the secret values themselves) before it is logged.
 */
export function createLogger(file: string, level = 'info', redactText: (s: string) => string = (s) => s): Logger {
  // Logs name customers and records: the directory is private (0700) and the file 0600.
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  tightenLogFile(file);
  const dest = pino.destination({ dest: file, sync: false, mkdir: true, mode: 0o600 });
  return loggerOn(dest, level, redactText);
}

/** The same logger on a stream opened elsewhere (ferry serve's rotating files, rolling-log.ts). */
export function loggerOn(dest: DestinationStream, level = 'info', redactText: (s: string) => string = (s) => s): Logger {
  return pino(
    {
      level,
      base: { pid: process.pid },
      redact: {
        paths: ['*.appSecret', '*.appsecret', '*.password', '*.token', '*.secret', '*.sign', '*.authorization', '*.cookie', '*.*.appSecret', '*.*.password'],
        censor: '***',
      },
      formatters: {
        log: (obj) => scrub(obj, redactText) as Record<string, unknown>,
      },
    },
    dest,
  );
}

function scrub(v: unknown, redact: (s: string) => string, depth = 0): unknown {
  if (typeof v === 'string') return redact(v);
  if (depth > 6 || v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map((x) => scrub(x, redact, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = SECRET_KEY_PATTERN.test(k) && typeof x === 'string' ? '***' : scrub(x, redact, depth + 1);
  return out;
}

function tightenLogFile(file: string): void {
  try {
    if (statSync(file).mode & 0o077) chmodSync(file, 0o600);
  } catch {
    // not there yet: created 0600
  }
}
