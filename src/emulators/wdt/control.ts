import type { DatasetName } from './api-table.ts';
import type { Rec } from './dataset.ts';
import type { EmulatorStats } from './stats.ts';
import type { EmulatorState } from './state.ts';
import type { ChurnOptions, FaultKind, FaultOptions, PageFault } from './options.ts';
import type { Answer } from './http-util.ts';
import { FAULT_KINDS } from './faults.ts';
import { json } from './http-util.ts';

/**
 * Test control of a running emulator, in-process (`emulator.control`) and over HTTP:
 * - `POST /__control/faults` JSON Partial<FaultOptions> → the fault settings now in force;
 * - `POST /__control/settings` JSON {rateLimit?, churn?, numbers?, totalCount?, totalCountOffset?, maxPageSize?,
 *   pageFault?, pageSizeOutOfRange?};
 * - `GET /__control/stats` (read-only) call counts; `POST /__control/stats/reset`;
 * - `POST /__control/data` JSON {dataset, modify?: [{id, set}], add?: [fields], touch?: [id]};
 * - `GET /__control/data?dataset=shops&id=7` one record as the API would serve it (before number conversion).
 */

export interface WdtEmulatorControl {
  setFaults(patch: Partial<FaultOptions>): FaultOptions;
  /** Injects these faults, in order, into the next API calls. */
  failNext(...kinds: FaultKind[]): void;
  setRateLimit(callsPerSecond: number): void;
  setChurn(churn: ChurnOptions | undefined): void;
  stats(): EmulatorStats;
  resetStats(): void;
  get(dataset: DatasetName, id: number): Rec | undefined;
  modify(dataset: DatasetName, id: number, set: Rec): Rec | undefined;
  /** Moves a record to the end of the modified-time order, as a fresh edit does. */
  touch(dataset: DatasetName, id: number): Rec | undefined;
  add(dataset: DatasetName, fields: Rec): Rec;
  size(dataset: DatasetName): number;
}

export function createControl(state: EmulatorState): WdtEmulatorControl {
  return {
    setFaults: (patch) => state.faults.update(patch),
    failNext: (...kinds) => {
      state.faults.options.script.push(...kinds);
    },
    setRateLimit: (n) => {
      state.limiter.limit = n;
      state.opts.rateLimit = n;
    },
    setChurn: (c) => {
      state.opts.churn = c;
    },
    stats: () => state.stats.snapshot(),
    resetStats: () => state.stats.reset(),
    get: (d, id) => {
      const i = state.datasets[d].indexOfId(id);
      return i === undefined ? undefined : state.datasets[d].get(i);
    },
    modify: (d, id, set) => state.datasets[d].modify(id, set),
    touch: (d, id) => state.datasets[d].touch(id),
    add: (d, fields) => state.datasets[d].add(fields),
    size: (d) => state.datasets[d].size,
  };
}

const bad = (message: string): Answer => ({ kind: 'json', status: 400, body: JSON.stringify({ error: message }) });

function isDataset(state: EmulatorState, d: unknown): d is DatasetName {
  return typeof d === 'string' && Object.hasOwn(state.datasets, d);
}

function checkFaults(body: Record<string, unknown>): string | undefined {
  for (const k of ['rate5xx', 'malformedRate', 'dropRate', 'slowRate'])
    if (k in body && !(typeof body[k] === 'number' && body[k] >= 0 && body[k] <= 1)) return `${k} must be a number in 0..1`;
  for (const k of ['slowMs', 'latencyMs']) if (k in body && !(typeof body[k] === 'number' && body[k] >= 0)) return `${k} must be a number >= 0`;
  if ('script' in body && !(Array.isArray(body.script) && body.script.every((s) => FAULT_KINDS.includes(s as FaultKind))))
    return `script must be a list of ${FAULT_KINDS.join(', ')}`;
  return undefined;
}

export function handleControl(state: EmulatorState, control: WdtEmulatorControl, method: string, url: URL, body: string): Answer {
  const route = `${method} ${url.pathname}`;
  if (route === 'GET /__control/stats') return json(control.stats());
  if (route === 'GET /__control/data') {
    const d = url.searchParams.get('dataset');
    if (!isDataset(state, d)) return bad(`unknown dataset '${d}'`);
    const rec = control.get(d, Number(url.searchParams.get('id')));
    return rec ? json(rec) : { kind: 'json', status: 404, body: JSON.stringify({ error: 'no such record' }) };
  }
  if (method !== 'POST') return { kind: 'json', status: 404, body: JSON.stringify({ error: `no control route ${route}` }) };
  let input: Record<string, unknown>;
  try {
    const parsed: unknown = body.trim() === '' ? {} : JSON.parse(body);
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return bad('body must be a JSON object');
    input = parsed as Record<string, unknown>;
  } catch {
    return bad('body is not valid JSON');
  }
  switch (url.pathname) {
    case '/__control/faults': {
      const problem = checkFaults(input);
      return problem ? bad(problem) : json(control.setFaults(input as Partial<FaultOptions>));
    }
    case '/__control/stats/reset':
      control.resetStats();
      return json({ ok: true });
    case '/__control/settings':
      return settings(state, control, input);
    case '/__control/data':
      return data(state, control, input);
    default:
      return { kind: 'json', status: 404, body: JSON.stringify({ error: `no control route ${route}` }) };
  }
}

function settings(state: EmulatorState, control: WdtEmulatorControl, input: Record<string, unknown>): Answer {
  if ('rateLimit' in input) {
    if (typeof input.rateLimit !== 'number' || input.rateLimit < 0) return bad('rateLimit must be a number >= 0');
    control.setRateLimit(input.rateLimit);
  }
  if ('churn' in input) control.setChurn((input.churn ?? undefined) as ChurnOptions | undefined);
  if (input.numbers === 'number' || input.numbers === 'string') state.opts.numbers = input.numbers;
  if (input.totalCount === 'every' || input.totalCount === 'first' || input.totalCount === 'first-then-zero' || input.totalCount === 'none') state.opts.totalCount = input.totalCount;
  if (input.pageSizeOutOfRange === 'reject' || input.pageSizeOutOfRange === 'clamp') state.opts.pageSizeOutOfRange = input.pageSizeOutOfRange;
  if (typeof input.totalCountOffset === 'number') state.opts.totalCountOffset = input.totalCountOffset;
  if ('maxPageSize' in input) state.opts.maxPageSize = typeof input.maxPageSize === 'number' && input.maxPageSize >= 1 ? input.maxPageSize : undefined;
  if ('pageFault' in input) {
    state.opts.pageFault = (input.pageFault ?? undefined) as PageFault | undefined;
    state.pageFaultFired = 0;
  }
  const { rateLimit, churn, numbers, totalCount, pageSizeOutOfRange, totalCountOffset, maxPageSize, pageFault } = state.opts;
  return json({ rateLimit, churn: churn ?? null, numbers, totalCount, pageSizeOutOfRange, totalCountOffset, maxPageSize: maxPageSize ?? null, pageFault: pageFault ?? null });
}

function data(state: EmulatorState, control: WdtEmulatorControl, input: Record<string, unknown>): Answer {
  const d = input.dataset;
  if (!isDataset(state, d)) return bad(`dataset must be one of ${Object.keys(state.datasets).join(', ')}`);
  const out: { modified: Rec[]; added: Rec[]; touched: Rec[]; missing: unknown[] } = { modified: [], added: [], touched: [], missing: [] };
  for (const m of Array.isArray(input.modify) ? (input.modify as { id?: unknown; set?: unknown }[]) : []) {
    const rec = typeof m.set === 'object' && m.set ? control.modify(d, Number(m.id), m.set as Rec) : undefined;
    if (rec) out.modified.push(rec);
    else out.missing.push(m.id);
  }
  for (const id of Array.isArray(input.touch) ? input.touch : []) {
    const rec = control.touch(d, Number(id));
    if (rec) out.touched.push(rec);
    else out.missing.push(id);
  }
  for (const fields of Array.isArray(input.add) ? input.add : [])
    if (fields && typeof fields === 'object') out.added.push(control.add(d, fields as Rec));
  return json(out);
}
