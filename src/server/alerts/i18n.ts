import type { RunCounts, RunStatus } from '../../core/contracts/state-store.ts';
import type { AlertLanguage } from './types.ts';
import type { AnomalyMetric } from './rule-schema.ts';

/** Message vocabulary in Chinese (the operators' language) and English. */
export interface Vocabulary {
  types: Record<'run_failed' | 'rejection_rate' | 'no_records' | 'api_error_rate' | 'long_run' | 'anomaly' | 'test', string>;
  metric: Record<AnomalyMetric, string>;
  resolved: string;
  severity: Record<'info' | 'warning' | 'critical', string>;
  status: Record<RunStatus, string>;
  label: {
    rule: string; severity: string; scheme: string; run: string; status: string; reason: string; records: string; duration: string;
    time: string; rate: string; window: string; lastRecords: string; lastRun: string; quietFor: string; connection: string; api: string;
    calls: string; lastError: string; schemes: string; startedAt: string; elapsed: string; limit: string; state: string; message: string;
    metric: string; value: string; usual: string; verdict: string;
  };
  openRun: string;
  openScheme: string;
  never: string;
  testText: string;
  resolvedText: string;
  counts(c: RunCounts): string;
  duration(ms: number): string;
  minutes(n: number): string;
  hours(n: number): string;
  ofRecords(rejected: number, processed: number, runs: number, windowMinutes: number): string;
  ofCalls(errors: number, calls: number, windowMinutes: number): string;
  /** The median and how many runs it is of. */
  usual(median: string, runs: number): string;
  /** Why it fired: below median × ratio, above median × ratio, or nothing read at all. */
  verdict(direction: 'below' | 'above', ratio: number, zero: boolean, percentOfUsual: string): string;
}

/** A metric value with its unit. */
export function metricValue(metric: AnomalyMetric, v: number): string {
  if (metric === 'records_read') return String(Math.round(v));
  if (metric === 'rejection_rate') return `${v >= 10 ? v.toFixed(1) : v.toFixed(2)}%`;
  return `${Math.round(v)} ms`;
}

function split(ms: number): [number, number, number] {
  const s = Math.max(0, Math.round(ms / 1000));
  return [Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60];
}

const zh: Vocabulary = {
  types: { run_failed: '运行失败', rejection_rate: '拒绝率过高', no_records: '长时间无数据', api_error_rate: '接口错误率过高', long_run: '运行时间过长', anomaly: '运行数据异常', test: '测试消息' },
  metric: { records_read: '读取记录数', rejection_rate: '拒绝率', api_latency: '接口平均耗时' },
  resolved: '已恢复',
  severity: { info: '提示', warning: '警告', critical: '严重' },
  status: { running: '运行中', succeeded: '成功', partial: '部分成功', failed: '失败', aborted: '中止', cancelled: '已取消', interrupted: '已中断' },
  label: {
    rule: '规则', severity: '级别', scheme: '方案', run: '运行', status: '状态', reason: '原因', records: '记录', duration: '耗时',
    time: '时间', rate: '比例', window: '统计窗口', lastRecords: '最近有数据', lastRun: '最近运行', quietFor: '无数据时长', connection: '连接',
    api: '接口', calls: '调用', lastError: '最近错误', schemes: '涉及方案', startedAt: '开始时间', elapsed: '已运行', limit: '上限', state: '状态',
    message: '说明', metric: '指标', value: '本次', usual: '通常', verdict: '判断',
  },
  openRun: '查看运行',
  openScheme: '查看方案',
  never: '从未',
  testText: '这是一条来自 ferry 的测试告警，收到即表示通道配置正确。',
  resolvedText: '告警条件已解除。',
  counts: (c) => `读取 ${c.read} · 新增 ${c.created} · 更新 ${c.updated} · 跳过 ${c.skipped} · 拒绝 ${c.rejected} · 失败 ${c.failed}`,
  duration: (ms) => {
    const [h, m, s] = split(ms);
    return h ? `${h}小时${m}分${s}秒` : m ? `${m}分${s}秒` : `${s}秒`;
  },
  minutes: (n) => `${n} 分钟`,
  hours: (n) => `${n} 小时`,
  ofRecords: (r, p, runs, w) => `拒绝 ${r} / 处理 ${p} 条（${runs} 次运行，近 ${w} 分钟）`,
  ofCalls: (e, c, w) => `失败 ${e} / 调用 ${c} 次（近 ${w} 分钟）`,
  usual: (m, n) => `${m}（近 ${n} 次运行的中位数）`,
  verdict: (d, r, zero, p) => (zero ? '本次未读到任何记录，而该方案的运行通常有数据' : d === 'below' ? `仅为通常的 ${p}，低于 ${Math.round(r * 1000) / 10}% 的下限` : `为通常的 ${p}，超过 ${r} 倍的上限`),
};

const en: Vocabulary = {
  types: { run_failed: 'Run failed', rejection_rate: 'High rejection rate', no_records: 'No records', api_error_rate: 'High API error rate', long_run: 'Run takes too long', anomaly: 'Unusual run', test: 'Test message' },
  metric: { records_read: 'Records read', rejection_rate: 'Rejection rate', api_latency: 'Mean API call time' },
  resolved: 'Resolved',
  severity: { info: 'info', warning: 'warning', critical: 'critical' },
  status: { running: 'running', succeeded: 'succeeded', partial: 'partial', failed: 'failed', aborted: 'aborted', cancelled: 'cancelled', interrupted: 'interrupted' },
  label: {
    rule: 'Rule', severity: 'Severity', scheme: 'Scheme', run: 'Run', status: 'Status', reason: 'Reason', records: 'Records', duration: 'Duration',
    time: 'Time', rate: 'Rate', window: 'Window', lastRecords: 'Last records', lastRun: 'Last run', quietFor: 'Quiet for', connection: 'Connection',
    api: 'API', calls: 'Calls', lastError: 'Last error', schemes: 'Schemes', startedAt: 'Started', elapsed: 'Running for', limit: 'Limit', state: 'State',
    message: 'Note', metric: 'Metric', value: 'This run', usual: 'Usual', verdict: 'Verdict',
  },
  openRun: 'Open run',
  openScheme: 'Open scheme',
  never: 'never',
  testText: 'This is a test alert from ferry; receiving it means the channel is set up correctly.',
  resolvedText: 'The condition has cleared.',
  counts: (c) => `read ${c.read} · created ${c.created} · updated ${c.updated} · skipped ${c.skipped} · rejected ${c.rejected} · failed ${c.failed}`,
  duration: (ms) => {
    const [h, m, s] = split(ms);
    return h ? `${h}h ${m}m ${s}s` : m ? `${m}m ${s}s` : `${s}s`;
  },
  minutes: (n) => `${n} min`,
  hours: (n) => `${n} h`,
  ofRecords: (r, p, runs, w) => `${r} rejected of ${p} processed (${runs} runs, last ${w} min)`,
  ofCalls: (e, c, w) => `${e} failed of ${c} calls (last ${w} min)`,
  usual: (m, n) => `${m} (median of the last ${n} runs)`,
  verdict: (d, r, zero, p) => (zero ? 'nothing read, though the scheme\'s runs usually read records' : d === 'below' ? `${p} of usual, below the ${Math.round(r * 1000) / 10}% floor` : `${p} of usual, above ${r}× usual`),
};

export function vocabulary(lang: AlertLanguage): Vocabulary {
  return lang === 'en' ? en : zh;
}
