import { describe, expect, it } from 'vitest';
import { roundDecimal, toNumber } from './numbers.ts';

describe('toNumber', () => {
  it.each([
    ['12', 12],
    [' 3.5 ', 3.5],
    ['-0.25', -0.25],
    ['1e3', 1000],
    ['.5', 0.5],
    [7, 7],
  ])('%j → %j', (v, n) => expect(toNumber(v)).toBe(n));
  it.each(['', '12a', '1,234', '0x10', 'NaN', 'Infinity', true, null, Infinity])('%j is not a number', (v) => expect(toNumber(v)).toBeUndefined());
});

describe('roundDecimal', () => {
  it('rounds on the decimal form people see', () => {
    expect(roundDecimal(1.005, 2, 'half-up')).toBe(1.01);
    expect(roundDecimal(1.255, 2, 'half-up')).toBe(1.26);
    expect(roundDecimal(-1.005, 2, 'half-up')).toBe(-1.01);
    expect(roundDecimal(2.5, 0, 'half-even')).toBe(2);
    expect(roundDecimal(3.5, 0, 'half-even')).toBe(4);
    expect(roundDecimal(2.51, 0, 'half-even')).toBe(3);
    expect(roundDecimal(2.5, 0, 'half-down')).toBe(2);
    expect(roundDecimal(1.01, 1, 'up')).toBe(1.1);
    expect(roundDecimal(-1.01, 1, 'up')).toBe(-1.1);
    expect(roundDecimal(-1.09, 1, 'down')).toBe(-1);
    expect(roundDecimal(-1.01, 1, 'floor')).toBe(-1.1);
    expect(roundDecimal(-1.09, 1, 'ceil')).toBe(-1);
    expect(roundDecimal(9.995, 2, 'half-up')).toBe(10);
    expect(roundDecimal(1e-7, 2, 'half-up')).toBe(0);
    expect(roundDecimal(-0.001, 2, 'half-up')).toBe(0);
    expect(Object.is(roundDecimal(-0.001, 2, 'half-up'), -0)).toBe(false);
    expect(roundDecimal(123456789.123456, 3, 'half-up')).toBe(123456789.123);
  });
});
