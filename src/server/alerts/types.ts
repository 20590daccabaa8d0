import type { RunCounts, RunStatus } from '../../core/contracts/state-store.ts';
import type { AlertRuleType, Severity } from './rule-schema.ts';

/** Message language; each channel picks one (default: the service's). */
export type AlertLanguage = 'zh-CN' | 'en';

/** What each rule type knows about the condition it saw — the numbers a message quotes. */
export type AlertFacts =
  | { type: 'run_failed'; status: RunStatus; counts: RunCounts; reason?: string; durationMs?: number }
  | { type: 'rejection_rate'; ratePercent: number; thresholdPercent: number; rejected: number; processed: number; runs: number; windowMinutes: number }
  | { type: 'no_records'; hours: number; lastRecordsAt?: number; lastRunAt?: number; lastRunStatus?: RunStatus }
  | {
      type: 'api_error_rate';
      connection: string;
      api?: string;
      calls: number;
      errors: number;
      ratePercent: number;
      thresholdPercent: number;
      windowMinutes: number;
      lastError?: string;
      schemes: string[];
    }
  | { type: 'long_run'; startedAt: number; elapsedMs: number; maxMinutes: number; counts?: RunCounts }
  | {
      type: 'anomaly';
      metric: 'records_read' | 'rejection_rate' | 'api_latency';
      direction: 'below' | 'above';
      /** This run's value (records, %, ms). */
      value: number;
      /** Median of the earlier runs compared with. */
      median: number;
      /** The ratio that was crossed (belowRatio or aboveRatio). */
      thresholdRatio: number;
      /** How many earlier runs the median is of (≤ lookbackRuns). */
      history: number;
      lookbackRuns: number;
      /** The run read nothing though the scheme's runs usually read something. */
      zero?: boolean;
      counts: RunCounts;
    }
  | { type: 'resolved'; subject?: string }
  | { type: 'test' };

/** One alert as it is rendered and delivered. Never holds a channel secret. */
export interface Alert {
  /** Unique per delivery attempt group (all channels of one firing share it). */
  id: string;
  state: 'firing' | 'resolved';
  ruleId: string | null;
  ruleName: string;
  ruleType: AlertRuleType | 'test';
  severity: Severity;
  scheme?: string;
  runId?: string;
  /** Rule + scheme + condition key: the de-duplication identity. */
  key: string;
  /** When the condition was observed (ms since epoch). */
  at: number;
  facts: AlertFacts;
  /** Console page of the run (or of the scheme's runs) when known. */
  link?: string;
}

/** Message text for one language, built from an Alert. */
export interface RenderedAlert {
  alert: Alert;
  language: AlertLanguage;
  /** One line, e.g. "[ferry] 运行失败 · shops-to-customers". */
  title: string;
  /** Plain text (several lines). */
  text: string;
  /** Markdown with the title as a heading (the common subset WeCom, DingTalk and Feishu lark_md render). */
  markdown: string;
  /** The same markdown without the title line (for cards that show the title in a header). */
  markdownBody: string;
  /** Label of the console link ("查看运行" / "Open run"). */
  linkLabel: string;
  /** Facts as label/value lines, for cards and e-mail. */
  lines: { label: string; value: string }[];
}

export type HistoryStatus = 'sent' | 'failed' | 'suppressed';

/**
 * One row of alert history: a delivery to one channel (sent / failed with the error) or one
 * suppressed occurrence (de-duplicated or silenced; no channel). Errors are redacted before storing.
 */
export interface AlertHistoryEntry {
  id: string;
  at: number;
  status: HistoryStatus;
  state: 'firing' | 'resolved';
  alertId: string;
  ruleId: string | null;
  ruleName: string;
  ruleType: AlertRuleType | 'test';
  severity: Severity;
  scheme: string | null;
  runId: string | null;
  key: string;
  channelId: string | null;
  channelName: string | null;
  channelType: string | null;
  attempts: number;
  /** Why delivery failed, or why it was suppressed ("duplicate", "silenced: <reason>"). */
  error: string | null;
  title: string;
  text: string;
}

export interface HistoryQuery {
  limit?: number;
  offset?: number;
  status?: HistoryStatus;
  ruleId?: string;
  scheme?: string;
  channelId?: string;
  since?: number;
}

/**
 * De-duplication state of one condition (rule + scheme + condition key). Open while the condition
 * holds; `resolvedAt` closes it. `lastSentAt` drives the silence window.
 */
export interface AlertIncident {
  key: string;
  ruleId: string;
  scheme: string | null;
  conditionKey: string;
  openedAt: number;
  lastSeenAt: number;
  lastSentAt: number | null;
  /** Identity of the last occurrence recorded (run id, time bucket…): repeats of it are not re-recorded. */
  lastOccurrence: string;
  occurrences: number;
  suppressed: number;
  resolvedAt: number | null;
}

/** An operator's mute: matching alerts are recorded as suppressed until `until`. */
export interface AlertSilence {
  id: string;
  /** Only this rule (null = any rule). */
  ruleId: string | null;
  /** Only this scheme (null = any scheme). */
  scheme: string | null;
  until: number;
  reason: string | null;
  createdAt: number;
  createdBy: string | null;
}
