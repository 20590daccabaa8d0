/** Read-only call counts the control endpoint reports: per API, per sid, per transport and per outcome. */

export interface ApiStats {
  calls: number;
  ok: number;
  errors: number;
  faults: number;
}

export interface EmulatorStats {
  calls: number;
  byApi: Record<string, ApiStats>;
  bySid: Record<string, number>;
  byTransport: Record<string, number>;
  /** Vendor error codes answered (`1012`, `sign-check-failure`, …) and injected faults (`fault:5xx`). */
  byCode: Record<string, number>;
}

export class StatsRecorder {
  private s: EmulatorStats = StatsRecorder.empty();

  static empty(): EmulatorStats {
    return { calls: 0, byApi: {}, bySid: {}, byTransport: {}, byCode: {} };
  }

  private api(name: string): ApiStats {
    return (this.s.byApi[name] ??= { calls: 0, ok: 0, errors: 0, faults: 0 });
  }

  call(api: string, sid: string | undefined, transport: string): void {
    this.s.calls++;
    this.api(api).calls++;
    this.s.byTransport[transport] = (this.s.byTransport[transport] ?? 0) + 1;
    if (sid) this.s.bySid[sid] = (this.s.bySid[sid] ?? 0) + 1;
  }

  outcome(api: string, code: string | undefined): void {
    if (code === undefined) this.api(api).ok++;
    else {
      this.api(api).errors++;
      this.s.byCode[code] = (this.s.byCode[code] ?? 0) + 1;
    }
  }

  fault(api: string, kind: string): void {
    this.api(api).faults++;
    this.s.byCode[`fault:${kind}`] = (this.s.byCode[`fault:${kind}`] ?? 0) + 1;
  }

  snapshot(): EmulatorStats {
    return structuredClone(this.s);
  }

  reset(): void {
    this.s = StatsRecorder.empty();
  }
}
