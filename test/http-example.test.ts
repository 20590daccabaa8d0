import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cursor, PlatformContext, ReadSpec, WriteItem, WriteSpec } from '../src/core/contracts/platform.ts';
import { checkScheme } from '../src/core/scheme/load.ts';
import { startHttpEmulator, type HttpEmulator } from '../src/emulators/http/index.ts';
import { HttpConnection, HttpReadOptions, HttpWriteOptions, httpProfile } from '../src/platforms/http/index.ts';

/**
 * examples/http-to-http.json is a valid scheme, its `extra` blocks are valid HTTP settings, and its
 * source and target work against the emulator (driven here by hand; the engine runs it end to end).
 */

const doc = JSON.parse(readFileSync(new URL('../examples/http-to-http.json', import.meta.url), 'utf8')) as Record<string, unknown>;
let emu: HttpEmulator;
const ctx: PlatformContext = { connection: 'emu', fetch, now: Date.now, timeoutMs: 10_000 };
const signal = new AbortController().signal;

beforeAll(async () => {
  emu = await startHttpEmulator({ collections: { orders: 1000, customers: 0 } });
});
afterAll(() => emu.close());

describe('examples/http-to-http.json', () => {
  const loaded = checkScheme(doc);
  it('is a valid scheme with valid HTTP settings', () => {
    expect(loaded.ok ? [] : loaded.problems).toEqual([]);
    if (!loaded.ok) return;
    expect(HttpReadOptions.safeParse(loaded.scheme.source.extra).success).toBe(true);
    expect(HttpWriteOptions.safeParse(loaded.scheme.target.extra).success).toBe(true);
  });

  it('reads every order and writes customers, per-row results included', async () => {
    if (!loaded.ok) throw new Error('invalid example');
    const { source, target } = loaded.scheme;
    const conn = HttpConnection.parse({ baseUrl: emu.url });
    const read: ReadSpec = { api: source.api, method: source.method, params: {}, pageSize: source.pagination.pageSize, extra: source.extra };
    const s = httpProfile.openSource!(conn, ctx);
    const t = httpProfile.openTarget!(conn, ctx);
    const write: WriteSpec = { api: target.api, method: target.method, params: { source: 'ferry' }, operation: target.operation, numberField: 'number', extra: target.extra };
    let cursor: Cursor = s.first(read);
    let orders = 0;
    const customers = new Set<string>();
    for (;;) {
      const page = await s.fetchPage(read, cursor, signal);
      orders += page.records.length;
      // The mapping of the example, by hand (the engine compiles it from request[]).
      const items: WriteItem[] = page.records.map((o, i) => ({ key: `${page.label}#${i}`, number: String(o.customer_no), payload: { number: o.customer_no, name: i === 0 ? '' : o.customer_name, last_order: o.number } }));
      const out = await t.write(write, items, signal);
      expect(out.filter((x) => x.status === 'rejected').map((x) => x.status === 'rejected' && x.error.remote?.detail)).toEqual(['name is required']);
      for (const x of out) if (x.status === 'saved') customers.add(x.targetNumber!);
      if (!page.next) break;
      cursor = page.next;
    }
    expect(orders).toBe(1000);
    expect(emu.records('customers').length).toBe(customers.size);
    const found = await t.lookup!(write, [...customers].slice(0, 120), signal);
    expect(found.size).toBe(Math.min(120, customers.size));
  });
});
