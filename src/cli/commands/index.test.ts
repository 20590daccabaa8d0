import { afterEach, describe, expect, it, vi } from 'vitest';
import { fileURLToPath } from 'node:url';

// Records which heavy modules get loaded: their factories run only when something imports them.
const loaded = new Set<string>();
vi.mock('../../server/app.ts', () => {
  loaded.add('server');
  return { createFerryServer: () => undefined };
});
vi.mock('../../engine/run-scheme.ts', () => {
  loaded.add('engine');
  return { runScheme: () => undefined };
});
vi.mock('../../emulators/wdt/index.ts', () => {
  loaded.add('emulators');
  return { startWdtEmulator: () => undefined };
});

const { commandsFor } = await import('./index.ts');
const { main } = await import('../main.ts');
const SCHEME = fileURLToPath(new URL('../../../examples/shop-to-customer.json', import.meta.url));

describe('commands are loaded only when asked for', () => {
  afterEach(() => {
    process.exitCode = undefined;
    vi.restoreAllMocks();
  });

  it('picks the named command, none for --version, all for help and unknown words', () => {
    const all = commandsFor(['node', 'ferry']);
    expect(all).toContain('serve');
    expect(all).toHaveLength(13);
    expect(commandsFor(['node', 'ferry', 'validate', 'x.json'])).toEqual(['validate']);
    expect(commandsFor(['node', 'ferry', 'help', 'run'])).toEqual(['run']);
    expect(commandsFor(['node', 'ferry', '--version'])).toEqual([]);
    expect(commandsFor(['node', 'ferry', '--help'])).toEqual(all);
    expect(commandsFor(['node', 'ferry', 'rn'])).toEqual(all);
    expect(commandsFor(['node', 'ferry', 'constructor'])).toEqual(all);
  });

  it('`ferry validate` and `ferry --version` load neither the server, the engine nor the emulators', async () => {
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    expect(await main(['node', 'ferry', 'validate', SCHEME])).toBe(0);
    expect(out.mock.calls.join('')).toContain('valid scheme');
    expect(await main(['node', 'ferry', '--version'])).toBe(0);
    expect(out.mock.calls.join('')).toContain('0.1.0');
    expect([...loaded]).toEqual([]);
  });
});
