/**
 * The FilterString subset the emulator understands (reference §2): comparisons (= <> != > < >= <=),
 * LIKE with % and _, IN (…), IS [NOT] NULL, AND / OR / NOT and parentheses; string literals in single quotes
 * ('' escapes a quote, N'…' accepted), numbers, field keys with dots (FCreateOrgId.FNumber).
 * Strings compare case-insensitively, like SQL Server's default collation.
 */

export type Operand = { t: 'field'; key: string } | { t: 'lit'; v: string | number | null };
export type Expr =
  | { t: 'and' | 'or'; a: Expr; b: Expr }
  | { t: 'not'; e: Expr }
  | { t: 'cmp'; op: string; l: Operand; r: Operand }
  | { t: 'like'; l: Operand; r: Operand; neg: boolean }
  | { t: 'in'; l: Operand; list: Operand[]; neg: boolean }
  | { t: 'null'; l: Operand; neg: boolean };

export class FilterError extends Error {}

type Tok = { k: 'id' | 'str' | 'num' | 'op' | 'lp' | 'rp' | 'comma'; v: string };

function tokenize(s: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s.charAt(i);
    if (/\s/.test(c)) {
      i++;
    } else if (c === "'" || ((c === 'N' || c === 'n') && s[i + 1] === "'")) {
      if (c !== "'") i++;
      let v = '';
      i++;
      for (;;) {
        if (i >= s.length) throw new FilterError('字符串常量缺少结束引号');
        if (s[i] === "'") {
          if (s[i + 1] === "'") {
            v += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        v += s[i++];
      }
      out.push({ k: 'str', v });
    } else if (/[0-9]/.test(c) || (c === '-' && /[0-9]/.test(s.charAt(i + 1)))) {
      const m = /^-?\d+(\.\d+)?/.exec(s.slice(i)) as RegExpExecArray;
      out.push({ k: 'num', v: m[0] });
      i += m[0].length;
    } else if (/[A-Za-z_\u4e00-\u9fa5]/.test(c)) {
      const m = /^[A-Za-z_\u4e00-\u9fa5][\w.\u4e00-\u9fa5]*/.exec(s.slice(i)) as RegExpExecArray;
      out.push({ k: 'id', v: m[0] });
      i += m[0].length;
    } else if (c === '(') {
      out.push({ k: 'lp', v: c });
      i++;
    } else if (c === ')') {
      out.push({ k: 'rp', v: c });
      i++;
    } else if (c === ',') {
      out.push({ k: 'comma', v: c });
      i++;
    } else {
      const m = /^(<>|!=|>=|<=|=|>|<)/.exec(s.slice(i));
      if (!m) throw new FilterError(`无法识别的字符“${c}”`);
      out.push({ k: 'op', v: m[0] === '!=' ? '<>' : m[0] });
      i += m[0].length;
    }
  }
  return out;
}

export function parseFilter(text: string): Expr | undefined {
  const toks = tokenize(text);
  if (toks.length === 0) return undefined;
  let p = 0;
  const peek = () => toks[p];
  const kw = (word: string) => peek()?.k === 'id' && peek()?.v.toLowerCase() === word;
  const expect = (k: Tok['k']) => {
    const t = toks[p++];
    if (!t || t.k !== k) throw new FilterError(`过滤条件语法错误：在第 ${p} 个记号处`);
    return t;
  };
  const operand = (): Operand => {
    const t = toks[p++];
    if (!t) throw new FilterError('过滤条件不完整');
    if (t.k === 'str') return { t: 'lit', v: t.v };
    if (t.k === 'num') return { t: 'lit', v: Number(t.v) };
    if (t.k === 'id') return t.v.toLowerCase() === 'null' ? { t: 'lit', v: null } : { t: 'field', key: t.v };
    throw new FilterError(`过滤条件语法错误：意外的“${t.v}”`);
  };
  const primary = (): Expr => {
    if (peek()?.k === 'lp') {
      p++;
      const e = orExpr();
      expect('rp');
      return e;
    }
    const l = operand();
    let neg = false;
    if (kw('not')) {
      neg = true;
      p++;
    }
    if (kw('like')) {
      p++;
      return { t: 'like', l, r: operand(), neg };
    }
    if (kw('in')) {
      p++;
      expect('lp');
      const list: Operand[] = [operand()];
      while (peek()?.k === 'comma') {
        p++;
        list.push(operand());
      }
      expect('rp');
      return { t: 'in', l, list, neg };
    }
    if (neg) throw new FilterError('NOT 之后应为 LIKE 或 IN');
    if (kw('is')) {
      p++;
      let n = false;
      if (kw('not')) {
        n = true;
        p++;
      }
      if (!kw('null')) throw new FilterError('IS 之后应为 NULL');
      p++;
      return { t: 'null', l, neg: n };
    }
    const op = expect('op').v;
    return { t: 'cmp', op, l, r: operand() };
  };
  const notExpr = (): Expr => {
    if (kw('not')) {
      p++;
      return { t: 'not', e: notExpr() };
    }
    return primary();
  };
  const andExpr = (): Expr => {
    let e = notExpr();
    while (kw('and')) {
      p++;
      e = { t: 'and', a: e, b: notExpr() };
    }
    return e;
  };
  const orExpr = (): Expr => {
    let e = andExpr();
    while (kw('or')) {
      p++;
      e = { t: 'or', a: e, b: andExpr() };
    }
    return e;
  };
  const e = orExpr();
  if (p < toks.length) throw new FilterError(`过滤条件语法错误：多余的“${toks[p]?.v}”`);
  return e;
}

/** Every field key the expression reads. */
export function fieldsOf(e: Expr | undefined, out: string[] = []): string[] {
  if (!e) return out;
  const add = (o: Operand) => o.t === 'field' && out.push(o.key);
  switch (e.t) {
    case 'and':
    case 'or':
      fieldsOf(e.a, out);
      fieldsOf(e.b, out);
      break;
    case 'not':
      fieldsOf(e.e, out);
      break;
    case 'cmp':
    case 'like':
      add(e.l);
      add(e.r);
      break;
    case 'in':
      add(e.l);
      e.list.forEach(add);
      break;
    case 'null':
      add(e.l);
  }
  return out;
}

/** Values of `key = lit` / `key in (lits)` found in the top-level AND chain: lets the caller use an index. */
export function indexHint(e: Expr | undefined, key: string): (string | number)[] | undefined {
  if (!e) return undefined;
  const k = key.toLowerCase();
  const isKey = (o: Operand) => o.t === 'field' && o.key.toLowerCase() === k;
  const lits = (os: Operand[]) => (os.every((o) => o.t === 'lit' && o.v !== null) ? os.map((o) => (o as { v: string | number }).v) : undefined);
  if (e.t === 'and') return indexHint(e.a, key) ?? indexHint(e.b, key);
  if (e.t === 'cmp' && e.op === '=' && isKey(e.l)) return lits([e.r]);
  if (e.t === 'in' && !e.neg && isKey(e.l)) return lits(e.list);
  return undefined;
}

const DATE_LIKE = /^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2})?)?$/;

function normDate(s: string): string {
  const t = s.replace('T', ' ');
  return t.length === 10 ? `${t} 00:00:00` : t.length === 16 ? `${t}:00` : t;
}

export function compareValues(a: unknown, b: unknown): number | undefined {
  if (a === null || a === undefined || b === null || b === undefined) return undefined;
  if (typeof a === 'boolean') a = a ? 1 : 0;
  if (typeof b === 'boolean') b = b ? 1 : 0;
  if (typeof a === 'number' || typeof b === 'number') {
    const x = Number(a);
    const y = Number(b);
    if (Number.isFinite(x) && Number.isFinite(y)) return x === y ? 0 : x < y ? -1 : 1;
  }
  let x = String(a);
  let y = String(b);
  if (DATE_LIKE.test(x) && DATE_LIKE.test(y)) {
    x = normDate(x);
    y = normDate(y);
  } else {
    x = x.toLowerCase();
    y = y.toLowerCase();
  }
  return x === y ? 0 : x < y ? -1 : 1;
}

const likeCache = new Map<string, RegExp>();
function likeRegex(pattern: string): RegExp {
  let r = likeCache.get(pattern);
  if (!r) {
    const body = pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.');
    r = new RegExp(`^${body}$`, 'is');
    if (likeCache.size < 1000) likeCache.set(pattern, r);
  }
  return r;
}

export function evaluate(e: Expr, get: (key: string) => unknown): boolean {
  const val = (o: Operand) => (o.t === 'lit' ? o.v : get(o.key));
  switch (e.t) {
    case 'and':
      return evaluate(e.a, get) && evaluate(e.b, get);
    case 'or':
      return evaluate(e.a, get) || evaluate(e.b, get);
    case 'not':
      return !evaluate(e.e, get);
    case 'cmp': {
      const c = compareValues(val(e.l), val(e.r));
      if (c === undefined) return false;
      switch (e.op) {
        case '=':
          return c === 0;
        case '<>':
          return c !== 0;
        case '>':
          return c > 0;
        case '<':
          return c < 0;
        case '>=':
          return c >= 0;
        default:
          return c <= 0;
      }
    }
    case 'like': {
      const v = val(e.l);
      const pat = val(e.r);
      if (v === null || v === undefined || pat === null || pat === undefined) return false;
      return likeRegex(String(pat)).test(String(v)) !== e.neg;
    }
    case 'in': {
      const v = val(e.l);
      if (v === null || v === undefined) return false;
      return e.list.some((o) => compareValues(v, val(o)) === 0) !== e.neg;
    }
    case 'null': {
      const v = val(e.l);
      return (v === null || v === undefined || v === '') !== e.neg;
    }
  }
}
