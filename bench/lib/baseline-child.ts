/**
 * The plain baseline a person would write without ferry: fetch a page → map each record → post the batch,
 * one after the other, no state, no look-ups, no retries. Same platform clients and the same compiled mapping,
 * so the difference to ferry is the engine (state, idCheck, look-ups, ledger, checkpoints, concurrency).
 * Args: <connections.json>. Prints {records, ms, peakRss}.
 */
import { readFileSync } from 'node:fs';
import { parseConnections } from '../../src/cli/connections.ts';
import { loadSchemeFile } from '../../src/cli/scheme-file.ts';
import { compileScheme } from '../../src/engine/compile-scheme.ts';
import { SEED_SCHEME_FILE } from '../../src/cli/commands/demo.ts';
import type { PlatformContext } from '../../src/core/contracts/platform.ts';

let peakRss = process.memoryUsage.rss();
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 50);
const connections = parseConnections(JSON.parse(readFileSync(process.argv[2]!, 'utf8')), 'bench');
const compiled = compileScheme(loadSchemeFile(SEED_SCHEME_FILE));
if (!compiled.ok) throw new Error('scheme does not compile');
const cs = compiled.compiled;
const ctx = (name: string): PlatformContext => ({ connection: name, fetch, now: Date.now, timeoutMs: 30_000 });
const wdt = connections.get('wdt')!;
const kd = connections.get('kingdee')!;
const source = wdt.profile.openSource!(wdt.config, ctx('wdt'));
const target = kd.profile.openTarget!(kd.config, ctx('kingdee'));
const signal = new AbortController().signal;

const t0 = performance.now();
let records = 0;
let cursor: ReturnType<typeof source.first> | null = source.first(cs.readSpec);
while (cursor) {
  const page = await source.fetchPage(cs.readSpec, cursor, signal);
  const items = [];
  for (const [i, r] of page.records.entries()) {
    const m = await cs.map(r);
    if (m.ok) items.push({ key: String(i), payload: m.value, number: String(m.value.FNumber) });
  }
  if (items.length) {
    const out = await target.write(cs.writeSpec, items, signal);
    records += out.filter((o) => o.status === 'saved').length;
  }
  cursor = page.next;
}
const ms = performance.now() - t0;
await target.close?.();
clearInterval(sampler);
process.stdout.write(`${JSON.stringify({ records, ms, peakRss })}\n`);
