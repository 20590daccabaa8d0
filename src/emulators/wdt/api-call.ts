import type { EmulatedApi } from './api-table.ts';
import type { Rec } from './dataset.ts';
import type { EmulatorState } from './state.ts';
import type { Answer } from './http-util.ts';
import { sleep } from './http-util.ts';
import { numbersAsStrings, omitKeys, runQuery } from './query.ts';

/**
 * The flow every API call goes through, whatever the transport:
 * stats → latency → injected fault → transport checks (sign, timestamp) → per-sid rate limit → query → envelope.
 * A transport supplies its checks and its envelopes.
 */

export const CODE_RATE_LIMIT = 1012; // wdt-api.md §5 (one production client; retried after 31 s)
export const RATE_LIMIT_MESSAGE = '超过每分钟最大调用频率限制,请稍后重试';

export interface Transport {
  name: 'openapi' | 'qimen';
  /** Name counted in stats (canonical Qimen method when known). */
  apiName: string;
  api: EmulatedApi | undefined;
  sid: string | undefined;
  params: Record<string, string>;
  unknownApi(): Answer;
  /** Sign, keys, timestamp; an answer when the call is refused. */
  verify(): Answer | undefined;
  vendorError(code: number, message: string): Answer;
  /** `fields` holds total_count (when sent) and the list under its key. */
  success(fields: Rec): Answer;
}

const HTML_5XX = '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>';

export async function serveApiCall(state: EmulatorState, t: Transport): Promise<Answer> {
  state.stats.call(t.apiName, t.sid, t.name);
  const answer = await serve(state, t);
  if (answer.code?.startsWith('fault:')) state.stats.fault(t.apiName, answer.code.slice(6));
  else state.stats.outcome(t.apiName, answer.code);
  return answer;
}

async function serve(state: EmulatorState, t: Transport): Promise<Answer> {
  const f = state.faults.options;
  await sleep(f.latencyMs);
  const fault = state.faults.next();
  if (fault === 'drop') return { kind: 'drop', code: 'fault:drop' };
  if (fault === '5xx') return { kind: 'raw', status: 502, body: HTML_5XX, contentType: 'text/html', code: 'fault:5xx' };
  if (fault === 'malformed')
    return { kind: 'raw', status: 200, body: '{"code":0,"message":"","total_count":', contentType: 'application/json', code: 'fault:malformed' };
  if (fault === 'slow') await sleep(f.slowMs);

  if (!t.api) return t.unknownApi();
  const refused = t.verify();
  if (refused) return refused;
  if (fault === 'rate_limit' || !state.limiter.take(t.sid ?? '')) return t.vendorError(CODE_RATE_LIMIT, RATE_LIMIT_MESSAGE);

  const api = t.api;
  const ds = state.datasets[api.dataset];
  const result = runQuery(api, t.params, ds, { pageSizeOutOfRange: state.opts.pageSizeOutOfRange, maxPageSize: state.opts.maxPageSize, servePage: (n) => servePage(state, n) });
  if (!result.ok) return t.vendorError(result.code, result.message);

  const omit = t.name === 'qimen' ? api.qimenOmits : undefined;
  let list: unknown = result.records.map((r) => omitKeys(r, omit));
  const mode = state.opts.totalCount;
  const count = mode === 'first-then-zero' && result.pageNo > 0 ? 0 : Math.max(0, result.total + state.opts.totalCountOffset);
  let total: unknown = count;
  if (state.opts.numbers === 'string') {
    list = numbersAsStrings(list);
    total = String(count);
  }
  const fields: Rec = {};
  if (mode === 'every' || mode === 'first-then-zero' || (mode === 'first' && result.pageNo === 0)) fields.total_count = total;
  if (fault === 'wrong_type') fields[api.listKey] = 'not-a-list';
  else if (fault !== 'missing_list') fields[api.listKey] = list;

  churn(state, api, result.ids);
  const answer = t.success(fields);
  return fault === 'missing_list' || fault === 'wrong_type' ? { ...answer, code: `fault:${fault}` } : answer;
}

/** The page really served for `pageNo` under the configured page fault (a repeated page, cycling pages). */
function servePage(state: EmulatorState, pageNo: number): number {
  const f = state.opts.pageFault;
  if (!f) return pageNo;
  if (f.kind === 'cycle') return f.period > 0 ? pageNo % f.period : pageNo;
  if (pageNo === f.page && state.pageFaultFired < (f.times ?? 1)) {
    state.pageFaultFired++;
    return f.as;
  }
  return pageNo;
}

/** After every N-th answered list call, the first record just served is modified and moves to the end. */
function churn(state: EmulatorState, api: EmulatedApi, ids: number[]): void {
  const c = state.opts.churn;
  if (!c || c.everyCalls <= 0 || (c.dataset !== undefined && c.dataset !== api.dataset)) return;
  state.listCalls++;
  const first = ids[0];
  if (state.listCalls % c.everyCalls === 0 && first !== undefined) state.datasets[api.dataset].touch(first);
}
