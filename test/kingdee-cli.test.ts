import { Command } from 'commander';
import { afterEach, describe, expect, it } from 'vitest';
import { describeKingdeeEmulator, registerEmulateKingdee, toKingdeeEmulatorOptions } from '../src/cli/commands/emulate-kingdee.ts';
import type { EmulateKingdeeOpts } from '../src/cli/commands/emulate-kingdee.ts';
import { UserError } from '../src/cli/user-error.ts';
import { startKingdeeEmulator } from '../src/emulators/kingdee/index.ts';
import type { KingdeeEmulator } from '../src/emulators/kingdee/index.ts';
import { kingdeeProfile } from '../src/platforms/kingdee/index.ts';

const base: EmulateKingdeeOpts = { host: '127.0.0.1', port: '0', orgs: '100,101', verifyApiSignature: true };
let emu: KingdeeEmulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

describe('ferry emulate kingdee', () => {
  it('registers under the emulate command with its options', () => {
    const program = new Command();
    const emulate = program.command('emulate');
    registerEmulateKingdee(emulate);
    const cmd = emulate.commands.find((c) => c.name() === 'kingdee');
    expect(cmd).toBeDefined();
    const flags = cmd?.options.map((o) => o.long);
    for (const f of ['--port', '--orgs', '--latency', '--fault-5xx', '--fault-html', '--fault-call-limit', '--session-expiry-every', '--fault-apply-timeout']) expect(flags).toContain(f);
  });

  it('turns flags into emulator options and refuses bad values', () => {
    const o = toKingdeeEmulatorOptions({ ...base, orgs: '200, 201', latency: '5', fault5xx: '0.1', sessionExpiryEvery: '50' });
    expect(o.orgs).toEqual(['200', '201']);
    expect(o.faults).toEqual({ latencyMs: 5, rules: [{ kind: '5xx', rate: 0.1 }, { kind: 'sessionExpire', every: 50 }] });
    expect(() => toKingdeeEmulatorOptions({ ...base, fault5xx: '5' })).toThrow(UserError);
    expect(() => toKingdeeEmulatorOptions({ ...base, port: '-1' })).toThrow(UserError);
    expect(() => toKingdeeEmulatorOptions({ ...base, orgs: ' , ' })).toThrow(UserError);
  });

  it('prints a connection that works as printed', async () => {
    const opts = toKingdeeEmulatorOptions({ ...base, orgs: '300' });
    emu = await startKingdeeEmulator(opts);
    const text = describeKingdeeEmulator(emu, ['300']);
    expect(text).toContain(emu.url);
    const line = text.split('\n').find((l) => l.includes('connection (signed headers)')) ?? '';
    const { platform, ...conn } = JSON.parse(line.slice(line.indexOf('{'))) as Record<string, unknown>;
    expect(platform).toBe('kingdee');
    const target = (kingdeeProfile.openTarget as NonNullable<typeof kingdeeProfile.openTarget>)(kingdeeProfile.connectionSchema.parse(conn), {
      connection: 'demo',
      fetch,
      now: Date.now,
      timeoutMs: 5000,
    });
    const out = await target.write(
      { api: 'BatchSave', method: 'POST', params: { FormId: 'BD_Customer' } },
      [{ key: 'a', number: 'D1', payload: { FNumber: 'D1', FName: 'demo', FCreateOrgId: { FNumber: '300' }, FUseOrgId: { FNumber: '300' } } }],
      new AbortController().signal,
    );
    expect(out[0]?.status).toBe('saved');
  });
});
