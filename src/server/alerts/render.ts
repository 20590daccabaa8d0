import type { Alert, AlertLanguage, RenderedAlert } from './types.ts';
import { metricValue, vocabulary, type Vocabulary } from './i18n.ts';

/**
 * Builds the human message of an alert in one language: title, label/value lines, plain text and
 * markdown. It names the scheme, the run, the counts, the reason and links the console page. Input
 * comes from run events whose texts platforms already redacted; nothing here touches channel config.
 */
export interface RenderOptions {
  language: AlertLanguage;
  /** IANA zone for times in messages (default Asia/Shanghai). */
  timeZone?: string;
}

export function formatTime(ms: number, timeZone: string): string {
  try {
    return new Intl.DateTimeFormat('sv-SE', {
      timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false, timeZoneName: 'shortOffset',
    }).format(new Date(ms));
  } catch {
    return new Date(ms).toISOString();
  }
}

function oneLine(s: string, max = 500): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max)}…` : t;
}

function pct(n: number): string {
  return `${n >= 10 ? n.toFixed(1) : n.toFixed(2)}%`;
}

function factLines(a: Alert, v: Vocabulary, tz: string): { label: string; value: string }[] {
  const L = v.label;
  const f = a.facts;
  const out: { label: string; value: string }[] = [];
  const add = (label: string, value: string | undefined) => {
    if (value !== undefined && value !== '') out.push({ label, value });
  };
  if (a.state === 'resolved') add(L.state, v.resolved);
  if (f.type !== 'test') {
    add(L.rule, a.ruleName);
    add(L.severity, v.severity[a.severity]);
  }
  switch (f.type) {
    case 'run_failed':
      add(L.scheme, a.scheme);
      add(L.run, a.runId);
      add(L.status, v.status[f.status]);
      if (f.reason) add(L.reason, oneLine(f.reason));
      add(L.records, v.counts(f.counts));
      if (f.durationMs !== undefined) add(L.duration, v.duration(f.durationMs));
      break;
    case 'rejection_rate':
      add(L.scheme, a.scheme);
      add(L.rate, `${pct(f.ratePercent)} > ${pct(f.thresholdPercent)}`);
      add(L.records, v.ofRecords(f.rejected, f.processed, f.runs, f.windowMinutes));
      add(L.lastRun, a.runId);
      break;
    case 'no_records':
      add(L.scheme, a.scheme);
      add(L.quietFor, `> ${v.hours(f.hours)}`);
      add(L.lastRecords, f.lastRecordsAt ? formatTime(f.lastRecordsAt, tz) : v.never);
      if (a.runId) add(L.lastRun, `${a.runId}${f.lastRunStatus ? ` (${v.status[f.lastRunStatus]})` : ''}`);
      break;
    case 'api_error_rate':
      add(L.connection, f.connection);
      add(L.api, f.api);
      add(L.rate, `${pct(f.ratePercent)} > ${pct(f.thresholdPercent)}`);
      add(L.calls, v.ofCalls(f.errors, f.calls, f.windowMinutes));
      if (f.lastError) add(L.lastError, oneLine(f.lastError, 300));
      if (f.schemes.length) add(L.schemes, f.schemes.join(', '));
      add(L.lastRun, a.runId);
      break;
    case 'long_run':
      add(L.scheme, a.scheme);
      add(L.run, a.runId);
      add(L.startedAt, formatTime(f.startedAt, tz));
      add(L.elapsed, v.duration(f.elapsedMs));
      add(L.limit, v.minutes(f.maxMinutes));
      if (f.counts) add(L.records, v.counts(f.counts));
      break;
    case 'anomaly':
      add(L.scheme, a.scheme);
      add(L.run, a.runId);
      add(L.metric, v.metric[f.metric]);
      add(L.value, metricValue(f.metric, f.value));
      add(L.usual, v.usual(metricValue(f.metric, f.median), f.history));
      add(L.verdict, v.verdict(f.direction, f.thresholdRatio, f.zero === true, f.median > 0 ? `${((f.value / f.median) * 100).toFixed(f.value / f.median < 0.1 ? 1 : 0)}%` : '∞'));
      add(L.records, v.counts(f.counts));
      break;
    case 'resolved':
      add(L.scheme, a.scheme);
      add(L.run, a.runId);
      break;
    case 'test':
      add(L.message, v.testText);
      break;
  }
  if (a.state === 'resolved') add(L.message, v.resolvedText);
  add(L.time, formatTime(a.at, tz));
  return out;
}

function subjectOf(a: Alert): string {
  if (a.facts.type === 'api_error_rate') return a.facts.api ? `${a.facts.connection} / ${a.facts.api}` : a.facts.connection;
  if (a.facts.type === 'resolved' && a.facts.subject) return a.facts.subject;
  return a.scheme ?? '';
}

export function renderAlert(alert: Alert, opts: RenderOptions): RenderedAlert {
  const v = vocabulary(opts.language);
  const tz = opts.timeZone ?? 'Asia/Shanghai';
  const subject = subjectOf(alert);
  const head = alert.state === 'resolved' ? `${v.resolved} · ${v.types[alert.ruleType]}` : v.types[alert.ruleType];
  const title = `[ferry] ${head}${subject ? ` · ${subject}` : ''}`;
  const lines = factLines(alert, v, tz);
  const linkLabel = alert.runId ? v.openRun : v.openScheme;
  const link = alert.link;
  const text = [title, ...lines.map((l) => `${l.label}: ${l.value}`), ...(link ? [`${linkLabel}: ${link}`] : [])].join('\n');
  // Two trailing spaces are not portable across robots; one item per paragraph renders everywhere.
  const body = [...lines.map((l) => `**${l.label}**: ${l.value}`), ...(link ? [`[${linkLabel}](${link})`] : [])].join('\n\n');
  return { alert, language: opts.language, title, text, markdown: `### ${title}\n\n${body}`, markdownBody: body, linkLabel, lines };
}
