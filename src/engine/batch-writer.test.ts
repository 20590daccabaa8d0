import { describe, expect, it } from 'vitest';
import { BatchWriter } from './batch-writer.ts';
import type { WorkItem } from './work-item.ts';

/**
 * The batch writer's promises (issue 11): two records with the same number are never in flight together,
 * and records of one number reach the target in the order they were read (the newest version lands last).
 * Randomised over seeds with a deterministic PRNG; writes finish in a random order.
 */

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const item = (seq: number, number: string | undefined): WorkItem => ({
  key: String(seq),
  ref: { scheme: 's', api: 'a', sourceId: String(seq), page: '1', index: seq },
  source: {},
  payload: { seq },
  hash: String(seq),
  ...(number !== undefined ? { number } : {}),
  settle: () => undefined,
});

async function drive(seed: number) {
  const random = rng(seed);
  const inFlight = new Map<string, number>();
  const overlaps: string[] = [];
  const written: WorkItem[] = [];
  const batchSize = 1 + Math.floor(random() * 5);
  const maxInFlight = 1 + Math.floor(random() * 4);
  const writer = new BatchWriter(batchSize, maxInFlight, async (batch) => {
    for (const i of batch) {
      if (i.number === undefined) continue;
      if ((inFlight.get(i.number) ?? 0) > 0) overlaps.push(i.number);
      inFlight.set(i.number, (inFlight.get(i.number) ?? 0) + 1);
    }
    // Finish after a random number of turns of the event loop, so batches complete out of order.
    for (let n = Math.floor(random() * 6); n > 0; n--) await new Promise((r) => setImmediate(r));
    for (const i of batch) if (i.number !== undefined) inFlight.set(i.number, (inFlight.get(i.number) ?? 1) - 1);
    written.push(...batch);
  });
  const numbers = 1 + Math.floor(random() * 8);
  const total = 40 + Math.floor(random() * 60);
  for (let seq = 0; seq < total; seq++) {
    const n = random() < 0.1 ? undefined : `N${Math.floor(random() * numbers)}`;
    await writer.add(item(seq, n));
    if (random() < 0.2) await new Promise((r) => setImmediate(r));
  }
  await writer.flush();
  return { overlaps, written, total };
}

describe('BatchWriter', () => {
  it('never has two records with the same number in flight together, and writes each record once', async () => {
    for (let seed = 1; seed <= 200; seed++) {
      const { overlaps, written, total } = await drive(seed);
      expect(overlaps, `seed ${seed}`).toEqual([]);
      expect(written.map((i) => Number(i.key)).sort((a, b) => a - b), `seed ${seed}`).toEqual(Array.from({ length: total }, (_, i) => i));
    }
  });

  it('writes the records of one number in the order they were added (the newest lands last)', async () => {
    for (let seed = 1; seed <= 200; seed++) {
      const { written } = await drive(seed);
      const last = new Map<string, number>();
      for (const i of written) {
        if (i.number === undefined) continue;
        const seq = Number(i.key);
        expect(seq, `seed ${seed}, number ${i.number}`).toBeGreaterThan(last.get(i.number) ?? -1);
        last.set(i.number, seq);
      }
    }
  });
});
