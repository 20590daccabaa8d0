import type { SimOptions } from './schedule.ts';
import { FAULTS } from './weather.ts';

/** `--without a,b`: leave out faults (weather.ts names), world quirks (caps, badTotals, duplicates, unAudit: faults on UnAudit calls) or the rate check. */
export function options(without: readonly string[]): SimOptions {
  const known = [...FAULTS, 'caps', 'badTotals', 'duplicates', 'followUp', 'rate'];
  const bad = without.filter((w) => !known.includes(w));
  if (bad.length) throw new Error(`--without: unknown ${bad.join(', ')}; known: ${known.join(', ')}`);
  return {
    faults: FAULTS.filter((f) => !without.includes(f)),
    world: { caps: !without.includes('caps'), badTotals: !without.includes('badTotals'), duplicates: !without.includes('duplicates'), followUpFaults: !without.includes('followUp') },
    rate: !without.includes('rate'),
  };
}
