import { describe, expect, it } from 'vitest';
import type { LedgerRow, StateStore, StoredCheckpoint } from '../core/contracts/state-store.ts';
import { PageTracker } from './page-tracker.ts';

/** A store that records the order of commits, and can be made slow or failing for one page. */
function recordingStore(o: { slow?: string; fail?: string } = {}) {
  const commits: { page: string; rows: string[] }[] = [];
  const store = {
    async commitPage(rows: LedgerRow[], cp: StoredCheckpoint | null) {
      const page = String(cp?.cursor?.page);
      if (page === o.slow) await new Promise((r) => setTimeout(r, 20));
      if (page === o.fail) throw new Error(`disk full at page ${page}`);
      commits.push({ page, rows: rows.map((r) => r.sourceId) });
    },
  } as unknown as StateStore;
  return { store, commits };
}

const cp = (page: number): StoredCheckpoint => ({ scheme: 's', stream: 'full', cursor: { page }, runId: 'r', updatedAt: 0 });
const row = (id: string): LedgerRow => ({ scheme: 's', sourceId: id, status: 'written', runId: 'r', updatedAt: 0 });

/** Deterministic shuffle (a small LCG), so every order of settling is tried without randomness in the test. */
function shuffled<T>(xs: T[], seed: number): T[] {
  const out = [...xs];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe('PageTracker: pages commit in read order', () => {
  it('a later page that completes first waits for the earlier ones', async () => {
    const { store, commits } = recordingStore();
    const t = new PageTracker(store);
    const p0 = t.open('0', 'full', cp(0));
    const p1 = t.open('1', 'full', cp(1));
    const p2 = t.open('2', 'full', cp(2));
    for (const p of [p0, p1, p2]) {
      p.expect();
      p.expect();
    }
    for (const p of [p0, p1, p2]) p.seal();
    p2.settle(row('2a'));
    p2.settle(row('2b'));
    p1.settle(row('1a'));
    p1.settle(row('1b'));
    await new Promise((r) => setTimeout(r, 5));
    expect(commits).toEqual([]); // page 0 is still open: nothing may commit, or a crash would skip page 0
    p0.settle(row('0a'));
    await new Promise((r) => setTimeout(r, 5));
    expect(commits).toEqual([]);
    p0.settle(row('0b'));
    await t.drain();
    expect(commits.map((c) => c.page)).toEqual(['0', '1', '2']);
    expect(commits[0]!.rows).toEqual(['0a', '0b']);
  });

  it('in any settling order, with a slow commit in between, the commit order is the read order', async () => {
    for (let seed = 1; seed <= 30; seed++) {
      const { store, commits } = recordingStore({ slow: String(seed % 6) });
      const t = new PageTracker(store);
      const pages = Array.from({ length: 6 }, (_, i) => t.open(String(i), 'full', cp(i)));
      const settles: (() => void)[] = [];
      pages.forEach((p, i) => {
        const n = (i * 7 + seed) % 4; // 0..3 records, an empty page included
        for (let k = 0; k < n; k++) {
          p.expect();
          settles.push(() => p.settle(row(`${i}.${k}`)));
        }
        settles.push(() => p.seal());
      });
      for (const s of shuffled(settles, seed)) {
        s();
        if (seed % 3 === 0) await Promise.resolve();
      }
      await t.drain();
      expect(commits.map((c) => c.page), `seed ${seed}`).toEqual(['0', '1', '2', '3', '4', '5']);
      expect(t.pendingPages).toBe(0);
    }
  });

  it('a page is not complete before it is sealed, even with every expected record settled', async () => {
    const { store, commits } = recordingStore();
    const t = new PageTracker(store);
    const p = t.open('0', 'full', cp(0));
    p.expect();
    p.settle(row('a'));
    await new Promise((r) => setTimeout(r, 5));
    expect(commits).toEqual([]);
    p.seal();
    await t.drain();
    expect(commits.map((c) => c.page)).toEqual(['0']);
  });

  it('after a failed commit nothing later commits, and drain reports the failure', async () => {
    const { store, commits } = recordingStore({ fail: '1' });
    const t = new PageTracker(store);
    for (let i = 0; i < 3; i++) t.open(String(i), 'full', cp(i)).seal();
    await expect(t.drain()).rejects.toThrow('disk full at page 1');
    expect(commits.map((c) => c.page)).toEqual(['0']);
  });
});
