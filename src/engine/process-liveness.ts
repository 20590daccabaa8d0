import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type { RunLock } from '../core/contracts/state-store.ts';

/** This process as a lock holder: pid, host and a token of when it started (so a reused pid is not it). */
export interface ProcessIdentity {
  pid: number;
  host: string;
  processStart: string | null;
}

export function thisProcess(): ProcessIdentity {
  return { pid: process.pid, host: hostname(), processStart: processStartToken(process.pid) };
}

/**
 * When a process started, as an opaque token: Linux's /proc/<pid>/stat field 22 (clock ticks since boot).
 * Null where there is no /proc (the pid alone is then trusted).
 */
export function processStartToken(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after its closing one.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return rest[19] ?? null; // field 22 = index 19 after the state (field 3)
  } catch {
    return null;
  }
}

function pidRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Judges a lock holder: is the run it names still being run? */
export type HolderJudge = (holder: RunLock, now: number) => 'alive' | 'gone';

export interface JudgeOptions {
  /** A holder on another host is gone when its heartbeat is older than this. Default 60 s. */
  staleMs?: number;
  /** Whether a run started by THIS process is still going (a run abandoned in-process is gone). */
  activeHere: (runId: string) => boolean;
}

/**
 * The default judge. Same host: the holder's pid must be running and have started when the holder did
 * (a pid reused by another process is gone); this very process holds it only while the run is active here.
 * Another host (a shared PostgreSQL): only the heartbeat can tell, so a holder silent for `staleMs` is gone.
 */
export function makeHolderJudge(o: JudgeOptions): HolderJudge {
  const me = thisProcess();
  const staleMs = o.staleMs ?? 60_000;
  return (h, now) => {
    if (h.host !== me.host) return now - h.heartbeatAt > staleMs ? 'gone' : 'alive';
    if (h.pid === me.pid && (h.processStart === me.processStart || h.processStart === null || me.processStart === null))
      return o.activeHere(h.runId) ? 'alive' : 'gone';
    if (!pidRunning(h.pid)) return 'gone';
    if (h.processStart !== null) {
      const started = processStartToken(h.pid);
      if (started !== null && started !== h.processStart) return 'gone';
    }
    return 'alive';
  };
}
