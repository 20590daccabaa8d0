import { describe, expect, it } from 'vitest';
import { activeSilence, decideFire, type Sighting } from './dedup.ts';
import type { AlertSilence } from './types.ts';

const MIN = 60_000;
const s = (occurrence: string, at: number): Sighting => ({ key: 'r|shops|run', ruleId: 'r', scheme: 'shops', conditionKey: 'run', occurrence, at });

describe('decideFire', () => {
  it('sends the first sighting and opens an incident', () => {
    const d = decideFire(undefined, s('run-1', 1000), 30, undefined);
    expect(d.action).toBe('send');
    expect(d.incident).toMatchObject({ openedAt: 1000, lastSentAt: 1000, occurrences: 1, suppressed: 0, resolvedAt: null, lastOccurrence: 'run-1' });
  });

  it('suppresses a new occurrence inside the window, sends it once the window passed', () => {
    const first = decideFire(undefined, s('run-1', 0), 30, undefined).incident;
    const second = decideFire(first, s('run-2', 29 * MIN), 30, undefined);
    expect(second.action).toBe('suppress');
    expect(second.incident.suppressed).toBe(1);
    const third = decideFire(second.incident, s('run-3', 30 * MIN), 30, undefined);
    expect(third.action).toBe('send');
    expect(third).toMatchObject({ previousSentAt: 0, incident: { lastSentAt: 30 * MIN, occurrences: 3 } });
  });

  it('ignores a repeat of the same occurrence (no history row)', () => {
    const first = decideFire(undefined, s('run-1', 0), 30, undefined).incident;
    expect(decideFire(first, s('run-1', 60 * MIN), 30, undefined).action).toBe('ignore');
  });

  it('a resolved incident starts over: sent at once', () => {
    const first = decideFire(undefined, s('run-1', 0), 30, undefined).incident;
    const d = decideFire({ ...first, resolvedAt: MIN }, s('run-2', 2 * MIN), 30, undefined);
    expect(d.action).toBe('send');
    expect(d.incident).toMatchObject({ openedAt: 2 * MIN, occurrences: 1, resolvedAt: null });
  });

  it('silenceMinutes 0 sends every new occurrence; nothing delivered yet means send', () => {
    const first = decideFire(undefined, s('a', 0), 0, undefined).incident;
    expect(decideFire(first, s('b', 1), 0, undefined).action).toBe('send');
    expect(decideFire({ ...first, lastSentAt: null }, s('b', 1), 30, undefined).action).toBe('send');
  });

  it('an operator silence wins over sending', () => {
    const sil: AlertSilence = { id: 'x', ruleId: null, scheme: 'shops', until: 10 * MIN, reason: 'upgrade', createdAt: 0, createdBy: null };
    const d = decideFire(undefined, s('a', MIN), 30, sil);
    expect(d.action).toBe('suppress');
    expect(d.action === 'suppress' && d.reason).toMatch(/^silenced until .*: upgrade$/);
  });
});

describe('activeSilence', () => {
  const list: AlertSilence[] = [
    { id: '1', ruleId: 'r1', scheme: null, until: 100, reason: null, createdAt: 0, createdBy: null },
    { id: '2', ruleId: null, scheme: 'orders', until: 50, reason: null, createdAt: 0, createdBy: null },
  ];
  it('matches by rule, by scheme, and only until it ends', () => {
    expect(activeSilence(list, 'r1', 'shops', 99)?.id).toBe('1');
    expect(activeSilence(list, 'r1', 'shops', 100)).toBeUndefined();
    expect(activeSilence(list, 'r2', 'orders', 10)?.id).toBe('2');
    expect(activeSilence(list, 'r2', 'shops', 10)).toBeUndefined();
  });
});
