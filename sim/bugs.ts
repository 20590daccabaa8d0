import type { Cursor, SourceSession, TargetSession, WriteOutcome } from '../src/core/contracts/platform.ts';
import type { StateStore } from '../src/core/contracts/state-store.ts';
import { FerryFailure, isFerryFailure } from '../src/core/errors.ts';

/**
 * Known bugs re-introduced on purpose, by wrapping what the engine is given (nothing of this is in src):
 * the sim must find each of them. `npm run sim -- --bug <name>`.
 * - resend-without-lookup: the target forgets that a call or a row may have been applied, so the engine
 *   re-sends it without looking it up first (issue 11, defect 1).
 * - skip-page-order: checkpoints move to the newest page read, as if a page could commit before the pages
 *   (and records) still in flight before it.
 */
export const BUGS = ['resend-without-lookup', 'skip-page-order'] as const;
export type BugName = (typeof BUGS)[number];

interface Parts {
  source: SourceSession;
  target: TargetSession;
  store: StateStore;
}

export function applyBug(bug: BugName, p: Parts): Parts {
  if (bug === 'resend-without-lookup') return { ...p, target: forgetMaybeApplied(p.target) };
  return skipPageOrder(p);
}

function forgetMaybeApplied(t: TargetSession): TargetSession {
  const strip = (o: WriteOutcome): WriteOutcome => (o.status === 'retryable' ? { ...o, error: { ...o.error, maybeApplied: false } } : o);
  return new Proxy(t, {
    get(target, prop, receiver) {
      if (prop !== 'write') return Reflect.get(target, prop, receiver);
      return async (...args: Parameters<TargetSession['write']>) => {
        try {
          return (await target.write(...args)).map(strip);
        } catch (err) {
          if (isFerryFailure(err) && err.error.maybeApplied) throw new FerryFailure({ ...err.error, maybeApplied: false }, { cause: err });
          throw err;
        }
      };
    },
  });
}

function skipPageOrder(p: Parts): Parts {
  let newest: Cursor | null | undefined;
  const source = new Proxy(p.source, {
    get(target, prop, receiver) {
      if (prop !== 'fetchPage') return Reflect.get(target, prop, receiver);
      return async (...args: Parameters<SourceSession['fetchPage']>) => {
        const page = await target.fetchPage(...args);
        newest = page.next;
        return page;
      };
    },
  });
  const store = new Proxy(p.store, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (prop !== 'commitPage' || typeof value !== 'function') return value;
      return (rows: Parameters<StateStore['commitPage']>[0], cp: Parameters<StateStore['commitPage']>[1]) =>
        (value as StateStore['commitPage']).call(target, rows, cp && newest !== undefined ? { ...cp, cursor: newest } : cp);
    },
  });
  return { ...p, source, store };
}
