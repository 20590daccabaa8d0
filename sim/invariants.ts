import type { LedgerRow, StateStore } from '../src/core/contracts/state-store.ts';
import { BAD_ORG, NAME_TOO_LONG, type KingdeeVendor } from './kingdee-vendor.ts';
import type { RunRecord } from './schedule.ts';
import type { VendorCall } from './wire.ts';
import type { World } from './world.ts';
import type { Shop } from './wdt-vendor.ts';

export interface Violation {
  /** lost | duplicate | both | wrong-id | stale | unaudited | report | rate | liveness | crash */
  kind: string;
  message: string;
}

const SCHEME = 'sim-shops';

async function allLedger(store: StateStore): Promise<LedgerRow[]> {
  const out: LedgerRow[] = [];
  for (let offset = 0; ; offset += 1000) {
    const rows = await store.queryLedger({ scheme: SCHEME, limit: 1000, offset });
    out.push(...rows);
    if (rows.length < 1000) return out;
  }
}

/** What the vendors' own rules say must happen to a shop: held by Kingdee, or rejected and why. */
function expected(s: Shop, w: World): { kind: 'held' } | { kind: 'rejected'; reason: string } {
  if (!s.shop_name) return { kind: 'rejected', reason: '' };
  if (!w.kingdee.orgs.includes(s.remark)) return { kind: 'rejected', reason: BAD_ORG(s.remark) };
  if (s.shop_name.length > w.kingdee.maxNameLength) return { kind: 'rejected', reason: NAME_TOO_LONG };
  return { kind: 'held' };
}

function duplicateNumbers(shops: Shop[]): Set<string> {
  const seen = new Map<string, number>();
  for (const s of shops) if (s.is_disabled === 0) seen.set(s.shop_no, (seen.get(s.shop_no) ?? 0) + 1);
  return new Set([...seen].filter(([, n]) => n > 1).map(([k]) => k));
}

/** Did the run's report or events say that the read may be incomplete (e.g. a total that disagrees)? */
function reportedShortRead(r: RunRecord): boolean {
  const text = JSON.stringify(r.report ?? {}) + JSON.stringify(r.events.filter((e) => e.type !== 'api.call' && e.type !== 'page.read' && e.type !== 'page.committed'));
  return /total/i.test(text) && /(disagree|differ|mismatch|warn|smaller|larger|more than|fewer)/i.test(text);
}

/** After every run that ended (not killed): its status and report are true. */
export async function checkRun(r: RunRecord, w: World, kd: KingdeeVendor, store: StateStore): Promise<Violation[]> {
  const v: Violation[] = [];
  const rep = r.report!;
  const k = rep.counts;
  const run = await store.getRun(rep.runId);
  const at = `run ${r.index} (${r.phase}, ${rep.status})`;
  if (!run) v.push({ kind: 'report', message: `${at}: no run row in the store` });
  else if (run.status !== rep.status) v.push({ kind: 'report', message: `${at}: the store says ${run.status}, the report says ${rep.status}` });
  if (rep.status === 'succeeded' || rep.status === 'partial' || (rep.status === 'failed' && /no record was delivered/.test(rep.reason ?? ''))) {
    if (rep.status === 'succeeded' && k.rejected + k.failed + (k.incomplete ?? 0) > 0)
      v.push({ kind: 'report', message: `${at}: succeeded with ${k.rejected} rejected, ${k.failed} failed, ${k.incomplete ?? 0} incomplete` });
    if (rep.status !== 'succeeded' && !rep.reason) v.push({ kind: 'report', message: `${at}: ${rep.status} without a reason` });
    const settled = k.created + k.updated + k.skipped + k.rejected + k.failed;
    if (settled !== k.read) v.push({ kind: 'report', message: `${at}: read ${k.read} but settled ${settled} (created ${k.created}, updated ${k.updated}, skipped ${k.skipped}, rejected ${k.rejected}, failed ${k.failed})` });
    // Records ledgered "outcome unknown" may be held although not counted created: the report says exactly that much.
    const unknown = (await store.queryLedger({ scheme: SCHEME, runId: rep.runId, status: 'failed', limit: 100_000 })).filter((x) => x.detail === 'outcome unknown').length;
    if (r.creates < k.created || r.creates > k.created + unknown)
      v.push({ kind: 'report', message: `${at}: reports ${k.created} created (and ${unknown} of unknown outcome), Kingdee created ${r.creates} during the run` });
    const rec = rep.reconciliation;
    if (rec.heldByTarget !== undefined && rec.checkedInTarget !== undefined && rec.heldByTarget !== rec.checkedInTarget)
      v.push({ kind: 'report', message: `${at}: succeeded although its reconciliation found ${rec.checkedInTarget - rec.heldByTarget} delivered records missing in the target (${(rec.missingInTarget ?? []).slice(0, 5).join(', ')})` });
    // Nothing missed: every shop visible when the run started has an outcome (or is in Kingdee).
    const ledger = await store.getLedger(SCHEME, r.visibleAtStart.map(String));
    const byId = new Map(w.shops.map((s) => [s.shop_id, s]));
    const lost = r.visibleAtStart.filter((id) => !ledger.has(String(id)) && !kd.customers.has(byId.get(id)!.shop_no));
    // Never both: a record this run rejected is not one Kingdee holds (unless it held it before, unchanged).
    const mine = await store.queryLedger({ scheme: SCHEME, runId: rep.runId, status: 'rejected', limit: 100_000 });
    for (const row of mine) {
      const s = byId.get(Number(row.sourceId));
      const held = s ? kd.customers.get(s.shop_no) : undefined;
      if (s && held && expected(s, w).kind === 'held' && !duplicateNumbers(w.shops).has(s.shop_no))
        v.push({ kind: 'both', message: `${at}: ${s.shop_no} rejected ("${row.message ?? ''}") yet Kingdee holds it as ${held.id}` });
    }
    // Written means saved and audited, unless the ledger says a step is pending.
    for (const status of ['written', 'skipped'] as const)
      for (const row of await store.queryLedger({ scheme: SCHEME, runId: rep.runId, status, limit: 100_000 })) {
        const held = row.targetNumber ? kd.customers.get(row.targetNumber) : undefined;
        if (held && held.status !== 'C' && !/pending/i.test(row.detail ?? '') && !duplicateNumbers(w.shops).has(row.targetNumber ?? ''))
          v.push({ kind: 'unaudited', message: `${at}: ${row.targetNumber} ledgered ${row.status} (${row.detail ?? ''}) but Kingdee has it in status ${held.status}, not audited` });
      }
    if (lost.length)
      v.push({ kind: 'lost', message: `${at}: ${lost.length} shops visible when its read started have no outcome and are not in Kingdee (${lost.slice(0, 5).map((id) => byId.get(id)!.shop_no).join(', ')})${reportedShortRead(r) ? ' (it warned about the total)' : ''}` });
    // A fresh full read that met two shops with one number, or a total smaller than the truth, says so.
    if (!r.resumed) {
      const visible = new Set(r.visibleAtStart);
      const seen = new Map<string, number>();
      for (const s of w.shops) if (visible.has(s.shop_id) && s.shop_name) seen.set(s.shop_no, (seen.get(s.shop_no) ?? 0) + 1);
      if ([...seen.values()].some((n) => n > 1) && !(rep.duplicates && rep.duplicates.count > 0))
        v.push({ kind: 'report', message: `${at}: read two shops with one shop_no but its report has no duplicates` });
      if (w.wdt.totals === 'lying' && !(rep.warnings ?? []).some((x) => /total|reported/i.test(x.code + x.message)))
        v.push({ kind: 'report', message: `${at}: the vendor's total_count was smaller than the truth and the report has no warning` });
    }
  } else if (!rep.reason) v.push({ kind: 'report', message: `${at}: ${rep.status} without a reason` });
  return v;
}

/** After the last (calm, fresh) run: the ledger and Kingdee agree, and every shop is held once or rejected with the vendor's reason. */
export async function checkFinal(last: RunRecord, w: World, kd: KingdeeVendor, store: StateStore): Promise<Violation[]> {
  const v: Violation[] = [];
  if (!last.report) return [{ kind: 'liveness', message: `the last calm run ${last.index} did not end` }];
  const fin = last.report;
  const onlyRejections = fin.counts.failed === 0 && (fin.counts.incomplete ?? 0) === 0 && (fin.status === 'partial' || (fin.status === 'failed' && /no record was delivered/.test(fin.reason ?? '')));
  if (fin.status !== 'succeeded' && !onlyRejections)
    v.push({ kind: 'report', message: `the last calm run ${last.index} ended ${last.report.status}: ${last.report.reason ?? ''}` });
  const ledger = new Map((await allLedger(store)).map((r) => [r.sourceId, r]));
  const dups = duplicateNumbers(w.shops);
  for (const s of w.shops) {
    if (s.is_disabled) continue;
    const row = ledger.get(String(s.shop_id));
    const held = kd.customers.get(s.shop_no);
    const who = `shop ${s.shop_id} (${s.shop_no})`;
    const exp = expected(s, w);
    if (!row) {
      v.push({ kind: 'lost', message: `${who}: no ledger row${held ? ' although Kingdee holds it' : ' and not in Kingdee'}` });
      continue;
    }
    if (row.status === 'failed') {
      v.push({ kind: 'lost', message: `${who}: still failed after the calm runs: ${row.message ?? ''}` });
      continue;
    }
    if (exp.kind === 'held' && !dups.has(s.shop_no)) {
      if (row.status === 'rejected') v.push({ kind: held ? 'both' : 'lost', message: `${who}: rejected (${row.message ?? ''})${held ? ' yet Kingdee holds it' : ''}` });
      else if (!held) v.push({ kind: 'lost', message: `${who}: ledger says ${row.status} (id ${row.targetId}) but Kingdee does not hold it` });
      else if (row.targetId !== String(held.id)) v.push({ kind: 'wrong-id', message: `${who}: ledger id ${row.targetId}, Kingdee holds it as ${held.id}` });
      else if (held.name !== s.shop_name) v.push({ kind: 'stale', message: `${who}: Kingdee has name "${held.name}", the source "${s.shop_name}"` });
      else if (held.status !== 'C') v.push({ kind: 'unaudited', message: `${who}: ${row.status} (${row.detail ?? ''}) but Kingdee has it in status ${held.status} after the calm runs` });
    } else if (exp.kind === 'rejected') {
      if (row.status !== 'rejected') v.push({ kind: 'report', message: `${who}: ${row.status}, but Kingdee refuses it (${exp.reason || 'quality rule'})` });
      else if (exp.reason && !(row.message ?? '').includes(exp.reason)) v.push({ kind: 'report', message: `${who}: rejected with "${row.message}", not the vendor's reason "${exp.reason}"` });
      // (a shop sharing its number with another may be held as that other one)
      if (held && held.createdBy !== 'preexisting' && !dups.has(s.shop_no)) v.push({ kind: 'both', message: `${who}: rejected, yet Kingdee holds it as ${held.id}` });
    }
  }
  // The ledger's target ids are what Kingdee holds.
  for (const row of ledger.values()) {
    if (row.status !== 'written' && row.status !== 'skipped') continue;
    const held = row.targetNumber ? kd.customers.get(row.targetNumber) : undefined;
    if (!held) v.push({ kind: 'wrong-id', message: `ledger ${row.sourceId}: ${row.status} as ${row.targetNumber}/${row.targetId}, which Kingdee does not hold` });
    else if (String(held.id) !== row.targetId) v.push({ kind: 'wrong-id', message: `ledger ${row.sourceId}: ${row.targetNumber} has id ${row.targetId} in the ledger, ${held.id} in Kingdee` });
  }
  // Kingdee holds nothing the source never had.
  const numbers = new Set(w.shops.map((s) => s.shop_no));
  for (const c of kd.customers.values()) if (!numbers.has(c.number)) v.push({ kind: 'duplicate', message: `Kingdee holds ${c.number} (${c.id}) that no shop has` });
  return v;
}

/** No more calls per (virtual) second than the scheme allows: burst + perSecond in any one-second window. */
export function checkRate(log: VendorCall[], w: World): Violation[] {
  const v: Violation[] = [];
  const limits: Record<string, { perSecond: number; burst?: number | undefined } | undefined> = { wdt: w.scheme.rateLimit.source, kingdee: w.scheme.rateLimit.target };
  for (const [vendor, lim] of Object.entries(limits)) {
    if (!lim) continue;
    const max = (lim.burst ?? Math.ceil(lim.perSecond)) + lim.perSecond;
    const times = log.filter((c) => c.vendor === vendor).map((c) => c.at).sort((a, b) => a - b);
    let j = 0;
    for (let i = 0; i < times.length; i++) {
      while (times[i]! - times[j]! >= 1000) j++;
      const n = i - j + 1;
      if (n > max) {
        const apis = log.filter((c) => c.vendor === vendor && c.at >= times[j]! && c.at <= times[i]!).map((c) => c.api);
        v.push({ kind: 'rate', message: `${vendor}: ${n} calls within one second (limit ${lim.perSecond}/s, burst ${lim.burst ?? Math.ceil(lim.perSecond)}): ${apis.join(',')}` });
        break;
      }
    }
  }
  return v;
}
