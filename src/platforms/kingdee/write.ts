import type { TargetSession, WriteItem, WriteOutcome, WriteSpec } from '../../core/contracts/platform.ts';
import { FerryFailure, isFerryFailure } from '../../core/errors.ts';
import type { JsonObject } from '../../core/records.ts';
import type { KingdeeClient } from './client.ts';
import { batchLabel } from './errors.ts';
import type { CallLabel } from './errors.ts';
import { fieldOf, resolveFormTarget } from './form-target.ts';
import type { FormTarget } from './form-target.ts';
import { lookupByNumbers } from './lookup.ts';
import { splitOutcomes } from './outcomes.ts';
import type { Slot } from './outcomes.ts';
import { asText, isObject } from './parse.ts';
import { viewOne, bulkOperation } from './operations.ts';
import { FOLLOW_UP_STEPS, followUp, stepsFrom, unAuditFirst } from './follow-up.ts';
import { doubtAutoAuditRejections } from './auto-audit-doubt.ts';

/**
 * The Kingdee target: BatchSave/Save/Draft with per-record outcomes, updates of existing records, and the
 * bulk operations (Submit, Audit, UnAudit, Delete, ExcuteOperation, View) by scheme metadata.
 * The engine decides create / update / skip; items with `existingId` are sent as updates.
 */

export function openKingdeeTarget(client: KingdeeClient): TargetSession {
  const conn = client.conn;
  const connection = client.ctx.connection;
  return {
    maxInFlight: conn.maxInFlight,
    maxBatchSize(spec: WriteSpec): number {
      const t = resolveFormTarget(spec, connection);
      if (t.operation === 'Save' || t.operation === 'Draft' || t.operation === 'View') return 1;
      const asked = Number(spec.extra?.batchSize);
      return Number.isInteger(asked) && asked > 0 ? Math.min(asked, conn.maxBatchSize) : conn.maxBatchSize;
    },
    lookup(spec, numbers, signal) {
      return lookupByNumbers(client, resolveFormTarget(spec, connection), numbers, signal);
    },
    async write(spec, items, signal) {
      const t = resolveFormTarget(spec, connection);
      switch (t.operation) {
        case 'BatchSave': {
          // Records saved by an earlier attempt whose Submit/Audit is left are not saved again.
          const resumed = items.filter((i) => i.resume && i.existingId);
          const rest = resumed.length ? items.filter((i) => !(i.resume && i.existingId)) : items;
          const out = rest.length ? await saveInGroups(client, t, rest, signal) : [];
          if (resumed.length) out.push(...(await resumeSteps(client, t, resumed, signal)));
          return out;
        }
        case 'Save':
        case 'Draft': {
          const out: WriteOutcome[] = [];
          for (const [i, item] of items.entries()) out.push(...(await afterApplied(i > 0, () => saveGroup(client, t, [item], false, signal))));
          return out;
        }
        case 'Submit':
        case 'Audit':
        case 'UnAudit':
        case 'Delete':
        case 'ExcuteOperation':
          return bulkOperation(client, t, items, signal);
        case 'View': {
          const out: WriteOutcome[] = [];
          for (const item of items) out.push(await viewOne(client, t, item, signal));
          return out;
        }
        default:
          throw new FerryFailure({
            kind: 'config',
            action: 'fail_run',
            message: `Kingdee connection "${connection}": ${t.formId} ${t.operation} cannot be used as a write target (use BatchSave, Save, Draft, Submit, Audit, UnAudit, Delete, ExcuteOperation or View).`,
          });
      }
    },
    close: () => client.close(),
  };
}

/**
 * Creates go in one call; updates in one call per set of NeedUpDateFields (it is a per-call parameter).
 * Once a part of the batch is applied, a failure of a later part is reported with maybeApplied.
 */
async function saveInGroups(client: KingdeeClient, t: FormTarget, items: WriteItem[], signal: AbortSignal): Promise<WriteOutcome[]> {
  const creates = items.filter((i) => !i.existingId);
  const updates = new Map<string, WriteItem[]>();
  for (const item of items) {
    if (!item.existingId) continue;
    const k = updateFieldsOf(item, t).join(',');
    updates.set(k, [...(updates.get(k) ?? []), item]);
  }
  const groups: { items: WriteItem[]; update: boolean }[] = [];
  if (creates.length > 0) groups.push({ items: creates, update: false });
  for (const g of updates.values()) groups.push({ items: g, update: true });
  const out: WriteOutcome[] = [];
  for (const [i, g] of groups.entries()) out.push(...(await afterApplied(i > 0, () => saveGroup(client, t, g.items, g.update, signal))));
  return out;
}

async function afterApplied<T>(applied: boolean, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (!applied || !isFerryFailure(err)) throw err;
    const e = err.error;
    throw new FerryFailure(
      { ...e, maybeApplied: true, message: `${e.message} Earlier parts of this batch were already saved: look the records up before sending them again.` },
      { cause: err },
    );
  }
}

async function saveGroup(client: KingdeeClient, t: FormTarget, all: WriteItem[], update: boolean, signal: AbortSignal): Promise<WriteOutcome[]> {
  const label: CallLabel = { connection: client.ctx.connection, formId: t.formId, operation: t.operation, batch: batchLabel(all.map((i) => numberOf(i, t))) };
  let items = all;
  const early: WriteOutcome[] = [];
  if (update && t.unAuditBeforeUpdate) {
    const u = await unAuditFirst(client, t, all, label, signal);
    items = u.ready;
    early.push(...u.out);
    if (items.length === 0) return early;
  }
  // An update of a record the scheme audits: Submit and Audit are separate calls whose answers are checked,
  // instead of IsAutoSubmitAndAudit inside the save (whose failures the answer would not tell apart).
  const steps = update && t.autoAudit ? FOLLOW_UP_STEPS : [];
  const numbers = items.map((i) => numberOf(i, t));
  const rows = items.map((item) => modelOf(item, t));
  const params = steps.length ? withoutKey(t.data, 'IsAutoSubmitAndAudit') : t.data;
  const data: JsonObject = { ...params, Model: t.operation === 'BatchSave' ? rows : rows[0] };
  if (update) {
    data.NeedUpDateFields = updateFieldsOf(items[0] as WriteItem, t);
    // IsDeleteEntry defaults to true in Kingdee: an update would silently delete entry rows it does not send (§2, §6).
    if (fieldOf(t.data, 'IsDeleteEntry') === undefined) data.IsDeleteEntry = false;
  }
  const value = await client.form({ op: t.operation, formId: t.formId, data, label, write: true, signal });
  const slots: Slot[] = items.map((item, dIndex) => ({ item: withNumber(item, numbers[dIndex]), dIndex, created: !update }));
  const answered = splitOutcomes(value, slots, label, client.redact);
  // A create with IsAutoSubmitAndAudit may be saved although its row is refused (its audit failed): checked.
  const autoAudited = !update && t.autoAudit && t.operation !== 'Draft';
  const outcomes = autoAudited ? await doubtAutoAuditRejections(client, t, answered, slots, label, signal) : answered;
  if (steps.length === 0) return [...early, ...outcomes];
  const saved = outcomes.filter((o): o is Extract<WriteOutcome, { status: 'saved' }> => o.status === 'saved');
  const done = new Map((await followUp(client, t, saved, steps, label, signal)).map((o) => [o.key, o]));
  return [...early, ...outcomes.map((o) => done.get(o.key) ?? o)];
}

/** Records already saved: only their Submit/Audit from `resume` on (WriteItem.resume). */
async function resumeSteps(client: KingdeeClient, t: FormTarget, items: WriteItem[], signal: AbortSignal): Promise<WriteOutcome[]> {
  const groups = new Map<string, WriteItem[]>();
  for (const i of items) {
    const steps = stepsFrom(i.resume).join(',');
    groups.set(steps, [...(groups.get(steps) ?? []), i]);
  }
  const out: WriteOutcome[] = [];
  for (const group of groups.values()) {
    const numbers = group.map((i) => numberOf(i, t));
    const label: CallLabel = { connection: client.ctx.connection, formId: t.formId, operation: t.operation, batch: batchLabel(numbers) };
    const saved = group.map((i, k) => ({
      key: i.key,
      status: 'saved' as const,
      targetId: i.existingId as string,
      created: false,
      ...(numbers[k] ? { targetNumber: numbers[k] } : {}),
    }));
    out.push(...(await followUp(client, t, saved, stepsFrom(group[0]?.resume), label, signal)));
  }
  return out;
}

function numberOf(item: WriteItem, t: FormTarget): string | undefined {
  return item.number ?? asText(fieldOf(item.payload, t.numberKey));
}

function withoutKey(obj: JsonObject, name: string): JsonObject {
  const lower = name.toLowerCase();
  return Object.fromEntries(Object.entries(obj).filter(([k]) => k.toLowerCase() !== lower));
}

function withNumber(item: WriteItem, number: string | undefined): WriteItem {
  return number && !item.number ? { ...item, number } : item;
}

/** Kingdee ids are integers; send them as numbers when they look like one. */
export function idValue(id: string): string | number {
  return /^\d{1,15}$/.test(id) ? Number(id) : id;
}

function modelOf(item: WriteItem, t: FormTarget): JsonObject {
  const m: JsonObject = {};
  const idLower = t.idKey.toLowerCase();
  for (const [k, v] of Object.entries(item.payload)) if (k.toLowerCase() !== idLower || !item.existingId) m[k] = v;
  if (item.existingId) return { [t.idKey]: idValue(item.existingId), ...m };
  // New records send master key 0 (reference §5).
  if (fieldOf(m, t.idKey) === undefined) return { [t.idKey]: 0, ...m };
  return m;
}

/**
 * NeedUpDateFields of an update: the item's updateFields, else the scheme's NeedUpDateFields, else the payload's
 * keys, plus for entry arrays their row keys and FEntryID (reference §2).
 */
export function updateFieldsOf(item: WriteItem, t: FormTarget): string[] {
  if (item.updateFields && item.updateFields.length > 0) return item.updateFields;
  const fromScheme = fieldOf(t.data, 'NeedUpDateFields');
  if (Array.isArray(fromScheme) && fromScheme.length > 0) return fromScheme.map(String);
  const keys = new Set<string>();
  const idLower = t.idKey.toLowerCase();
  for (const [k, v] of Object.entries(item.payload)) {
    if (k.toLowerCase() === idLower) continue;
    keys.add(k);
    if (Array.isArray(v) && v.some(isObject)) {
      for (const row of v) if (isObject(row)) for (const rk of Object.keys(row)) keys.add(rk);
      keys.add('FEntryID');
    }
  }
  return [...keys];
}
