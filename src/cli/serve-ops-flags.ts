import { Option } from 'commander';
import { DEFAULT_RETENTION, type RetentionSettings } from '../server/retention.ts';
import { checkLogRotation, DEFAULT_LOG_ROTATION, type LogRotation } from './rolling-log.ts';
import { UserError } from './user-error.ts';

/** `ferry serve`'s options for running it for years: retention of its logs in the database, rotation of its log files. */
export interface RetentionFlags {
  keepEvents: string;
  keepApiCalls: string;
  keepLineage: string;
  keepRuns: string;
}

const d = DEFAULT_RETENTION;
/** Fresh Option objects for each program (commander keeps state in them). */
export const retentionOptions = (): [Option, Option, Option, Option] => [
  new Option('--keep-events <days>', 'days run events are kept in the database').default(String(d.eventsDays)),
  new Option('--keep-api-calls <days>', 'days API call records and hourly API statistics are kept').default(String(d.apiCallsDays)),
  new Option('--keep-lineage <days>', "days a record's lineage (source, payload, answer) is kept after its last change").default(String(d.lineageDays)),
  new Option('--keep-runs <days>', "days finished runs are listed (each scheme's latest run stays; the ledger is kept for ever)").default(String(d.runsDays)),
];

export function retentionFromFlags(o: RetentionFlags): RetentionSettings {
  const days = (flag: string, v: string) => {
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0) throw new UserError(`${flag} must be a positive number of days, got ${v}`);
    return n;
  };
  return {
    eventsDays: days('--keep-events', o.keepEvents),
    apiCallsDays: days('--keep-api-calls', o.keepApiCalls),
    lineageDays: days('--keep-lineage', o.keepLineage),
    runsDays: days('--keep-runs', o.keepRuns),
  };
}

export interface LogFlags {
  logDir?: string;
  logMaxSize: string;
  logKeep: string;
  logRotate: string;
}

export const logOptions = (): [Option, Option, Option, Option] => [
  new Option('--log-dir <dir>', 'where the log files go (server.<date>.<n>.log, ferry.<date>.<n>.log); default <data>/logs'),
  new Option('--log-max-size <size>', 'start a new log file at this size (k, m or g)').default(DEFAULT_LOG_ROTATION.maxSize),
  new Option('--log-keep <n>', 'rotated files kept per log besides the current one').default(String(DEFAULT_LOG_ROTATION.keep)),
  new Option('--log-rotate <when>', 'also start a new log file daily, hourly, or off (by size only)').default(DEFAULT_LOG_ROTATION.frequency),
];

export function logsFromFlags(o: LogFlags): { dir?: string; rotation: LogRotation } {
  try {
    const rotation = checkLogRotation({ maxSize: o.logMaxSize, keep: Number(o.logKeep), frequency: o.logRotate as LogRotation['frequency'] });
    return { ...(o.logDir ? { dir: o.logDir } : {}), rotation };
  } catch (err) {
    throw new UserError(`${(err as Error).message} (--log-max-size, --log-keep, --log-rotate)`);
  }
}
