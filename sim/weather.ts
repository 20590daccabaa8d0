import type { Rng } from './rng.ts';

/** The transient faults a scripted vendor can show on one call (persistent quirks live in each vendor's config). */
export const FAULTS = [
  'http500', // 5xx before applying
  'http500After', // 5xx after applying (writes)
  'refused', // connection refused: nothing reached the vendor
  'lost', // applied, then the connection dropped or timed out
  'rateLimit', // the vendor's own rate-limit answer (WDT 1012, Kingdee MsgCode 14)
  'http429', // HTTP 429 with Retry-After
  'http429Bare', // HTTP 429 without Retry-After
  'sessionExpired', // Kingdee: the session is gone (MsgCode 1 on the next call)
  'noEntities', // Kingdee save: applied, IsSuccess true, no SuccessEntitys
  'rowsMissing', // Kingdee save: applied, some rows absent from the answer
  'rowConflict', // Kingdee save: some rows refused transiently (MsgCode 13), not applied
  'dindexShift', // Kingdee save: applied, DIndex of the results shifted by one
  'auditFail', // Kingdee UnAudit/Submit/Audit: the step fails for some rows (transiently)
  'autoAuditFail', // Kingdee save with IsAutoSubmitAndAudit: saved, but the audit fails for some rows (answered in Errors only)
  'repeatPage', // WDT: answers the previous page again (page_no ignored once)
  'mutate', // the source changes between two pages (a record renamed, a record added)
] as const;
export type Fault = (typeof FAULTS)[number];

/**
 * The weather of a schedule: a probability per fault while stormy; calm after the storm (the quirks stay).
 * Drawn once per schedule from its seed.
 */
export class Weather {
  stormy = true;
  readonly p: Record<Fault, number>;

  constructor(rng: Rng, enabled: readonly Fault[] = FAULTS) {
    const intensity = rng.pick([0.02, 0.05, 0.1, 0.2]);
    this.p = Object.fromEntries(FAULTS.map((f) => [f, enabled.includes(f) && rng.chance(0.6) ? intensity * (0.3 + rng.next()) : 0])) as Record<Fault, number>;
  }

  /** The fault of this call among those that make sense for it, or undefined. */
  draw(rng: Rng, candidates: readonly Fault[]): Fault | undefined {
    if (!this.stormy) return undefined;
    for (const f of candidates) if (rng.chance(this.p[f])) return f;
    return undefined;
  }

  describe(): string {
    return FAULTS.filter((f) => this.p[f] > 0).map((f) => `${f}:${this.p[f].toFixed(3)}`).join(' ');
  }
}
