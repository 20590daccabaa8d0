import type { FaultKind, FaultOptions } from './options.ts';
import { sequence } from './prng.ts';

/**
 * Decides, per API call, which fault (if any) to inject: first the scripted ones in order, then random
 * ones drawn from a seeded sequence (reproducible runs). Latency is separate: it applies to every call.
 */
export class FaultInjector {
  private readonly draw: () => number;

  constructor(
    public options: FaultOptions,
    seed: number,
  ) {
    this.draw = sequence(seed, 'faults');
  }

  update(patch: Partial<FaultOptions>): FaultOptions {
    this.options = { ...this.options, ...patch, script: [...(patch.script ?? this.options.script)] };
    return this.options;
  }

  next(): FaultKind | undefined {
    const scripted = this.options.script.shift();
    if (scripted) return scripted;
    const o = this.options;
    const rolls: [number, FaultKind][] = [
      [o.dropRate, 'drop'],
      [o.rate5xx, '5xx'],
      [o.malformedRate, 'malformed'],
      [o.slowRate, 'slow'],
    ];
    for (const [rate, kind] of rolls) if (rate > 0 && this.draw() < rate) return kind;
    return undefined;
  }
}

export const FAULT_KINDS: readonly FaultKind[] = ['5xx', 'malformed', 'drop', 'slow', 'missing_list', 'wrong_type', 'rate_limit'];
