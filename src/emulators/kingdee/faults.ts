/**
 * Fault injection, by start option or at run time (`POST /__control/faults`). A rule fires on a call when
 * its `every`-th matching call comes round or when a random draw falls under its `rate`, at most `count` times.
 *
 * Kinds:
 * - `5xx`: HTTP 503 (or `status`) with IIS's "Service Unavailable" page; not applied.
 * - `html`: HTTP 500 (or `status`, 200 included) with an IIS HTML error page; not applied.
 * - `badMsgCode`: a reply with an unknown MsgCode (`msgCode`, default 99); not applied.
 * - `callLimit`: MsgCode 14 call limit; not applied.
 * - `sessionExpire`: the live session the call presents is dropped first (session modes then see MsgCode 1;
 *   signed mode silently gets a new session, as measured on a real server, reference §3b).
 * - `truncate`: applied, then the JSON answer is cut in half.
 * - `applyThenTimeout`: applied, then no answer for `ms` (default 60 s), then the connection is closed.
 * - `applyThenDrop`: applied, then the connection is closed without an answer.
 * - `slow`: the call is delayed by `ms` (default 1000) and then handled normally.
 * - `omitSuccess`: applied, then answered `IsSuccess: true` with an empty `SuccessEntitys` (and no Errors)
 *   — the answer says nothing about any row (reference, "Answers that omit a row").
 * - `omitRows`: applied, then the rows whose DIndex % `rows` (default 2) is `rows - 1` are left out of
 *   `SuccessEntitys` and `Errors`.
 * - `shiftDIndex`: applied, then every DIndex of the answer is moved by `shift` (default 1), so each row's
 *   result names the wrong package (its `Number` still names the record it is about).
 * - `rowFail`: Submit / Audit / UnAudit / Delete / ExcuteOperation only: the rows whose DIndex % `rows`
 *   (default 1: every row) is 0 are not changed and answered in `Errors` with `message` (default a
 *   network-control conflict) and the call's MsgCode `msgCode` (default 13); the others are handled normally.
 * - `autoAuditFail`: Save / BatchSave with IsAutoSubmitAndAudit only: the rows whose DIndex % `rows` (default 1)
 *   is 0 are saved (created or updated, left unsubmitted: status A) but their automatic submit/audit fails, and
 *   they are answered in `Errors` only (no `SuccessEntitys` entry) with `message` (default an audit-flow
 *   failure) and MsgCode `msgCode` (default 12). Kingdee does not document this answer; ferry must not take
 *   it for "not saved".
 * `latencyMs` delays every call.
 */

export const FAULT_KINDS = [
  '5xx',
  'html',
  'badMsgCode',
  'callLimit',
  'sessionExpire',
  'truncate',
  'applyThenTimeout',
  'applyThenDrop',
  'slow',
  'omitSuccess',
  'omitRows',
  'shiftDIndex',
  'rowFail',
  'autoAuditFail',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultRule {
  kind: FaultKind;
  /** Probability per matching call, 0..1. */
  rate?: number;
  /** Fire on every N-th matching call. */
  every?: number;
  /** Fire at most this many times. */
  count?: number;
  /** Service method names it applies to (any case, e.g. `BatchSave`); all when absent. Logins are matched only when listed. */
  services?: string[];
  status?: number;
  ms?: number;
  msgCode?: number;
  /** `omitRows` / `rowFail` / `autoAuditFail`: which rows (DIndex % rows). */
  rows?: number;
  /** `shiftDIndex`: how far. */
  shift?: number;
  /** `rowFail` / `autoAuditFail`: the row's message. */
  message?: string;
}

export interface FaultConfig {
  latencyMs?: number;
  rules?: FaultRule[];
}

interface LiveRule extends FaultRule {
  seen: number;
  fired: number;
}

const LOGIN = new Set(['validateuser', 'loginbyappsecret', 'loginbysign', 'logout']);

/** Deterministic PRNG (mulberry32) so a seeded fault rate gives the same run twice. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function validateFaults(input: unknown): FaultConfig {
  if (typeof input !== 'object' || input === null) throw new Error('faults must be an object {latencyMs?, rules?}');
  const o = input as Record<string, unknown>;
  const out: FaultConfig = {};
  if (o.latencyMs !== undefined) {
    const n = Number(o.latencyMs);
    if (!Number.isFinite(n) || n < 0) throw new Error('latencyMs must be a number ≥ 0');
    out.latencyMs = n;
  }
  if (o.rules !== undefined) {
    if (!Array.isArray(o.rules)) throw new Error('rules must be an array');
    out.rules = o.rules.map((r, i) => {
      const rule = r as FaultRule;
      if (!FAULT_KINDS.includes(rule?.kind)) throw new Error(`rules[${i}].kind must be one of ${FAULT_KINDS.join(', ')}`);
      if (rule.rate === undefined && rule.every === undefined) throw new Error(`rules[${i}] needs rate or every`);
      return { ...rule };
    });
  }
  return out;
}

export class Faults {
  latencyMs = 0;
  private rules: LiveRule[] = [];
  readonly firedByKind: Record<string, number> = {};

  constructor(private readonly random: () => number) {}

  set(cfg: FaultConfig): void {
    this.latencyMs = cfg.latencyMs ?? 0;
    this.rules = (cfg.rules ?? []).map((r) => ({ ...r, seen: 0, fired: 0 }));
  }

  describe(): FaultConfig & { rules: (FaultRule & { seen: number; fired: number })[] } {
    return { latencyMs: this.latencyMs, rules: this.rules.map((r) => ({ ...r })) };
  }

  /** The first rule of one of `kinds` that fires for this call (each matching rule counts the call). */
  draw(method: string, kinds: readonly FaultKind[]): LiveRule | undefined {
    let hit: LiveRule | undefined;
    for (const r of this.rules) {
      if (!kinds.includes(r.kind)) continue;
      const listed = r.services?.some((s) => s.toLowerCase() === method);
      if (r.services ? !listed : LOGIN.has(method)) continue;
      r.seen++;
      if (hit || (r.count !== undefined && r.fired >= r.count)) continue;
      const fires = (r.every !== undefined && r.every > 0 && r.seen % r.every === 0) || (r.rate !== undefined && this.random() < r.rate);
      if (fires) {
        r.fired++;
        this.firedByKind[r.kind] = (this.firedByKind[r.kind] ?? 0) + 1;
        hit = r;
      }
    }
    return hit;
  }
}
