import type { Command } from 'commander';
import { waitForStopSignal } from '../wait-for-signal.ts';
import { startKingdeeEmulator } from '../../emulators/kingdee/index.ts';
import type { FaultRule, KingdeeEmulator, KingdeeEmulatorOptions } from '../../emulators/kingdee/index.ts';
import { UserError } from '../user-error.ts';

/**
 * `ferry emulate kingdee`: a local Kingdee K3Cloud WebAPI (BD_Customer, SAL_OUTSTOCK, sessions and signed
 * headers, per-row BatchSave results, ExecuteBillQuery, fault injection) for rehearsing a scheme safely.
 * Runs until Ctrl-C. The credentials it prints are the emulator's own, not secrets of a real system.
 */

export interface EmulateKingdeeOpts {
  host: string;
  port: string;
  orgs: string;
  acctId?: string;
  username?: string;
  password?: string;
  appId?: string;
  appSecret?: string;
  preloadCustomers?: string;
  latency?: string;
  fault5xx?: string;
  faultHtml?: string;
  faultCallLimit?: string;
  faultTruncate?: string;
  faultApplyTimeout?: string;
  faultApplyDrop?: string;
  sessionExpiryEvery?: string;
  sessionIdleMinutes?: string;
  seed?: string;
  verifyApiSignature: boolean;
}

const int = (v: string | undefined, what: string, min = 0): number | undefined => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new UserError(`${what} must be a whole number ≥ ${min} (got "${v}")`);
  return n;
};

const rate = (v: string | undefined, what: string): number | undefined => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new UserError(`${what} is a probability between 0 and 1, e.g. 0.05 (got "${v}")`);
  return n;
};

export function toKingdeeEmulatorOptions(o: EmulateKingdeeOpts): KingdeeEmulatorOptions {
  const orgs = o.orgs.split(',').map((s) => s.trim()).filter(Boolean);
  if (orgs.length === 0) throw new UserError('--orgs needs at least one organisation number, e.g. 100,101');
  const rules: FaultRule[] = [];
  const add = (kind: FaultRule['kind'], r: number | undefined, services?: string[]) => {
    if (r) rules.push({ kind, rate: r, ...(services ? { services } : {}) });
  };
  add('5xx', rate(o.fault5xx, '--fault-5xx'));
  add('html', rate(o.faultHtml, '--fault-html'));
  add('callLimit', rate(o.faultCallLimit, '--fault-call-limit'));
  add('truncate', rate(o.faultTruncate, '--fault-truncate'));
  add('applyThenTimeout', rate(o.faultApplyTimeout, '--fault-apply-timeout'), ['Save', 'BatchSave', 'Submit', 'Audit', 'UnAudit', 'Delete']);
  add('applyThenDrop', rate(o.faultApplyDrop, '--fault-apply-drop'), ['Save', 'BatchSave', 'Submit', 'Audit', 'UnAudit', 'Delete']);
  const every = int(o.sessionExpiryEvery, '--session-expiry-every', 1);
  if (every) rules.push({ kind: 'sessionExpire', every });
  const opts: KingdeeEmulatorOptions = {
    host: o.host,
    port: int(o.port, '--port'),
    orgs,
    faults: { latencyMs: int(o.latency, '--latency') ?? 0, rules },
    verifyApiSignature: o.verifyApiSignature,
  };
  if (o.acctId) opts.acctId = o.acctId;
  if (o.username || o.password) opts.users = [{ username: o.username ?? 'apiuser', password: o.password ?? 'Ferry#2026' }];
  if (o.appId || o.appSecret) {
    if (!o.appId || !o.appSecret) throw new UserError('--app-id and --app-secret go together');
    if (!o.appId.includes('_')) throw new UserError('--app-id has the form <clientId>_<32-char blob>');
    opts.apps = [{ appId: o.appId, appSecret: o.appSecret }];
  }
  const preload = int(o.preloadCustomers, '--preload-customers');
  if (preload) opts.preloadCustomers = preload;
  const idle = int(o.sessionIdleMinutes, '--session-idle-minutes', 1);
  if (idle) opts.sessionIdleMs = idle * 60_000;
  const seed = int(o.seed, '--seed');
  if (seed !== undefined) opts.seed = seed;
  return opts;
}

/** What the command prints: URL, credentials and ready-to-paste connections. */
export function describeKingdeeEmulator(emu: KingdeeEmulator, orgs: string[]): string {
  const c = emu.credentials;
  const signed = { platform: 'kingdee', mode: 'signed', baseUrl: emu.url, acctId: c.acctId, username: c.username, appId: c.appId, appSecret: c.appSecret };
  const password = { platform: 'kingdee', mode: 'password', baseUrl: emu.url, acctId: c.acctId, username: c.username, password: c.password };
  const control = new URL('/__control/', emu.url).toString();
  return [
    `ferry Kingdee K3Cloud emulator listening on ${emu.url}`,
    `  data centre (acctId): ${c.acctId}   user: ${c.username}   password: ${c.password}`,
    `  appId: ${c.appId}   appSecret: ${c.appSecret}   lcid: ${c.lcid}`,
    `  organisations: ${orgs.join(', ')}   forms: BD_Customer, SAL_OUTSTOCK`,
    `  connection (signed headers): ${JSON.stringify(signed)}`,
    `  connection (session login):  ${JSON.stringify(password)}`,
    `  control: GET ${control}stats   GET ${control}store?formId=BD_Customer   POST ${control}faults`,
    'These are the emulator’s own credentials. Ctrl-C to stop.',
    '',
  ].join('\n');
}

export function registerEmulateKingdee(emulate: Command): void {
  emulate
    .command('kingdee')
    .description('run a local Kingdee K3Cloud WebAPI (BD_Customer, SAL_OUTSTOCK, sessions, signed headers, faults) until Ctrl-C')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port (0 = any free port)', '8792')
    .option('--orgs <numbers>', 'organisations that exist, comma separated', '100,101')
    .option('--acct-id <id>', 'data-centre id (default 5f0000000000aa)')
    .option('--username <name>', 'integration user (default apiuser)')
    .option('--password <password>', 'password of that user')
    .option('--app-id <appId>', 'third-party app id <clientId>_<32-char blob>')
    .option('--app-secret <secret>', 'app secret')
    .option('--preload-customers <n>', 'create n audited customers C0000001… at start')
    .option('--latency <ms>', 'delay before every answer')
    .option('--fault-5xx <p>', 'answer this share of calls with HTTP 503 (not applied)')
    .option('--fault-html <p>', 'answer this share of calls with an IIS HTML 500 page (not applied)')
    .option('--fault-call-limit <p>', 'answer this share of calls with MsgCode 14 (call limit)')
    .option('--fault-truncate <p>', 'apply, then cut this share of answers in half')
    .option('--fault-apply-timeout <p>', 'apply this share of writes, then never answer')
    .option('--fault-apply-drop <p>', 'apply this share of writes, then drop the connection')
    .option('--session-expiry-every <n>', 'drop the caller’s session on every nth call')
    .option('--session-idle-minutes <n>', 'sessions idle longer than this expire', '30')
    .option('--seed <n>', 'seed of the fault-rate random draws')
    .option('--no-verify-api-signature', 'check only X-Kd-Signature, not X-Api-Signature')
    .action(async (o: EmulateKingdeeOpts) => {
      const opts = toKingdeeEmulatorOptions(o);
      const emu = await startKingdeeEmulator(opts);
      process.stdout.write(describeKingdeeEmulator(emu, (opts.orgs ?? []).map(String)));
      await waitForStopSignal();
      await emu.close();
    });
}
