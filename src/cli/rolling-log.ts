import { chmodSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import pinoRoll from 'pino-roll';
import type { SonicBoom } from 'sonic-boom';

/** Rotation of `ferry serve`'s log files (pino-roll: pino's own rotating file transport, on sonic-boom). */
export interface LogRotation {
  /** Rotate when a file reaches this size: a number of MB, or `500k`, `10m`, `1g`. */
  maxSize: string;
  /** Rotated files kept per log besides the current one (older ones are deleted, also those of earlier processes). */
  keep: number;
  /** Also start a new file every day (`daily`), every hour (`hourly`), or only by size (`off`). */
  frequency: 'daily' | 'hourly' | 'off';
}

export const DEFAULT_LOG_ROTATION: LogRotation = { maxSize: '10m', keep: 14, frequency: 'daily' };

/**
 * pino-roll checks the size after each write and rolls once the stream has drained, so a burst of lines written
 * at once lands in one file (it may exceed `maxSize` by that burst).
 *
 * A rotating log file: `<dir>/<name>.<yyyy-MM-dd>.<n>.log` (e.g. `server.2026-12-01.1.log`), 0600 in a 0700
 * directory like every file of the data directory; the numbering continues across restarts.
 */
export async function openRollingLog(file: string, r: LogRotation): Promise<SonicBoom> {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  chmodSync(dirname(file), 0o700);
  tightenFiles(dirname(file));
  return pinoRoll({
    file,
    size: r.maxSize,
    ...(r.frequency === 'off' ? {} : { frequency: r.frequency, dateFormat: r.frequency === 'daily' ? 'yyyy-MM-dd' : 'yyyy-MM-dd-HH' }),
    limit: { count: r.keep, removeOtherLogFiles: true },
    mkdir: true,
    mode: 0o600,
  });
}

/** Log files left by an older version (before rotation, or created 0644) become private too: they hold audit lines. */
function tightenFiles(dir: string): void {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const st = statSync(path);
    if (st.isFile() && st.mode & 0o077) chmodSync(path, 0o600);
  }
}

/** Checks the rotation settings given on the command line. */
export function checkLogRotation(r: LogRotation): LogRotation {
  if (!/^\d+(\.\d+)?[kmg]?$/i.test(r.maxSize)) throw new Error(`the log size must be a number of MB or end in k, m or g (e.g. 10m), got ${r.maxSize}`);
  if (!Number.isInteger(r.keep) || r.keep < 1) throw new Error(`the number of log files kept must be a whole number ≥ 1, got ${r.keep}`);
  if (!['daily', 'hourly', 'off'].includes(r.frequency)) throw new Error(`the log rotation frequency must be daily, hourly or off, got ${String(r.frequency)}`);
  return r;
}
