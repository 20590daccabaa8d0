import { describe, expect, it } from 'vitest';
import { formatBeijingTime, parseBeijingTime, unixSeconds } from './beijing-time.ts';

describe('Beijing time helpers', () => {
  it('formats an instant in UTC+8 regardless of the machine zone', () => {
    expect(formatBeijingTime(new Date('2024-01-01T04:00:00Z'))).toBe('2024-01-01 12:00:00');
    expect(formatBeijingTime(Date.parse('2024-12-31T16:30:05.900Z'))).toBe('2025-01-01 00:30:05');
  });

  it('parses back to the same instant', () => {
    expect(parseBeijingTime('2024-01-01 12:00:00')).toBe(Date.parse('2024-01-01T04:00:00Z'));
    expect(parseBeijingTime('2025-01-01 00:00:00')).toBe(Date.parse('2024-12-31T16:00:00Z'));
  });

  it('refuses what is not a vendor time', () => {
    expect(parseBeijingTime('0000-00-00 00:00:00')).toBeUndefined();
    expect(parseBeijingTime('2024-02-30 00:00:00')).toBeUndefined();
    expect(parseBeijingTime('2024-01-01')).toBeUndefined();
  });

  it('gives Unix seconds for the enterprise timestamp', () => {
    expect(unixSeconds(1470042310999)).toBe('1470042310');
  });
});
