import { createRequire } from 'node:module';
import type JsonataFn from 'jsonata';
import { CompileError, ValueError } from './issues.ts';
import { unsafeRegexReason } from './regex-safety.ts';
import type { Scope } from './scope.ts';
import { MISSING } from './values.ts';

/**
 * JSONata expressions (`expression` key), compiled once and evaluated in a sandbox.
 *
 * What an expression can reach: its input (`$` = the record or entry row), `$header`, `$parent`, `$index`,
 * and JSONata's built-in functions, which are pure (JSONata has no file, network or process functions, reads
 * only own properties, so `$.constructor` and `__proto__` are simply missing). On top of that:
 * - `$eval` is disabled (it would compile code at run time, around the checks below);
 * - regex literals are checked at compile time against catastrophic backtracking (regex-safety.ts), because a
 *   running regex cannot be interrupted;
 * - `$pad` is capped (a huge width would allocate gigabytes in one native call);
 * - JSONata's own guards stop an evaluation that runs longer than `timeoutMs`, nests deeper than `maxDepth`
 *   (runaway recursion) or builds a sequence longer than `maxSequence`. They are checked on every
 *   evaluation step (JSONata 2.x `timeout`/`stack`/`sequence` options, the same hook as its entry callback);
 * - `$now()`/`$millis()` use the map context's clock when one is given.
 * The result is copied into plain JSON; a function result is an error.
 */

export interface ExpressionLimits {
  /** Wall-clock budget of one evaluation (default 100 ms). */
  timeoutMs?: number;
  /** Maximum evaluation depth (default 300). */
  maxDepth?: number;
  /** Maximum length of any sequence built (default 100 000). */
  maxSequence?: number;
  /** Maximum width for `$pad` (default 10 000). */
  maxPadWidth?: number;
}

export interface CompiledExpression {
  readonly source: string;
  /** Resolves to the value (MISSING for no result); rejects with a ValueError. */
  evaluate(scope: Scope): Promise<unknown>;
}

interface JsonataErrorLike {
  code?: string;
  message?: string;
  position?: number;
  token?: string;
  value?: unknown;
}

let loaded: typeof JsonataFn | undefined;
/** JSONata, loaded on first use: loading it costs about 0.1 s, which commands and schemes without expressions never pay. */
function jsonata(...args: Parameters<typeof JsonataFn>): JsonataFn.Expression {
  loaded ??= createRequire(import.meta.url)('jsonata') as typeof JsonataFn;
  return loaded(...args);
}

let fromMillisExpr: JsonataFn.Expression | undefined;
const fromMillis = (): JsonataFn.Expression => (fromMillisExpr ??= jsonata('$fromMillis($ms, $picture, $tz)'));

function walkRegexes(node: unknown, seen: Set<unknown>, out: RegExp[]): void {
  if (typeof node !== 'object' || node === null || seen.has(node)) return;
  seen.add(node);
  if (node instanceof RegExp) {
    out.push(node);
    return;
  }
  for (const v of Object.values(node)) walkRegexes(v, seen, out);
}

function callsEval(node: unknown, seen: Set<unknown>): boolean {
  if (typeof node !== 'object' || node === null || seen.has(node)) return false;
  seen.add(node);
  const n = node as { type?: string; value?: unknown; procedure?: { type?: string; value?: unknown } };
  if ((n.type === 'function' || n.type === 'partial') && n.procedure?.type === 'variable' && n.procedure.value === 'eval') return true;
  if (n.type === 'variable' && n.value === 'eval') return true;
  return Object.values(node).some((v) => callsEval(v, seen));
}

/** Plain-JSON copy of an expression result; functions are an error. */
function toJson(v: unknown, depth = 0): unknown {
  if (v === undefined) return MISSING;
  if (typeof v === 'function' || (typeof v === 'object' && v !== null && (v as { _jsonata_lambda?: boolean })._jsonata_lambda))
    throw new ValueError('the expression returned a function, not a value');
  if (typeof v === 'number' && !Number.isFinite(v)) throw new ValueError(`the expression returned ${v}`);
  if (depth > 100) throw new ValueError('the expression returned a value nested too deeply');
  if (Array.isArray(v)) {
    const out: unknown[] = [];
    for (const item of v) {
      const j = toJson(item, depth + 1);
      if (j !== MISSING) out.push(j);
    }
    return out;
  }
  if (typeof v === 'object' && v !== null) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) {
      if (k === '__proto__') continue;
      const j = toJson((v as Record<string, unknown>)[k], depth + 1);
      if (j !== MISSING) out[k] = j;
    }
    return out;
  }
  return v;
}

function describeFailure(e: JsonataErrorLike, limits: Required<ExpressionLimits>): string {
  switch (e.code) {
    case 'D1012':
      return `stopped after ${limits.timeoutMs} ms (time limit; check for an endless loop)`;
    case 'D1011':
      return `stopped at depth ${limits.maxDepth} (depth limit; check for endless recursion)`;
    case 'D2014':
    case 'D2015':
      return `stopped: a sequence grew beyond ${limits.maxSequence} items`;
    default:
      return `${e.message ?? String(e)}${e.code ? ` [${e.code}]` : ''}`;
  }
}

/** Compiles once; throws CompileError for bad syntax, unsafe regexes or `$eval`. */
export function compileExpression(source: string, limitsIn: ExpressionLimits = {}): CompiledExpression {
  const limits: Required<ExpressionLimits> = { timeoutMs: 100, maxDepth: 300, maxSequence: 100_000, maxPadWidth: 10_000, ...limitsIn };
  let expr: JsonataFn.Expression;
  try {
    expr = jsonata(source, { timeout: limits.timeoutMs, stack: limits.maxDepth, sequence: limits.maxSequence });
  } catch (err) {
    const e = err as JsonataErrorLike;
    throw new CompileError(`syntax error${e.position !== undefined ? ` at position ${e.position}` : ''}: ${e.message ?? String(err)}`);
  }
  const ast = expr.ast();
  if (callsEval(ast, new Set())) throw new CompileError('$eval is not allowed in ferry expressions');
  const regexes: RegExp[] = [];
  walkRegexes(ast, new Set(), regexes);
  for (const re of regexes) {
    const why = unsafeRegexReason(re.source);
    if (why) throw new CompileError(`unsafe regular expression /${re.source}/: ${why}`);
  }
  expr.registerFunction(
    'pad',
    (str: string | undefined, width: number, char?: string) => {
      if (str === undefined) return undefined;
      if (Math.abs(width) > limits.maxPadWidth) throw { code: 'F0002', message: `$pad width ${width} is above the limit of ${limits.maxPadWidth}` };
      const fill = char === undefined || char === '' ? ' ' : char;
      const n = Math.abs(Math.trunc(width)) - Array.from(str).length;
      if (n <= 0) return str;
      const padding = Array.from(fill.repeat(Math.ceil(n / Array.from(fill).length))).slice(0, n).join('');
      return width > 0 ? str + padding : padding + str;
    },
    '<s-ns?:s>',
  );
  expr.registerFunction('eval', () => {
    throw { code: 'F0001', message: '$eval is not allowed in ferry expressions' };
  });
  return {
    source,
    async evaluate(scope) {
      const bindings: Record<string, unknown> = { header: scope.header, parent: scope.parent, index: scope.index };
      const clock = scope.ctx.now;
      if (clock) {
        bindings.millis = () => clock().getTime();
        bindings.now = (picture?: string, tz?: string) => {
          const ms = clock().getTime();
          return picture === undefined && tz === undefined ? new Date(ms).toISOString() : fromMillis().evaluate({}, { ms, picture, tz });
        };
      }
      let result: unknown;
      try {
        result = await expr.evaluate(scope.row, bindings);
      } catch (err) {
        if (err instanceof ValueError) throw err;
        throw new ValueError(`expression ${JSON.stringify(source.length > 80 ? source.slice(0, 80) + '…' : source)} failed: ${describeFailure(err as JsonataErrorLike, limits)}`);
      }
      return toJson(result);
    },
  };
}
