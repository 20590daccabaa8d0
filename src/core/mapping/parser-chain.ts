import type { ParserRef } from '../scheme/field.ts';
import { CompileError, ValueError, type MappingCompileIssue } from './issues.ts';
import type { ParserRegistry } from './parsers/registry.ts';
import type { ParserCompileEnv, ParserDef, ParserFn } from './parsers/types.ts';
import { MISSING, isPlainObject } from './values.ts';

/** One step of a field's parser chain, with where it was written (for compile errors). */
interface Step {
  def: ParserDef;
  fn: ParserFn;
}

function compileStep(def: ParserDef, params: unknown, env: ParserCompileEnv, at: string, errors: MappingCompileIssue[]): Step | undefined {
  try {
    return { def, fn: def.compile(params, env) };
  } catch (e) {
    if (e instanceof CompileError) {
      errors.push({ path: at + e.subPath, message: e.message, ...(e.suggestion ? { suggestion: e.suggestion } : {}) });
      return undefined;
    }
    throw e;
  }
}

/**
 * The seed's `transformationRule` ("uppercase", ["trim", "uppercase"]) as parsers: each word names a parser
 * loosely (any case, `-`/`_` ignored: uppercase → UpperCase), optionally with one text param after a colon
 * ("round:2", "split:;"). Runs before the `parser` chain.
 */
export function compileRules(rules: string | string[], path: string, registry: ParserRegistry, env: ParserCompileEnv, errors: MappingCompileIssue[]): Step[] {
  const list = Array.isArray(rules) ? rules : [rules];
  const steps: Step[] = [];
  list.forEach((rule, i) => {
    const at = Array.isArray(rules) ? `${path}[${i}]` : path;
    const colon = rule.indexOf(':');
    const word = (colon < 0 ? rule : rule.slice(0, colon)).trim();
    const def = registry.find(word);
    if (!def) {
      const near = registry.suggest(word);
      errors.push({ path: at, message: `unknown transformation rule "${word}"`, ...(near ? { suggestion: `did you mean "${near}"?` } : {}) });
      return;
    }
    const step = compileStep(def, colon < 0 ? undefined : rule.slice(colon + 1), env, at, errors);
    if (step) steps.push(step);
  });
  return steps;
}

/** `parser: {name, params}` or a list of them, in order. Errors point at `.parser[.i].name` / `.params`. */
export function compileParsers(refs: ParserRef | ParserRef[], path: string, registry: ParserRegistry, env: ParserCompileEnv, errors: MappingCompileIssue[]): Step[] {
  const list = Array.isArray(refs) ? refs : [refs];
  const steps: Step[] = [];
  list.forEach((ref, i) => {
    const at = Array.isArray(refs) ? `${path}[${i}]` : path;
    if (!isPlainObject(ref) || typeof ref.name !== 'string') {
      errors.push({ path: `${at}.name`, message: 'a parser needs a "name"' });
      return;
    }
    const def = registry.get(ref.name);
    if (!def) {
      const near = registry.suggest(ref.name);
      errors.push({
        path: `${at}.name`,
        message: `unknown parser "${ref.name}"`,
        suggestion: near ? `did you mean "${near}"?` : `known parsers: ${registry.names().join(', ')}`,
      });
      return;
    }
    const step = compileStep(def, ref.params, env, `${at}.params`, errors);
    if (step) steps.push(step);
  });
  return steps;
}

/** Chains steps into one function. MISSING skips parsers that do not accept it; a failure is tagged with the parser's name. */
export function chainSteps(steps: Step[]): ParserFn | undefined {
  if (steps.length === 0) return undefined;
  const fns = steps.map((s) => s.fn);
  const names = steps.map((s) => s.def.name);
  const accepts = steps.map((s) => s.def.acceptsMissing === true);
  return (value, scope) => {
    let v = value;
    let i = 0;
    try {
      for (; i < fns.length; i++) {
        if (v === MISSING && !accepts[i]) continue;
        v = fns[i]!(v, scope);
      }
      return v;
    } catch (e) {
      if (e instanceof ValueError && e.parser === undefined) e.parser = names[i];
      throw e;
    }
  };
}
