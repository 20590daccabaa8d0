import type { AlertIncident, AlertSilence } from './types.ts';

/**
 * De-duplication, as a pure function of the stored incident and one new sighting:
 * - no open incident (never seen, or resolved since) → a new incident, SEND;
 * - same occurrence as the last one recorded → IGNORE (a re-evaluation of the same thing);
 * - an operator silence matches → SUPPRESS ("silenced");
 * - last send less than the rule's silence window ago → SUPPRESS ("duplicate");
 * - otherwise (window passed, or nothing was ever delivered) → SEND again.
 * The caller stores the returned incident; `lastSentAt` is set optimistically on SEND and put back
 * by the caller when no channel accepted the alert (so the next occurrence tries again).
 */
export type FireDecision =
  | { action: 'send'; incident: AlertIncident; previousSentAt: number | null }
  | { action: 'suppress'; incident: AlertIncident; reason: string }
  | { action: 'ignore'; incident: AlertIncident };

export interface Sighting {
  key: string;
  ruleId: string;
  scheme: string | null;
  conditionKey: string;
  occurrence: string;
  at: number;
}

export function decideFire(stored: AlertIncident | undefined, s: Sighting, silenceMinutes: number, silence: AlertSilence | undefined): FireDecision {
  const open = stored && stored.resolvedAt === null ? { ...stored } : undefined;
  if (open && open.lastOccurrence === s.occurrence) return { action: 'ignore', incident: { ...open, lastSeenAt: Math.max(open.lastSeenAt, s.at) } };
  const incident: AlertIncident = open ?? {
    key: s.key,
    ruleId: s.ruleId,
    scheme: s.scheme,
    conditionKey: s.conditionKey,
    openedAt: s.at,
    lastSeenAt: s.at,
    lastSentAt: null,
    lastOccurrence: '',
    occurrences: 0,
    suppressed: 0,
    resolvedAt: null,
  };
  incident.lastSeenAt = Math.max(incident.lastSeenAt, s.at);
  incident.lastOccurrence = s.occurrence;
  incident.occurrences++;
  if (silence) {
    incident.suppressed++;
    return { action: 'suppress', incident, reason: `silenced until ${new Date(silence.until).toISOString()}${silence.reason ? `: ${silence.reason}` : ''}` };
  }
  const windowMs = silenceMinutes * 60_000;
  if (incident.lastSentAt !== null && s.at - incident.lastSentAt < windowMs) {
    incident.suppressed++;
    return { action: 'suppress', incident, reason: `duplicate: already sent at ${new Date(incident.lastSentAt).toISOString()}, silence window ${silenceMinutes} min` };
  }
  const previousSentAt = incident.lastSentAt;
  incident.lastSentAt = s.at;
  return { action: 'send', incident, previousSentAt };
}

/** The operator silence (if any) that covers this rule and scheme at `at`. */
export function activeSilence(silences: readonly AlertSilence[], ruleId: string, scheme: string | null, at: number): AlertSilence | undefined {
  return silences.find((x) => x.until > at && (x.ruleId === null || x.ruleId === ruleId) && (x.scheme === null || x.scheme === scheme));
}
