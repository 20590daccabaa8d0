/**
 * Numbers that arrive as text (WDT sends most numbers as strings) and decimal-exact rounding.
 * Accepted text: optional sign, digits, optional fraction, optional exponent, surrounding spaces.
 * Not accepted: thousands separators (`1,234` is ambiguous), hex, `NaN`, `Infinity`, empty text.
 */
const NUMBER_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** The number in `v` (a finite number or numeric text), or undefined. */
export function toNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v !== 'string') return undefined;
  const s = v.trim();
  if (!NUMBER_RE.test(s)) return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
}

export const ROUND_MODES = ['half-up', 'half-even', 'half-down', 'up', 'down', 'ceil', 'floor'] as const;
export type RoundMode = (typeof ROUND_MODES)[number];

/**
 * Rounds `n` to `digits` decimals on its shortest decimal form (what people see), so 1.005 → 1.01 with
 * half-up, unlike `Math.round(1.005 * 100) / 100` = 1. Modes: half-up (四舍五入, halves away from zero,
 * the default), half-even (banker's), half-down, up (away from zero), down (toward zero), ceil, floor.
 */
export function roundDecimal(n: number, digits: number, mode: RoundMode): number {
  if (!Number.isFinite(n) || Number.isInteger(n)) return n;
  const neg = n < 0;
  let text = Math.abs(n).toString();
  if (text.includes('e')) {
    // Tiny magnitudes (1e-7 and below): write them out positionally.
    text = Math.abs(n).toFixed(Math.min(100, digits + 20));
  }
  const [intPart = '0', frac = ''] = text.split('.');
  if (frac.length <= digits) return n;
  const kept = intPart + frac.slice(0, digits);
  const rest = frac.slice(digits);
  const restNonZero = /[1-9]/.test(rest);
  const first = rest.charCodeAt(0) - 48;
  const tailNonZero = /[1-9]/.test(rest.slice(1));
  const lastKeptOdd = (kept.charCodeAt(kept.length - 1) - 48) % 2 === 1;
  let up: boolean;
  switch (mode) {
    case 'half-up':
      up = first >= 5;
      break;
    case 'half-down':
      up = first > 5 || (first === 5 && tailNonZero);
      break;
    case 'half-even':
      up = first > 5 || (first === 5 && (tailNonZero || lastKeptOdd));
      break;
    case 'up':
      up = restNonZero;
      break;
    case 'down':
      up = false;
      break;
    case 'ceil':
      up = !neg && restNonZero;
      break;
    case 'floor':
      up = neg && restNonZero;
      break;
  }
  let digitsText = (BigInt(kept) + (up ? 1n : 0n)).toString();
  if (digits > 0) {
    digitsText = digitsText.padStart(digits + 1, '0');
    digitsText = `${digitsText.slice(0, -digits)}.${digitsText.slice(-digits)}`;
  }
  const out = Number(digitsText);
  return neg && out !== 0 ? -out : out;
}
