import type { StateStore } from '../src/core/contracts/state-store.ts';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.ts';
import { ProcessDied } from './clock.ts';

/**
 * The real SQLite store on disk, as one process incarnation sees it: once the process is dead every call
 * fails without touching the file, so what is on disk is exactly what was committed before the death.
 * A page commit is a possible crash point (before it reaches the file). A Proxy, so methods the contract
 * gains later pass through unchanged.
 */
export function openMortalStore(file: string, state: { dead: boolean }, crashHere: (where: string) => boolean): { store: StateStore; inner: SqliteStore } {
  const inner = new SqliteStore(file);
  const store = new Proxy(inner, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function' || prop === 'close') return value;
      return (...args: unknown[]) => {
        if (state.dead) return Promise.reject(new ProcessDied());
        if (prop === 'commitPage' && crashHere('page commit')) return Promise.reject(new ProcessDied());
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  }) as StateStore;
  return { store, inner };
}
