/**
 * A conservative check against catastrophic backtracking (ReDoS): a JavaScript regex runs synchronously and
 * no timer can stop it, so unsafe patterns are refused before they ever run (in Replace params and in
 * expression regex literals).
 *
 * Refused: a quantified group whose body contains another quantifier or an alternation (`(a+)+`, `(a|a)*`,
 * `(\w+\s?)*`), and backreferences (`\1`, `\k<name>`). This also refuses some harmless patterns; the message
 * says how to rewrite. Returns the reason, or undefined when the pattern is accepted.
 */
export function unsafeRegexReason(pattern: string): string | undefined {
  if (/\\[1-9]|\\k</.test(pattern)) return 'backreferences are not allowed';
  // Stack of open groups: does the group body contain a quantifier or `|`?
  const stack: { risky: boolean }[] = [];
  let lastGroupRisky = false;
  let lastWasGroup = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      i++;
      lastWasGroup = false;
      continue;
    }
    if (c === '[') {
      // Skip a character class; quantifier chars inside it are literals.
      i++;
      if (pattern[i] === '^') i++;
      if (pattern[i] === ']') i++;
      while (i < pattern.length && pattern[i] !== ']') {
        if (pattern[i] === '\\') i++;
        i++;
      }
      lastWasGroup = false;
      continue;
    }
    if (c === '(') {
      stack.push({ risky: false });
      lastWasGroup = false;
      continue;
    }
    if (c === ')') {
      const g = stack.pop();
      lastGroupRisky = g?.risky ?? false;
      lastWasGroup = true;
      if (g?.risky && stack.length > 0) stack[stack.length - 1]!.risky = true;
      continue;
    }
    const isQuant = c === '*' || c === '+' || c === '?' || (c === '{' && /^\{\d+(,\d*)?\}/.test(pattern.slice(i)));
    if (c === '|' && stack.length > 0) stack[stack.length - 1]!.risky = true;
    if (isQuant) {
      const unbounded = c === '*' || c === '+' || (c === '{' && /^\{\d+,\d*\}/.test(pattern.slice(i)) && !/^\{(\d+),\1\}/.test(pattern.slice(i)));
      if (lastWasGroup && lastGroupRisky && unbounded)
        return 'a repeated group contains another repetition or an alternation (nested quantifiers can take exponential time); rewrite without nesting, e.g. (a+)+ → a+';
      if (c !== '?' && stack.length > 0) stack[stack.length - 1]!.risky = true;
      if (c === '{') i = pattern.indexOf('}', i);
    }
    lastWasGroup = false;
  }
  return undefined;
}
