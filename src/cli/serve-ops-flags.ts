import { Option } from 'commander';
import { DEFAULT_RETENTION, type RetentionSettings } from '../server/retention.ts';
import { UserError } from './user-error.ts';

/** `ferry serve`'s options for running it for years: retention of its logs in the database. */
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
