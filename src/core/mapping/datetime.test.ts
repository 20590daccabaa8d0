import { describe, expect, it } from 'vitest';
import { formatDateTime, instantOf, parseTime, parseZone, wallIn } from './datetime.ts';
import { CompileError } from './issues.ts';

describe('zones', () => {
  it('parses fixed offsets and IANA names, never the machine zone', () => {
    expect(parseZone('+08:00').offsetAt(0)).toBe(480);
    expect(parseZone('UTC+8').offsetAt(0)).toBe(480);
    expect(parseZone('-0530').offsetAt(0)).toBe(-330);
    expect(parseZone('Z').offsetAt(0)).toBe(0);
    expect(parseZone('Asia/Shanghai').offsetAt(Date.UTC(2026, 0, 1))).toBe(480);
    expect(parseZone('America/New_York').offsetAt(Date.UTC(2026, 6, 1))).toBe(-240);
    expect(parseZone('America/New_York').offsetAt(Date.UTC(2026, 0, 1))).toBe(-300);
    expect(() => parseZone('Mars/Base')).toThrow(CompileError);
    expect(() => parseZone('+25:00')).toThrow(CompileError);
  });

  it('converts wall time between zones, including across daylight saving', () => {
    const p = parseTime('2026-07-01 12:00:00');
    if (typeof p !== 'object') throw new Error('parse failed');
    expect(formatDateTime(wallIn(p, parseZone('America/New_York'), parseZone('+08:00')))).toBe('2026-07-02 00:00:00');
    expect(instantOf(p, parseZone('+08:00'))).toBe(Date.UTC(2026, 6, 1, 4));
  });
});

describe('parseTime', () => {
  it('tells epoch seconds from milliseconds and rejects invalid calendar dates', () => {
    expect(parseTime(1700000000)).toEqual({ kind: 'instant', ms: 1700000000000 });
    expect(parseTime(1700000000123)).toEqual({ kind: 'instant', ms: 1700000000123 });
    expect(parseTime('2024-02-29')).toMatchObject({ kind: 'wall', dateOnly: true });
    expect(parseTime('2023-02-29')).toBeUndefined();
    expect(parseTime('2026-11-20 24:00:00')).toBeUndefined();
    expect(parseTime('0000-00-00')).toBe('empty');
    expect(parseTime('12345')).toBeUndefined();
    expect(parseTime({})).toBeUndefined();
  });
});
