import { describe, expect, it } from 'vitest';
import { formatResolutionMs, formatTime, zoneOffsetMinutes } from './time-format.ts';

const at = new Date('2026-11-01T16:30:05.123Z');

describe('time-format', () => {
  it('formats patterns in a zone given as an offset or an IANA name', () => {
    expect(formatTime(at, 'yyyy-MM-dd HH:mm:ss', '+08:00')).toBe('2026-11-02 00:30:05');
    expect(formatTime(at, 'yyyy-MM-dd HH:mm:ss', 'Asia/Shanghai')).toBe('2026-11-02 00:30:05');
    expect(formatTime(at, 'yyyyMMddHHmmssSSS', 'UTC')).toBe('20261101163005123');
  });

  it('formats ISO with the zone offset, and epochs', () => {
    expect(formatTime(at, 'iso', 'UTC')).toBe('2026-11-01T16:30:05.123Z');
    expect(formatTime(at, 'iso', '-05:30')).toBe('2026-11-01T11:00:05.123-05:30');
    expect(formatTime(at, 'epoch', 'UTC')).toBe(Math.floor(at.getTime() / 1000));
    expect(formatTime(at, 'epoch_ms', 'UTC')).toBe(at.getTime());
  });

  it('knows daylight saving through IANA names', () => {
    expect(zoneOffsetMinutes('America/New_York', new Date('2026-07-01T00:00:00Z'))).toBe(-240);
    expect(zoneOffsetMinutes('America/New_York', new Date('2026-12-01T00:00:00Z'))).toBe(-300);
    expect(() => zoneOffsetMinutes('Mars/Olympus', at)).toThrow(/time zone/);
  });

  it('knows the resolution of a format', () => {
    expect(formatResolutionMs('yyyy-MM-dd HH:mm:ss')).toBe(1000);
    expect(formatResolutionMs('iso')).toBe(1);
    expect(formatResolutionMs('epoch')).toBe(1000);
    expect(formatResolutionMs('yyyy-MM-dd')).toBe(86_400_000);
  });
});
