import { describe, expect, it } from 'vitest';
import { unsafeRegexReason } from './regex-safety.ts';

describe('unsafeRegexReason', () => {
  it.each(['(a+)+', '(a|aa)*b', '(\\w+\\s?)*$', '(?:a*)*', '((ab)+c)+', '(a+){2,}', '(x)\\1', '(?<n>a)\\k<n>'])('refuses %s', (p) => {
    expect(unsafeRegexReason(p)).toBeDefined();
  });
  it.each(['^\\d+$', '[^0-9]+', '(\\w+)-(\\w+)', '(ab)+', '(a|b)', '[(a+)+]', '\\(a+\\)+', '(a+){3}', '\\d{3,4}-\\d{7,8}'])('accepts %s', (p) => {
    expect(unsafeRegexReason(p)).toBeUndefined();
  });
});
