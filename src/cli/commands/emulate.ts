import type { Command } from 'commander';
import { registerEmulateWdt } from './emulate-wdt.ts';
import { registerEmulateKingdee } from './emulate-kingdee.ts';
import { registerEmulateHttp } from './emulate-http.ts';

export function registerEmulate(program: Command): void {
  const emulate = program.command('emulate').description('run a local emulator of a vendor system (WDT, Kingdee, a JSON API) to rehearse schemes safely');
  registerEmulateWdt(emulate);
  registerEmulateKingdee(emulate);
  registerEmulateHttp(emulate);
}
