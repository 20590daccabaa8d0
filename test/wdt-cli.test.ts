import { describe, expect, it } from 'vitest';
import { Command } from 'commander';
import { describeWdtEmulator, registerEmulateWdt, toWdtEmulatorOptions, type EmulateWdtOpts } from '../src/cli/commands/emulate-wdt.ts';
import { startWdtEmulator } from '../src/emulators/wdt/index.ts';

/** `ferry emulate wdt`: option parsing and what it prints (the command itself stays up until Ctrl-C). */

function defaults(args: string[] = []): EmulateWdtOpts {
  const emulate = new Command('emulate').exitOverride();
  registerEmulateWdt(emulate);
  const wdt = emulate.commands.find((c) => c.name() === 'wdt')!;
  wdt.action(() => undefined);
  emulate.parse(['wdt', ...args], { from: 'user' });
  return wdt.opts() as EmulateWdtOpts;
}

describe('ferry emulate wdt', () => {
  it('turns the flags into emulator options', () => {
    const o = toWdtEmulatorOptions(defaults(['--shops', '100000', '--rate-limit', '5', '--fault-5xx', '0.1', '--latency', '20', '--org-numbers', '100,200', '--churn-every', '3']));
    expect(o).toMatchObject({
      shops: 100_000, rateLimit: 5, orgNumbers: ['100', '200'], churn: { everyCalls: 3 },
      faults: { rate5xx: 0.1, latencyMs: 20 }, accounts: [{ sid: 'apidevnew2' }], port: 8791,
    });
  });

  it('turns the paging-behaviour flags into emulator options (issue 11)', () => {
    const o = toWdtEmulatorOptions(defaults(['--total-count', 'first-then-zero', '--total-count-offset', '-50', '--max-page-size', '40', '--cycle-pages', '2']));
    expect(o).toMatchObject({ totalCount: 'first-then-zero', totalCountOffset: -50, maxPageSize: 40, pageFault: { kind: 'cycle', period: 2 } });
    expect(toWdtEmulatorOptions(defaults())).not.toHaveProperty('maxPageSize');
  });

  it('refuses bad values with a plain message', () => {
    expect(() => toWdtEmulatorOptions(defaults(['--fault-5xx', '10']))).toThrow('--fault-5xx is a probability');
    expect(() => toWdtEmulatorOptions(defaults(['--shops', 'many']))).toThrow('--shops must be a whole number');
    expect(() => toWdtEmulatorOptions(defaults(['--numbers', 'roman']))).toThrow('--numbers is one of number, string');
    expect(() => toWdtEmulatorOptions(defaults(['--data-start', '2025-01-01']))).toThrow('--data-start');
  });

  it('prints the URLs and the connection settings to use', async () => {
    const emu = await startWdtEmulator({ ...toWdtEmulatorOptions(defaults()), port: 0 });
    try {
      const text = describeWdtEmulator(emu);
      expect(text).toContain(emu.openapiUrl);
      expect(text).toContain(emu.qimenUrl);
      expect(text).toContain('"appsecret":"ferry-test-secret"');
      expect(text).toContain('"targetAppKey":"21363512"');
    } finally {
      await emu.close();
    }
  });
});
