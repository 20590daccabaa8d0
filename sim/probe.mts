import { runSchedule } from './schedule.ts';
import { FAULTS } from './weather.ts';
const open = new Set(process.argv.slice(3));
const faults = FAULTS.filter((f) => !open.has(f));
const n = Number(process.argv[2] ?? 50);
const kinds = new Map<string, number[]>();
for (let s = 1; s <= n; s++) {
  const r = await runSchedule(s, { ...(process.env.BUG ? { bug: process.env.BUG as never } : {}), faults, world: { caps: !open.has('caps'), badTotals: !open.has('badTotals'), duplicates: !open.has('duplicates'), followUpFaults: !open.has('followUp') }, rate: !open.has('rate') });
  for (const v of r.violations) { const l = kinds.get(v.kind) ?? []; if (!l.includes(s)) l.push(s); kinds.set(v.kind, l); }
  if (r.violations.length && process.env.V) console.log(s, r.violations.slice(0, 2).map((v) => v.kind + ': ' + v.message).join('\n   '));
}
console.log([...kinds].map(([k, l]) => `${k}: ${l.length} seeds (${l.slice(0, 8).join(',')})`).join('\n') || 'clean');
